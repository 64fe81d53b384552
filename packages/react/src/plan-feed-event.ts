import type { CellChange, components, FeedEvent, RowChange, RunChange } from '@glaze/client';

/** What a client may hold of a run: the latest REST answer (no seq) or feed snapshot. */
export type RunSnapshot = components['schemas']['Run'] | RunChange;

/** What to reload from REST after an event, from least to most. */
export type Refetch = 'none' | 'rows' | 'schema' | 'all';

const refetchRank: Record<Refetch, number> = { none: 0, rows: 1, schema: 2, all: 3 };

/** The larger of two refetch needs: `all` covers `schema`, which covers `rows`. */
function maxRefetch(a: Refetch, b: Refetch): Refetch {
  return refetchRank[a] >= refetchRank[b] ? a : b;
}

/** Read-only view of what the client holds, enough to decide what an event changes. */
export interface FeedView {
  /** seq of the cell the client holds, undefined when it holds none. */
  cellSeq(rowId: number, columnId: number): number | undefined;
  run(runId: number): RunOrder | undefined;
  /** Whether the row is part of the table as the client knows it (loaded or not). */
  hasRow(rowId: number): boolean;
  readonly lastSeq: number;
}

/** The changes an event amounts to, already filtered: apply every entry as is. */
export interface FeedPlan {
  /** Newest version of each changed cell, only where it is newer than what the client holds. */
  cells: CellChange[];
  runs: RunSnapshot[];
  /** New input values for rows the client knows. */
  rows: RowChange[];
  lastSeq: number;
  refetch: Refetch;
  /** Cell changes dropped as stale or duplicate (seq not above the held one). */
  ignored: number;
}

/**
 * The realtime logic as a pure function: which parts of an event to apply, given what the client
 * holds. Changes can arrive twice (a replay after a reconnect overlaps what was seen) or late
 * (a REST page fetched after the event but read before it), so a cell change wins only if its seq
 * is higher than the cell's current seq.
 * @example const plan = planFeedEvent(store, event); store.commit(plan);
 */
export function planFeedEvent(view: FeedView, event: FeedEvent): FeedPlan {
  const plan: FeedPlan = {
    cells: [],
    runs: [],
    rows: [],
    lastSeq: view.lastSeq,
    refetch: 'none',
    ignored: 0,
  };
  switch (event.event) {
    case 'ready':
      plan.lastSeq = Math.max(plan.lastSeq, event.data.seq);
      return plan;
    case 'tableDeleted':
      return plan;
    case 'reset':
      plan.refetch = 'all';
      return plan;
    case 'schema':
      plan.refetch = 'schema';
      return plan;
    case 'rowsDeleted':
      plan.refetch = event.data.ids.some((id) => view.hasRow(id)) ? 'rows' : 'none';
      return plan;
    case 'progress':
      // Ahead of the stream's position: applied by seq, but `lastSeq` (where a resume starts) stays.
      planCells(view, event.data.cells, plan, false);
      planRuns(view, event.data.runs, plan);
      return plan;
    case 'changes':
      planCells(view, event.data.cells, plan, true);
      planRuns(view, event.data.runs, plan);
      for (const row of event.data.rows) {
        if (view.hasRow(row.id)) plan.rows.push(row);
        else plan.refetch = maxRefetch(plan.refetch, 'rows');
      }
      if (event.id !== undefined) plan.lastSeq = Math.max(plan.lastSeq, event.id);
      return plan;
    default:
      return plan; // a frame a newer server sends that this client does not know: nothing to apply
  }
}

function planCells(view: FeedView, cells: readonly CellChange[], plan: FeedPlan, inOrder: boolean): void {
  // Within one event the same cell may appear more than once: keep the highest seq.
  const newest = new Map<string, CellChange>();
  for (const cell of cells) {
    const seq = Number(cell.seq);
    if (inOrder) plan.lastSeq = Math.max(plan.lastSeq, seq);
    const key = `${cell.rowId}:${cell.columnId}`;
    const held = newest.get(key)?.seq ?? view.cellSeq(cell.rowId, cell.columnId);
    if (held !== undefined && seq <= Number(held)) {
      plan.ignored++;
      continue;
    }
    if (newest.has(key)) plan.ignored++;
    newest.set(key, seq === cell.seq ? cell : { ...cell, seq });
  }
  plan.cells = [...newest.values()];
}

function planRuns(view: FeedView, runs: readonly RunSnapshot[], plan: FeedPlan): void {
  const newest = new Map<number, RunSnapshot>();
  for (const run of runs) {
    const held: RunOrder | undefined = newest.get(run.id) ?? view.run(run.id);
    if (!held || isNewerRun(held, run)) newest.set(run.id, run);
  }
  plan.runs = [...newest.values()];
}

/** What orders two snapshots of a run: feed snapshots carry a seq, REST answers none. */
export interface RunOrder {
  status: RunSnapshot['status'];
  counts: RunChange['counts'];
  seq?: number;
}

/**
 * Whether `next` is a later snapshot of the same run than `held`. Feed snapshots carry a seq; a REST
 * answer does not, so otherwise progress only grows (finished counts) and a finished run never goes back.
 */
export function isNewerRun(held: RunOrder, next: RunOrder): boolean {
  if (held.seq !== undefined && next.seq !== undefined) return next.seq > held.seq;
  if (held.status !== 'running' && next.status === 'running') return false;
  if (held.status === 'running' && next.status !== 'running') return true;
  return settledCount(next) >= settledCount(held);
}

/** Cells of a run that finished, whatever their state. */
export function settledCount(run: Pick<RunOrder, 'counts'>): number {
  const c = run.counts;
  return c.done + c.error + c.skipped + c.cancelled;
}
