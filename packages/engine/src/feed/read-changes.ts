import type { Pool } from '@glaze/db';
import { isoTime, toCellInfo } from './cell-fields';
import type { ChangeBatch, RowChange, RunChange, TableChange } from './change-batch';
import { durableRead } from './durable-read';

export interface ReadChangesOptions {
  /** Most changes per read (a chunk claim counts once, however many cells it covers). */
  limit?: number;
  /** Read nothing past this seq. */
  upTo?: number;
}

export interface ReadResult {
  batch: ChangeBatch;
  /** False when the table no longer exists (deleted). */
  tableExists: boolean;
  /** True when the read hit the limit: read again from `batch.to`. */
  more: boolean;
}

/**
 * Reads the next batch of a table's changes after `after`: one read per table per tick, however many
 * clients watch the table (two short statements: the bound under the table's lock, then the changes).
 */
export async function readChanges(
  pool: Pool,
  tableId: number,
  after: number,
  options: ReadChangesOptions = {},
): Promise<ReadResult> {
  const limit = options.limit ?? 2000;
  // The bound first, in a statement of its own: glaze_table_seq (migration 004) takes the table's lock
  // exclusively, so every writer that took a seq below it has committed, and lets go when it returns.
  // The read itself then holds no lock (migration 028): a read of 2,000 changes takes ~100 ms, and
  // under the lock every flush of the table waited for it. A caller that already has a bound (a
  // catch-up read up to the feed's position) skips the first statement. durableRead makes what the
  // read returns survive a crash, so no seq it passes can be handed out again.
  const upTo = options.upTo ?? (await currentBound(pool, tableId));
  const { rows } = await pool.query(`select glaze_table_feed_upto($1, $2, $3, $4) as feed, ${durableRead}`, [
    tableId,
    after,
    limit,
    upTo,
  ]);
  type Item = Record<string, unknown>;
  const raw = rows[0].feed as {
    tableExists: boolean;
    more: boolean;
    upto: number | null;
    cells: Item[];
    runs: Item[];
    rows: Item[];
    changes: Item[];
  };
  const to = Math.max(after, Number(raw.upto ?? after));
  const keep = (item: Item) => Number(item.seq) <= to;
  const more = raw.more;
  return {
    tableExists: raw.tableExists,
    more,
    batch: {
      tableId,
      from: after,
      to,
      cells: raw.cells.filter(keep).map(toCellInfo),
      runs: raw.runs.filter(keep).map(toRunChange),
      rows: raw.rows.filter(keep).map(toRowChange),
      changes: raw.changes.filter(keep).map(toTableChange),
    },
  };
}

/** The table's newest seq, read under its lock: every change at or below it is committed. */
async function currentBound(pool: Pool, tableId: number): Promise<number> {
  const { rows } = await pool.query('select glaze_table_seq($1) as seq', [tableId]);
  return Number(rows[0]?.seq ?? 0);
}

export function toRunChange(r: Record<string, unknown>): RunChange {
  const counts = {
    done: Number(r.done_count),
    error: Number(r.error_count),
    skipped: Number(r.skipped_count),
    cancelled: Number(r.cancelled_count),
  };
  const total = Number(r.total);
  return {
    id: Number(r.id),
    tableId: Number(r.table_id),
    columnId: Number(r.column_id),
    status: r.status as RunChange['status'],
    total,
    counts,
    pending: Math.max(0, total - counts.done - counts.error - counts.skipped - counts.cancelled),
    cost: Number(r.cost),
    budget: r.budget === null ? null : Number(r.budget),
    cancelReason: (r.cancel_reason ?? null) as string | null,
    createdAt: isoTime(r.created_at) ?? '',
    finishedAt: isoTime(r.finished_at),
    seq: Number(r.seq),
  };
}

function toRowChange(r: Record<string, unknown>): RowChange {
  return {
    id: Number(r.id),
    position: Number(r.position),
    values: (r.data ?? {}) as Record<string, unknown>,
    seq: Number(r.seq),
  };
}

function toTableChange(r: Record<string, unknown>): TableChange {
  return {
    seq: Number(r.seq),
    kind: r.kind as TableChange['kind'],
    ids: ((r.ids ?? []) as unknown[]).map(Number),
  };
}
