import type { Pool } from '@glaze/db';
import { isoTime } from './cell-fields';
import type { ChangeBatch, RowChange, RunChange, TableChange } from './change-batch';
import { durableRead } from './durable-read';
import { wireCells } from './wire-cell';

export interface ReadChangesOptions {
  /** Most changes per read (a chunk claim counts once, however many cells it covers). */
  limit?: number;
  /** Read nothing past this seq (a bound an earlier read took): the table's lock is not taken. */
  upTo?: number;
  /**
   * `upTo` is a bound an earlier read already made durable (its commit flushed the WAL past every
   * change at or below it): this read need not flush again.
   */
  durableUpTo?: boolean;
}

export interface ReadResult {
  batch: ChangeBatch;
  /** False when the table no longer exists (deleted). */
  tableExists: boolean;
  /** True when the read hit the limit: read again from `batch.to`. */
  more: boolean;
  /** The bound the read was limited to (taken under the table's lock, or given): changes past it may exist. */
  bound: number;
}

/**
 * Reads the next batch of a table's changes after `after`, in one statement: one read per table per
 * tick, however many clients watch the table.
 */
export async function readChanges(
  pool: Pool,
  tableId: number,
  after: number,
  options: ReadChangesOptions = {},
): Promise<ReadResult> {
  const limit = options.limit ?? 2000;
  // The bound: glaze_table_seq takes the table's lock exclusively, so every writer that took a seq at
  // or below it has committed, and lets go of it once the bound is read (migration 032): the table's
  // writers wait for its five index probes, not for the read's JSON nor the barrier's WAL flush.
  // durableRead makes what the read returns survive a crash (its commit flushes the WAL past every
  // commit the read saw), so no seq it passes can be handed out again; the batch is sent only after
  // it. Bound, read and barrier in one round trip (they were two until the lock could be let go
  // inside the statement).
  const durable = options.durableUpTo && options.upTo !== undefined ? '' : `, ${durableRead}`;
  const { rows } = await pool.query(
    `with b as materialized (select coalesce($4::bigint, glaze_table_seq($1)) as bound)
     select f.feed, f.cells, b.bound${durable} from b, glaze_table_feed_page($1, $2, $3, b.bound) f`,
    [tableId, after, limit, options.upTo ?? null],
  );
  type Item = Record<string, unknown>;
  const raw = rows[0].feed as {
    tableExists: boolean;
    more: boolean;
    upto: number | null;
    runs: Item[];
    rows: Item[];
    changes: Item[];
  };
  const to = Math.max(after, Number(raw.upto ?? after));
  const keep = (item: Item) => Number(item.seq) <= to;
  return {
    tableExists: raw.tableExists,
    more: raw.more,
    bound: Number(rows[0].bound),
    batch: {
      tableId,
      from: after,
      to,
      // already cut to `to` by the statement, as text to pass on (migration 031)
      cells: wireCells(rows[0].cells),
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
