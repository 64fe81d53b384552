import type { Pool } from '@glaze/db';
import { isoTime } from './cell-fields';
import type { ChangeBatch, RowChange, RunChange, TableChange } from './change-batch';
import { durableRead } from './durable-read';
import { wireCells } from './wire-cell';

export interface ReadChangesOptions {
  /** Most changes per read (a chunk claim counts once, however many cells it covers). */
  limit?: number;
  /** Read nothing past this seq. */
  upTo?: number;
  /**
   * Read the bound in a statement of its own first, so the read itself holds no lock: for a feed
   * behind its table, whose long reads come back to back. Otherwise one round trip does both.
   */
  boundFirst?: boolean;
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
  /** The bound the read was limited to, when it was read first (or given): changes past it may exist. */
  bound?: number;
}

/**
 * Reads the next batch of a table's changes after `after`: one read per table per tick, however many
 * clients watch the table.
 */
export async function readChanges(
  pool: Pool,
  tableId: number,
  after: number,
  options: ReadChangesOptions = {},
): Promise<ReadResult> {
  const limit = options.limit ?? 2000;
  // The bound: glaze_table_seq (migration 004) takes the table's lock exclusively, so every writer
  // that took a seq at or below it has committed. durableRead makes what the read returns survive a
  // crash (its commit flushes the WAL past every commit the read saw), so no seq it passes can be
  // handed out again; the batch is sent only after it.
  // - A feed that keeps up takes the bound in its read's statement: the lock lasts the read (one round
  //   trip fewer before a 10-cell run's last change: e2e p50 21-29 ms with it, 37-43 ms with the bound
  //   first), then durableRead in a statement of its own, so the lock is not held through that
  //   synchronous WAL flush (4-28 ms here under load) that every claim and flush of the table would
  //   queue behind: twice on a 10-cell run.
  // - With `boundFirst` (a feed behind its table) the bound is read and let go first, and a long read
  //   (8,000 changes, 100-300 ms) holds no lock; it carries durableRead itself. So does a read whose
  //   caller already has a bound (a catch-up read up to the feed's position).
  const upTo = options.upTo ?? (options.boundFirst ? await currentBound(pool, tableId) : undefined);
  const locked = upTo === undefined;
  const durable = locked || (options.durableUpTo && options.upTo !== undefined) ? '' : `, ${durableRead}`;
  const { rows } = await pool.query(
    `select f.feed, f.cells${durable} from glaze_table_feed_page($1, $2, $3, coalesce($4, glaze_table_seq($1))) f`,
    [tableId, after, limit, upTo ?? null],
  );
  if (locked) await pool.query(`select ${durableRead} as durable`);
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
  const more = raw.more;
  return {
    tableExists: raw.tableExists,
    more,
    bound: upTo,
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
