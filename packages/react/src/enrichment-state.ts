import type { CellChange, components, FeedEvent, FeedFrames } from '@glaze/client';
import {
  type FeedView,
  isNewerRun,
  planFeedEvent,
  type RunSnapshot,
  settledCount,
} from './plan-feed-event.js';

// The API's own shapes (the client's types are generated from the OpenAPI document).
type Row = components['schemas']['Row'];
type Run = components['schemas']['Run'];

/** A cell as the hook holds it: what a person sees, and the seq that decides which copy is newer. */
export interface HeldCell {
  status: CellChange['status'];
  value: unknown;
  error: string | null;
  seq: number;
}

export interface HeldRow {
  id: number;
  position: number;
  /** Input values by column id. */
  values: Row['values'];
  /** Enrichment cells by column id. */
  cells: Readonly<Record<string, HeldCell>>;
}

/** A run's progress: `finished` of `total` cells settled (done, error, skipped or cancelled). */
export interface RunProgress {
  id: number;
  columnId: number;
  status: Run['status'];
  total: number;
  finished: number;
  counts: { done: number; error: number; skipped: number; cancelled: number };
  /** Feed snapshots are ordered by seq; a REST answer has none. */
  seq?: number;
}

export interface EnrichmentState {
  /** The rows asked for, in table order; nothing else is held, whatever the stream carries. */
  rows: readonly HeldRow[];
  runs: ReadonlyMap<number, RunProgress>;
  /** Where a resumed stream starts: the last `changes` frame's id (or `ready`'s seq). */
  lastSeq: number;
}

/** What a frame asks of the network side beyond the state: reload the rows from REST. */
export interface Applied {
  state: EnrichmentState;
  reload: boolean;
}

export const emptyState: EnrichmentState = { rows: [], runs: new Map(), lastSeq: 0 };

/**
 * The rows and runs a REST read returned, merged into what the stream applied meanwhile: of two
 * copies of a cell the higher seq wins, so neither a page read before a change nor one read after
 * loses it (the stream was subscribed before the read started).
 */
export function loaded(state: EnrichmentState, rows: readonly Row[], runs: readonly Run[]): EnrichmentState {
  const held = new Map(state.rows.map((row) => [row.id, row]));
  const next = rows.map((row): HeldRow => {
    const cells: Record<string, HeldCell> = {};
    for (const [columnId, cell] of Object.entries(row.cells)) cells[columnId] = heldCell(cell);
    const before = held.get(row.id)?.cells ?? {};
    for (const [columnId, cell] of Object.entries(before)) {
      if (cell.seq > (cells[columnId]?.seq ?? -1)) cells[columnId] = cell;
    }
    return { id: row.id, position: row.position, values: row.values, cells };
  });
  const progress = new Map(state.runs);
  for (const run of runs) mergeRun(progress, fromRest(run));
  return { ...state, rows: next, runs: progress };
}

/**
 * Applies one frame of `GET /tables/:id/events`, as `planFeedEvent` decides: cell changes land only
 * on held rows and only when newer (a replay after a reconnect overlaps what was seen); `progress`
 * frames are ahead of the stream, so they move no resume point.
 * @example ({ state, reload } = applyFrame(state, 'changes', frame, 120, limit));
 */
export function applyFrame(
  state: EnrichmentState,
  event: string,
  data: unknown,
  id: number | undefined,
  limit: number,
): Applied {
  const rowsById = new Map(state.rows.map((row) => [row.id, row]));
  const view: FeedView = {
    cellSeq: (rowId, columnId) => rowsById.get(rowId)?.cells[String(columnId)]?.seq,
    run: (runId) => state.runs.get(runId),
    hasRow: (rowId) => rowsById.has(rowId),
    lastSeq: state.lastSeq,
  };
  const plan = planFeedEvent(view, { event, data, id } as FeedEvent);
  const rows = withRowValues(withCells(state.rows, rowsById, plan.cells), plan.rows);
  const next: EnrichmentState = {
    rows,
    runs: withRuns(state.runs, plan.runs),
    lastSeq: plan.lastSeq,
  };
  // A row we do not hold is a new one: it belongs on screen only if the page has room.
  const reload =
    plan.refetch === 'rows' && event === 'changes' ? rows.length < limit : plan.refetch !== 'none';
  return { state: unchanged(state, next) ? state : next, reload };
}

/** The same object when nothing moved, so a React consumer does not render again. */
function unchanged(before: EnrichmentState, after: EnrichmentState): boolean {
  return before.rows === after.rows && before.runs === after.runs && before.lastSeq === after.lastSeq;
}

function heldCell(cell: Pick<CellChange, 'status' | 'value' | 'error' | 'seq'>): HeldCell {
  return { status: cell.status, value: cell.value, error: cell.error, seq: Number(cell.seq) };
}

/** The planned cells (each newer than the held copy) written onto the held rows they belong to. */
function withCells(
  rows: readonly HeldRow[],
  rowsById: ReadonlyMap<number, HeldRow>,
  cells: readonly CellChange[],
): readonly HeldRow[] {
  const changed = new Map<number, Record<string, HeldCell>>();
  for (const cell of cells) {
    const row = rowsById.get(cell.rowId);
    if (!row) continue;
    const next = changed.get(row.id) ?? { ...row.cells };
    next[String(cell.columnId)] = heldCell(cell);
    changed.set(row.id, next);
  }
  if (changed.size === 0) return rows;
  return rows.map((row) => {
    const cellsOfRow = changed.get(row.id);
    return cellsOfRow ? { ...row, cells: cellsOfRow } : row;
  });
}

function withRowValues(rows: readonly HeldRow[], changes: FeedFrames['changes']['rows']): readonly HeldRow[] {
  if (changes.length === 0) return rows;
  const byId = new Map(changes.map((row) => [row.id, row]));
  return rows.map((row) => {
    const change = byId.get(row.id);
    return change ? { ...row, position: change.position, values: change.values } : row;
  });
}

function withRuns(
  runs: ReadonlyMap<number, RunProgress>,
  planned: readonly RunSnapshot[],
): ReadonlyMap<number, RunProgress> {
  if (planned.length === 0) return runs;
  const progress = new Map(runs);
  for (const run of planned) {
    const counts = {
      done: run.counts.done,
      error: run.counts.error,
      skipped: run.counts.skipped,
      cancelled: run.counts.cancelled,
    };
    progress.set(run.id, {
      id: run.id,
      columnId: run.columnId,
      status: run.status,
      total: run.total,
      counts,
      finished: settledCount({ counts }),
      ...('seq' in run ? { seq: run.seq } : {}),
    });
  }
  return progress;
}

function fromRest(run: Run): RunProgress {
  const { done, error, skipped, cancelled } = run.counts;
  const counts = { done, error, skipped, cancelled };
  return {
    id: run.id,
    columnId: run.columnId,
    status: run.status,
    total: run.total,
    counts,
    finished: settledCount({ counts }),
  };
}

/** Keeps the later snapshot (`isNewerRun`: by seq between feed snapshots, else a finished run never goes back). */
function mergeRun(runs: Map<number, RunProgress>, next: RunProgress): void {
  const held = runs.get(next.id);
  if (!held || isNewerRun(held, next)) runs.set(next.id, next);
}
