import type { Pool } from '@glaze/db';
import { isoTime, toCellInfo } from '../tables/cell-fields';
import type { ChangeBatch, RowChange, RunChange, TableChange } from './change-batch';

/**
 * One statement per read whatever the number of watchers: cells, runs, rows and table changes with
 * seq > $2 (and <= $4 when given), at most $3 of each. Every writer takes its seq under the table's
 * advisory lock, so what a snapshot shows is a prefix of the seq order and `seq > last` never skips.
 */
const readSql = `
with c as (
  select id, row_id, column_id, status, value, error, attempt, tries, run_id, cost, meta, started_at, finished_at, seq
  from cells where table_id = $1 and seq > $2 and ($4::bigint is null or seq <= $4) order by seq limit $3
),
r as (
  select id, table_id, column_id, status, total, done_count, error_count, skipped_count, cancelled_count, cost,
         budget, cancel_reason, created_at, finished_at, seq
  from runs where table_id = $1 and seq > $2 and ($4::bigint is null or seq <= $4) order by seq limit $3
),
w as (
  select id, position, data, seq
  from rows where table_id = $1 and seq > $2 and ($4::bigint is null or seq <= $4) order by seq limit $3
),
t as (
  select seq, kind, ids
  from table_changes where table_id = $1 and seq > $2 and ($4::bigint is null or seq <= $4) order by seq limit $3
)
select exists (select 1 from tables where id = $1) as "tableExists",
       (select coalesce(json_agg(c order by seq), '[]') from c) as cells,
       (select coalesce(json_agg(r order by seq), '[]') from r) as runs,
       (select coalesce(json_agg(w order by seq), '[]') from w) as rows,
       (select coalesce(json_agg(t order by seq), '[]') from t) as changes`;

export interface ReadChangesOptions {
  /** Most items of each kind per read; a full kind bounds the batch so the next read resumes exactly. */
  limit?: number;
  /** Read nothing past this seq. */
  upTo?: number;
}

export interface ReadResult {
  batch: ChangeBatch;
  /** False when the table no longer exists (deleted). */
  tableExists: boolean;
  /** True when a kind hit the limit: read again from `batch.to`. */
  more: boolean;
}

/** Reads the next batch of a table's changes after `after`. */
export async function readChanges(
  pool: Pool,
  tableId: number,
  after: number,
  options: ReadChangesOptions = {},
): Promise<ReadResult> {
  const limit = options.limit ?? 2000;
  const { rows } = await pool.query(readSql, [tableId, after, limit, options.upTo ?? null]);
  type Item = Record<string, unknown>;
  const raw = rows[0] as { tableExists: boolean; cells: Item[]; runs: Item[]; rows: Item[]; changes: Item[] };
  const lists = [raw.cells, raw.runs, raw.rows, raw.changes];
  // A kind that filled its limit may have more just past its last seq; cut every kind there.
  const full = lists.filter((list) => list.length >= limit).map((list) => Number(list[list.length - 1]?.seq));
  const more = full.length > 0;
  const seen = Math.max(after, ...lists.flatMap((list) => list.map((item) => Number(item.seq))));
  const to = more ? Math.min(...full) : Math.max(seen, options.upTo ?? seen);
  const keep = (item: Record<string, unknown>) => Number(item.seq) <= to;
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

function toRunChange(r: Record<string, unknown>): RunChange {
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
