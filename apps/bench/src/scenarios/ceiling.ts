import type { BenchDatabase } from '../bench-database';
import { seedMockTable } from '../seed';

export interface CeilingFigures {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

/** Rows per statement: what a worker's flush writes at once at full speed (two chunks of 500). */
const batch = 1_000;

/**
 * What Postgres itself can write on this machine, for the engine's figures to be read against: the
 * `rows` queued cells of a mock column set done by raw batched `UPDATE … FROM unnest` statements of
 * 1,000 rows each, one after another on one connection, with what every result needs (status, a
 * mock-shaped value, a seq from the shared sequence, finish time) and nothing else: no claim, no
 * chunk, no run counters, no NOTIFY, no provider call. The cells are made queued (as a run's start
 * leaves them) untimed first.
 */
export async function benchCeiling(db: BenchDatabase, rows: number): Promise<CeilingFigures> {
  const pool = db.near ?? db.pool;
  const { table, column } = await seedMockTable(pool, rows);
  await pool.query(
    `insert into cells (table_id, row_id, column_id, status, queued_at)
     select $1, id, $2, 'queued', now() from rows where table_id = $1`,
    [table.id, column.id],
  );
  await pool.query('vacuum analyze');
  const { rows: ids } = await pool.query<{ id: string | number }>(
    'select id from rows where table_id = $1 order by id',
    [table.id],
  );
  const client = await pool.connect();
  try {
    const started = performance.now();
    for (let start = 0; start < ids.length; start += batch) {
      const slice = ids.slice(start, start + batch);
      const values = slice.map((row, i) =>
        JSON.stringify({ input: `row-${start + i}`, hash: String(row.id).padStart(12, '0'), length: 9 }),
      );
      await client.query(
        `update cells c
         set status = 'done', value = u.value, seq = nextval('glaze_seq'), finished_at = now(), tries = 1
         from unnest($2::bigint[], $3::jsonb[]) as u(row_id, value)
         where c.column_id = $1 and c.row_id = u.row_id`,
        [column.id, slice.map((row) => row.id), values],
      );
    }
    const seconds = (performance.now() - started) / 1000;
    return { rows: ids.length, seconds, rowsPerSecond: ids.length / seconds };
  } finally {
    client.release();
  }
}
