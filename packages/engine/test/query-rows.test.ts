import type { Filter, Sort } from '@glaze/core';
import type { TestDatabase } from '@glaze/db/testing';
import { builtinProviders } from '@glaze/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addColumn,
  compileQuery,
  createTable,
  type IndexWant,
  indexBuildsSettled,
  indexName,
  insertRowData,
  queryRows,
  requestQueryIndexes,
} from '../src/index';
import { createWorkspace, testDatabase } from './helpers';

// 700 generated rows, the reference computed here in JavaScript over the same values.
const names = ['José', 'zoë', 'André', 'ÉLODIE', 'Müller', 'smith', 'Ana', 'chloé', 'JOSE', 'Zoe'];
const cities = ['Zürich', 'São Paulo', 'Montréal', 'paris', 'BERLIN', 'Köln', 'zurich', '50%_off'];

interface Ref {
  id: number;
  name?: string;
  city?: string;
  score?: string;
  signup?: string;
  cell?: { status: string; value: { valid: boolean; score: number } | null };
}

let db: TestDatabase;
let tableId: number;
let col: { name: number; city: number; score: number; signup: number; check: number };
const refs: Ref[] = [];

beforeAll(async () => {
  db = await testDatabase();
  const workspaceId = await createWorkspace(db);
  const table = await createTable(db.pool, {
    workspaceId,
    name: 'query',
    inputColumns: ['Name', 'City', 'Score', 'Signup'],
  });
  tableId = table.id;
  const { rows: cols } = await db.pool.query('select id, name from columns where table_id = $1', [tableId]);
  const byName = Object.fromEntries(cols.map((c) => [c.name, Number(c.id)]));
  const check = await addColumn(db.pool, builtinProviders, {
    tableId,
    name: 'Email check',
    kind: 'enrichment',
    provider: 'mock',
    config: {},
  });
  col = { name: byName.Name, city: byName.City, score: byName.Score, signup: byName.Signup, check: check.id };
  const data: string[] = [];
  const drafts: Omit<Ref, 'id'>[] = [];
  for (let i = 0; i < 700; i++) {
    const r: Omit<Ref, 'id'> = {};
    if (i % 17 !== 0) r.name = `${names[i % names.length]} ${i % 23}`;
    if (i % 13 !== 0) r.city = i % 29 === 0 ? '' : cities[(i * 7) % cities.length];
    // numbers as text, some decimals and negatives, some not numbers at all
    if (i % 11 !== 0)
      r.score = i % 31 === 0 ? 'n/a' : String(((i * 37) % 200) - 50 + (i % 3 === 0 ? 0.5 : 0));
    if (i % 9 !== 0) r.signup = `202${i % 5}-0${1 + (i % 9)}-1${i % 10}`;
    if (i % 10 !== 3) {
      const status = i % 25 === 0 ? 'error' : i % 40 === 1 ? 'idle' : 'done';
      r.cell = { status, value: status === 'done' ? { valid: i % 3 !== 0, score: (i * 13) % 50 } : null };
    }
    drafts.push(r);
    const row: Record<string, string> = {};
    if (r.name !== undefined) row[col.name] = r.name;
    if (r.city !== undefined) row[col.city] = r.city;
    if (r.score !== undefined) row[col.score] = r.score;
    if (r.signup !== undefined) row[col.signup] = r.signup;
    data.push(JSON.stringify(row));
  }
  const ids = await insertRowData(db.pool, tableId, data);
  for (const [i, d] of drafts.entries()) refs.push({ id: ids[i] as number, ...d });
  const withCells = refs.filter((r) => r.cell);
  await db.pool.query(
    `insert into cells (table_id, row_id, column_id, status, value)
     select $1, u.row_id, $2, u.status, u.value from unnest($3::bigint[], $4::text[], $5::jsonb[]) u(row_id, status, value)`,
    [
      tableId,
      col.check,
      withCells.map((r) => r.id),
      withCells.map((r) => r.cell?.status),
      withCells.map((r) => (r.cell?.value ? JSON.stringify(r.cell.value) : null)),
    ],
  );
});
afterAll(async () => {
  await indexBuildsSettled();
  await db.drop();
});

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const num = (s: string | undefined) =>
  s !== undefined && /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(s) ? Number(s) : null;
const byPosition = (rows: Ref[]) => rows.map((r) => r.id);

async function all(query: { filter?: Filter; sort?: Sort; q?: string }): Promise<number[]> {
  const page = await queryRows(db.pool, { tableId, query: { ...query, limit: 1000 } });
  await indexBuildsSettled();
  return page.rows.map((r) => r.id);
}

/** Rows ordered by a key, nulls last in both directions, ties by id. */
function sortRef<T>(rows: Ref[], key: (r: Ref) => T | null, compare: (a: T, b: T) => number, desc: boolean) {
  return [...rows]
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === null && kb === null) return a.id - b.id;
      if (ka === null) return 1;
      if (kb === null) return -1;
      const c = desc ? compare(kb, ka) : compare(ka, kb);
      return c !== 0 ? c : a.id - b.id;
    })
    .map((r) => r.id);
}

describe('filters match a reference computed in JavaScript', () => {
  it('equals, contains and starts with (case and accents ignored for the last two)', async () => {
    expect(await all({ filter: { column: 'City', op: 'eq', value: 'paris' } })).toEqual(
      byPosition(refs.filter((r) => r.city === 'paris')),
    );
    expect(await all({ filter: { column: 'City', op: 'contains', value: 'ZUR' } })).toEqual(
      byPosition(refs.filter((r) => r.city !== undefined && fold(r.city).includes('zur'))),
    );
    expect(await all({ filter: { column: col.name, op: 'startsWith', value: 'jose' } })).toEqual(
      byPosition(refs.filter((r) => r.name !== undefined && fold(r.name).startsWith('jose'))),
    );
    // LIKE's wildcards are literal characters
    expect(await all({ filter: { column: 'City', op: 'contains', value: '%_' } })).toEqual(
      byPosition(refs.filter((r) => r.city?.includes('%_'))),
    );
    expect(await all({ filter: { column: 'City', op: 'neq', value: 'paris' } })).toEqual(
      byPosition(refs.filter((r) => r.city !== 'paris')),
    );
  });

  it('is empty / is not empty, numbers stored as text, dates', async () => {
    expect(await all({ filter: { column: 'City', op: 'empty' } })).toEqual(
      byPosition(refs.filter((r) => !r.city)),
    );
    expect(await all({ filter: { column: 'City', op: 'notEmpty' } })).toEqual(
      byPosition(refs.filter((r) => !!r.city)),
    );
    expect(await all({ filter: { column: 'Score', op: 'gte', value: 99.5 } })).toEqual(
      byPosition(refs.filter((r) => (num(r.score) ?? Number.NEGATIVE_INFINITY) >= 99.5)),
    );
    expect(await all({ filter: { column: 'Score', op: 'eq', value: 10 } })).toEqual(
      byPosition(refs.filter((r) => num(r.score) === 10)),
    );
    expect(await all({ filter: { column: 'Signup', op: 'before', value: '2021-03-01' } })).toEqual(
      byPosition(refs.filter((r) => r.signup !== undefined && r.signup < '2021-03-01')),
    );
  });

  it('cell status and enrichment values, combined with and / or / not', async () => {
    expect(await all({ filter: { column: 'Email check', op: 'status', value: ['error'] } })).toEqual(
      byPosition(refs.filter((r) => r.cell?.status === 'error')),
    );
    // idle also covers rows the column never ran on
    expect(await all({ filter: { column: 'Email check', op: 'status', value: ['idle'] } })).toEqual(
      byPosition(refs.filter((r) => !r.cell || r.cell.status === 'idle')),
    );
    expect(await all({ filter: { column: 'Email check.valid', op: 'eq', value: 'false' } })).toEqual(
      byPosition(refs.filter((r) => r.cell?.value?.valid === false)),
    );
    const filter: Filter = {
      or: [
        {
          and: [
            { column: 'City', op: 'contains', value: 'zurich' },
            { column: 'Score', op: 'lt', value: 0 },
          ],
        },
        { not: { column: 'Email check', op: 'status', value: ['done', 'idle'] } },
      ],
    };
    expect(await all({ filter })).toEqual(
      byPosition(
        refs.filter(
          (r) =>
            (r.city !== undefined &&
              fold(r.city).includes('zurich') &&
              (num(r.score) ?? 0) < 0 &&
              num(r.score) !== null) ||
            !(r.cell === undefined || r.cell.status === 'done' || r.cell.status === 'idle'),
        ),
      ),
    );
  });
});

describe('search and sort match the reference', () => {
  it('searches every input value, ignoring case and accents', async () => {
    const hit = (r: Ref) =>
      [r.name, r.city, r.score, r.signup].some((v) => v !== undefined && fold(v).includes('zoe 1'));
    expect(await all({ q: 'ZOË 1' })).toEqual(byPosition(refs.filter(hit)));
  });

  it('sorts text in the database collation, numbers and dates as such, enrichment values as JSON', async () => {
    const cityValues = [...new Set(refs.flatMap((r) => (r.city === undefined ? [] : [r.city])))];
    const { rows } = await db.pool.query('select v from unnest($1::text[]) v order by v', [cityValues]);
    const rank = new Map(rows.map((r, i) => [r.v as string, i]));
    for (const direction of ['asc', 'desc'] as const) {
      const desc = direction === 'desc';
      expect(await all({ sort: { column: 'City', direction } })).toEqual(
        sortRef(
          refs,
          (r) => (r.city === undefined ? null : (rank.get(r.city) as number)),
          (a, b) => a - b,
          desc,
        ),
      );
      expect(await all({ sort: { column: 'Score', direction, as: 'number' } })).toEqual(
        sortRef(
          refs,
          (r) => num(r.score),
          (a, b) => a - b,
          desc,
        ),
      );
      expect(await all({ sort: { column: 'Signup', direction, as: 'date' } })).toEqual(
        sortRef(
          refs,
          (r) => r.signup ?? null,
          (a, b) => (a < b ? -1 : a > b ? 1 : 0),
          desc,
        ),
      );
      // rows whose cell has no value come before rows with no cell at all (page-statement.ts)
      const valued = refs.filter((r) => r.cell?.value);
      expect(await all({ sort: { column: 'Email check.score', direction } })).toEqual([
        ...sortRef(
          valued,
          (r) => r.cell?.value?.score ?? null,
          (a, b) => a - b,
          desc,
        ),
        ...byPosition(refs.filter((r) => r.cell && !r.cell.value)).sort((a, b) => a - b),
        ...byPosition(refs.filter((r) => !r.cell)).sort((a, b) => a - b),
      ]);
    }
  });

  it('pages from any offset of a filtered, sorted query', async () => {
    const query = {
      filter: { column: 'Score', op: 'notEmpty' } as Filter,
      sort: { column: 'Name', direction: 'desc' } as Sort,
    };
    const whole = await all(query);
    const page = await queryRows(db.pool, {
      tableId,
      query: { ...query, offset: 250, limit: 40 },
      count: true,
    });
    expect(page.rows.map((r) => r.id)).toEqual(whole.slice(250, 290));
    expect(page.matched).toEqual({ count: whole.length, exact: true });
    // the same through the two-part read of a sort on an enrichment value, with a filter on that column
    const byCell = {
      filter: { column: 'Email check', op: 'status', value: ['done', 'idle'] } as Filter,
      sort: { column: 'Email check.score', direction: 'desc' } as Sort,
    };
    const wholeByCell = await all(byCell);
    expect(wholeByCell.length).toBe(refs.filter((r) => r.cell?.status !== 'error').length);
    const deep = await queryRows(db.pool, { tableId, query: { ...byCell, offset: 560, limit: 50 } });
    expect(deep.rows.map((r) => r.id)).toEqual(wholeByCell.slice(560, 610));
  });
});

describe('indexes', () => {
  it('a sort and a filter use the index built for them once it exists', async () => {
    const { rows: columns } = await db.pool.query(
      'select id::int, name, kind from columns where table_id = $1',
      [tableId],
    );
    const compiled = compileQuery(tableId, columns, {
      filter: { column: 'Email check', op: 'status', value: ['error'] },
      sort: { column: 'Score', as: 'number', direction: 'desc' },
    });
    await (await requestQueryIndexes(db.pool, compiled.indexes)).built;
    const names = compiled.indexes.map(indexName);
    expect(names).toHaveLength(2);
    // the search index too (its function calls another: Postgres 17 builds it with search_path = pg_catalog)
    const search = compileQuery(tableId, columns, { q: 'zoë' }).indexes;
    const { rows: trgm } = await db.pool.query(`select 1 from pg_extension where extname = 'pg_trgm'`);
    await (await requestQueryIndexes(db.pool, search)).built;
    const { rows: searchIndex } = await db.pool.query(
      `select status, error from query_indexes where name = $1`,
      [indexName(search[0] as IndexWant)],
    );
    expect(searchIndex).toEqual(trgm.length > 0 ? [{ status: 'ready', error: null }] : []);
    const { rows: ready } = await db.pool.query(
      `select q.status from query_indexes q join pg_index i on i.indexrelid = q.name::regclass
       where q.name = any($1) and i.indisvalid`,
      [names],
    );
    expect(ready.map((r) => r.status)).toEqual(['ready', 'ready']);
    const client = await db.pool.connect();
    try {
      // 700 rows are cheap to scan: forbid the scan and the sort so the plan shows whether an index can serve
      await client.query(
        'begin; set local enable_seqscan = off; set local enable_sort = off; set local enable_bitmapscan = off',
      );
      const plan = await client.query(
        `explain select r.id from ${compiled.from} where ${compiled.where} order by ${compiled.orderBy} limit 10`,
        compiled.params,
      );
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index (Only )?Scan( Backward)? using glaze_q_\w+ on rows/);
      expect(text).toMatch(/Index (Only )?Scan using glaze_q_\w+ on cells/);
      await client.query('rollback');
    } finally {
      client.release();
    }
  });

  it('a build whose process died mid-way is built again by the next query that wants it', async () => {
    const { rows: columns } = await db.pool.query(
      'select id::int, name, kind from columns where table_id = $1',
      [tableId],
    );
    const wants = compileQuery(tableId, columns, { sort: { column: 'City', direction: 'asc' } }).indexes;
    await (await requestQueryIndexes(db.pool, wants)).built;
    const name = indexName(wants[0] as IndexWant);
    // What a crash during `create index concurrently` leaves: an invalid index of that name (here a
    // unique build that fails on the table's duplicate ids) and its row still 'building', started
    // long ago, with no backend building it.
    await db.pool.query(`drop index ${name}`);
    await expect(
      db.pool.query(`create unique index concurrently ${name} on rows (table_id)`),
    ).rejects.toThrow(/could not create unique index/);
    await db.pool.query(
      `update query_indexes set status = 'building', ready_at = null, created_at = now() - interval '1 hour'
       where name = $1`,
      [name],
    );
    const state = async () =>
      (
        await db.pool.query(
          `select q.status, i.indisvalid as valid, pg_get_indexdef(i.indexrelid) like '%(table_id)' as stand_in
           from query_indexes q left join pg_index i on i.indexrelid = to_regclass(q.name) where q.name = $1`,
          [name],
        )
      ).rows[0];
    expect(await state()).toEqual({ status: 'building', valid: false, stand_in: true });

    const request = await requestQueryIndexes(db.pool, wants);
    expect(request.building).toEqual([name]);
    await request.built;
    expect(await state()).toEqual({ status: 'ready', valid: true, stand_in: false });

    // One that started a moment ago is left to the process building it.
    await db.pool.query(`update query_indexes set status = 'building', created_at = now() where name = $1`, [
      name,
    ]);
    await db.pool.query(`drop index ${name}`);
    await (await requestQueryIndexes(db.pool, wants)).built;
    expect((await state()).status).toBe('building');
  });
});
