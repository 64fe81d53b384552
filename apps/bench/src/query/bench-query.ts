import type { RowQueryInput } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { indexBuildsSettled, queryRows } from '@glaze/engine';
import { seedQueryTable } from './seed-query-table';

export interface QueryFigures {
  rows: number;
  filterP95Ms: number;
  sortP95Ms: number;
  searchP95Ms: number;
  jumpP95Ms: number;
  /** "N of M rows": a filter's first page with its match count. */
  countP95Ms: number;
  /** One sort before its index exists (what the first person to ask waits). */
  unindexedSortMs: number;
  /** Building every index these queries asked for, concurrently, after their first request. */
  indexSeconds: number;
}

const samples = 30;

/**
 * Filter, sort, search and jump over a table of `rows` rows (6 input columns, one enrichment
 * column), each query kind asked `samples` times with varying arguments through `queryRows` — what
 * `GET /tables/:id/rows` runs — once its indexes are built. p95 of each kind.
 */
export async function benchQuery(
  pool: Pool,
  rows: number,
  note: (text: string) => void,
): Promise<QueryFigures> {
  note(`query: seeding ${rows.toLocaleString('en')} rows by bulk SQL`);
  const t = await seedQueryTable(pool, rows);
  const ask = (query: RowQueryInput, count = false) => queryRows(pool, { tableId: t.tableId, query, count });
  const filters: Array<(i: number) => RowQueryInput> = [
    () => ({ filter: { column: 'Email check', op: 'status', value: ['error'] } }),
    (i) => ({
      filter: { column: 'City', op: 'contains', value: ['zur', 'paulo', 'KÖLN', 'mont'][i % 4] as string },
    }),
    (i) => ({ filter: { column: 'Score', op: 'gt', value: 9000 + (i % 10) * 100 } }),
    () => ({ filter: { column: 'Email', op: 'empty' } }),
    (i) => ({
      filter: {
        or: [
          {
            and: [
              { column: 'City', op: 'eq', value: 'Lyon' },
              { column: 'Signup', op: 'after', value: `2024-0${1 + (i % 9)}-01` },
            ],
          },
          { column: 'Email check.valid', op: 'eq', value: 'false' },
        ],
      },
    }),
  ];
  const sorts: Array<(i: number) => RowQueryInput> = [
    (i) => ({
      sort: { column: 'Score', as: 'number', direction: 'desc' },
      offset: [0, 100, 1000, 5000][i % 4] as number,
    }),
    (i) => ({ sort: { column: 'Name', direction: 'asc' }, offset: [0, 100, 1000, 5000][i % 4] as number }),
    (i) => ({
      sort: { column: 'Email check.score', direction: 'desc' },
      offset: [0, 100, 1000][i % 3] as number,
    }),
    () => ({ sort: { column: 'Signup', as: 'date', direction: 'asc' } }),
  ];
  const terms = [
    'zurich',
    'user12345@',
    'müller garcía 7',
    'SAO PAULO',
    'andre dubois',
    'example.fr',
    'chloé 99',
  ];
  const searches = (i: number): RowQueryInput => ({ q: terms[i % terms.length] as string });

  const startedUnindexed = performance.now();
  await ask({ sort: { column: 'Score', as: 'number', direction: 'asc' } });
  const unindexedSortMs = performance.now() - startedUnindexed;

  note('query: first requests start the indexes; waiting for them to build');
  const startedIndexes = performance.now();
  for (const make of [...filters, ...sorts]) await ask(make(0));
  await ask({ sort: { column: 'Score', as: 'number', direction: 'asc' } });
  await ask(searches(0));
  await indexBuildsSettled();
  const indexSeconds = (performance.now() - startedIndexes) / 1000;
  const { rows: built } = await pool.query(
    `select count(*) filter (where status = 'ready')::int as ready, count(*) filter (where status <> 'ready')::int as not_ready,
            exists (select 1 from pg_extension where extname = 'pg_trgm') as trgm
     from query_indexes`,
  );
  note(`query: indexes ready ${built[0].ready}, not ready ${built[0].not_ready}, pg_trgm ${built[0].trgm}`);
  const { rows: missing } = await pool.query(
    `select status, error, definition from query_indexes where status <> 'ready'`,
  );
  for (const m of missing) note(`query: index ${m.status} (${m.error ?? 'no error'}): ${m.definition}`);

  // `kinds` > 1: the samples take turns over that many kinds of query; the slowest of each kind is
  // noted, so a p95 that jumps names the kind that made it.
  const p95 = async (what: string, make: (i: number) => RowQueryInput, kinds = 1, count = false) => {
    const times: number[] = [];
    const slowest = new Array<number>(kinds).fill(0);
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await ask(make(i), count);
      const ms = performance.now() - started;
      times.push(ms);
      slowest[i % kinds] = Math.max(slowest[i % kinds] as number, ms);
    }
    if (kinds > 1)
      note(`query: ${what}, slowest of each kind (ms): ${slowest.map((ms) => ms.toFixed(1)).join(', ')}`);
    times.sort((a, b) => a - b);
    return times[Math.ceil(times.length * 0.95) - 1] as number;
  };
  const { rows: vacuums } = await pool.query(
    `select coalesce(string_agg(query, '; '), 'none') as running from pg_stat_activity where backend_type = 'autovacuum worker'`,
  );
  note(`query: measuring (autovacuum running: ${vacuums[0].running})`);
  const pick = (list: Array<(i: number) => RowQueryInput>) => (i: number) =>
    (list[i % list.length] as (i: number) => RowQueryInput)(Math.floor(i / list.length));
  // a fixed pseudo-random walk over the whole table, the same in every run
  const jump = (i: number): RowQueryInput => ({ offset: (i * 7_919_993) % Math.max(1, rows - 100) });
  return {
    rows,
    filterP95Ms: await p95('filters', pick(filters), filters.length),
    sortP95Ms: await p95('sorts', pick(sorts), sorts.length),
    searchP95Ms: await p95('searches', searches, terms.length),
    jumpP95Ms: await p95('jumps', jump),
    countP95Ms: await p95('filters with counts', pick(filters), filters.length, true),
    unindexedSortMs,
    indexSeconds,
  };
}
