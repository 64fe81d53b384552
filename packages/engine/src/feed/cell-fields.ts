import type { CellChange, CellStatus, Json } from '@glaze/core';

/** One cell as the API shows it, with its row and column: `CellChange` (the change feed carries cells as text: `wire-cell.ts`). */
export type CellInfo = CellChange;

const cellFields = `c.id, c.row_id, c.column_id, c.status, c.error, c.attempt, c.tries, c.run_id, c.cost,
  c.meta, c.started_at, c.finished_at, c.seq`;

/**
 * The select list behind `toCellInfo` for a listing, for `cells c` (or `cell_states c`) joined with
 * `largeValueJoin`: a value over 64 KB of JSON is left out (null) and its size given instead.
 */
export const cellColumns = `${cellFields}, case when l.bytes is null then c.value end as value,
  l.bytes as large_value_bytes`;

/** The select list behind `toCellInfo` for one cell, its value whole. */
export const wholeCellColumns = `${cellFields}, c.value`;

/** Measures `c.value` once (migration 035; `offset 0` keeps it from being inlined into each use). */
export const largeValueJoin =
  'cross join lateral (select glaze_large_value_bytes(c.value) as bytes offset 0) l';

/** Timestamps come back as Date (columns) or text (json_agg); both leave as ISO 8601 in UTC. */
export function isoTime(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/** Maps a row selected with `cellColumns` to a CellInfo. */
export function toCellInfo(row: Record<string, unknown>): CellInfo {
  return {
    id: Number(row.id),
    rowId: Number(row.row_id),
    columnId: Number(row.column_id),
    status: row.status as CellStatus,
    value: (row.value ?? null) as Json | null,
    error: (row.error ?? null) as string | null,
    attempt: Number(row.attempt),
    tries: Number(row.tries),
    runId: row.run_id === null || row.run_id === undefined ? null : Number(row.run_id),
    cost: row.cost === null || row.cost === undefined ? null : Number(row.cost),
    meta: (row.meta ?? null) as Record<string, Json> | null,
    startedAt: isoTime(row.started_at),
    finishedAt: isoTime(row.finished_at),
    seq: Number(row.seq),
    largeValueBytes:
      row.large_value_bytes === null || row.large_value_bytes === undefined
        ? null
        : Number(row.large_value_bytes),
  };
}
