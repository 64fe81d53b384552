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
 * Reads the next batch of a table's changes after `after`: one statement per table per tick, however
 * many clients watch the table.
 */
export async function readChanges(
  pool: Pool,
  tableId: number,
  after: number,
  options: ReadChangesOptions = {},
): Promise<ReadResult> {
  const limit = options.limit ?? 2000;
  // glaze_table_feed (migration 004) takes the table's lock exclusively, so writers (who hold it
  // shared while taking seqs) are never mid-way below what it returns. It writes nothing, so its
  // commit releases the lock at once.
  const { rows } = await pool.query('select glaze_table_feed($1, $2, $3, $4) as feed', [
    tableId,
    after,
    limit,
    options.upTo ?? null,
  ]);
  // Then durableRead in a transaction of its own: its commit flushes the WAL past every commit the read
  // saw, so no seq the batch passes can be handed out again after a crash. In the read's statement it
  // held the table's lock through that flush (4–28 ms here under load), and every claim and flush of
  // the table waited behind it: on a 10-cell run, twice (the start's and the claim's reads).
  await pool.query(`select ${durableRead} as durable`);
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
