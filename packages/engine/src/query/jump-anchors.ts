import type { Pool } from '@glaze/db';

/** Every this many rows, the (position, id) of a row is remembered. */
export const anchorEvery = 10_000;

interface Anchors {
  version: string;
  /** anchors[k] is the (position, id) of the row at offset (k + 1) × anchorEvery - 1. */
  keys: Array<[number, string]>;
}

const cache = new Map<number, Anchors>();
const maxTables = 50;

/**
 * Where to start reading the unfiltered table at `offset`: `OFFSET n` walks n index entries, and
 * at 900,000 that took 240-320 ms on the 2-core machine. One walk of the whole index (~0.3-0.6 s at a
 * million rows, once per table and change) remembers every 10,000th (position, id); a jump then
 * reads from the nearest one, under 10,000 entries. The anchors are valid while the table's newest
 * row change (insert, update, delete: each takes a seq) is the one they were made at.
 */
export async function jumpStart(
  pool: Pool,
  tableId: number,
  offset: number,
): Promise<{ after: [number, string] | null; skip: number }> {
  if (offset < anchorEvery) return { after: null, skip: offset };
  const { rows } = await pool.query(
    `select greatest((select max(seq) from rows where table_id = $1),
                     (select max(seq) from table_changes where table_id = $1))::text as version`,
    [tableId],
  );
  const version = String(rows[0]?.version);
  let anchors = cache.get(tableId);
  if (anchors?.version !== version) {
    const walk = await pool.query(
      `select position, id::text from (
         select position, id, row_number() over (order by position, id) as n from rows where table_id = $1
       ) x where n % $2 = 0 order by n`,
      [tableId, anchorEvery],
    );
    anchors = { version, keys: walk.rows.map((r) => [r.position, r.id]) };
    cache.delete(tableId);
    if (cache.size >= maxTables) cache.delete(cache.keys().next().value as number);
    cache.set(tableId, anchors);
  }
  const k = Math.min(Math.floor(offset / anchorEvery), anchors.keys.length);
  if (k === 0) return { after: null, skip: offset };
  return { after: anchors.keys[k - 1] as [number, string], skip: offset - k * anchorEvery };
}
