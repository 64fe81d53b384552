import type { CellChange, components, FeedFrames, RunChange } from '@glaze/client';
import { isNewerRun, settledCount } from './plan-feed-event.js';

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
 * Applies one frame of `GET /tables/:id/events`. Cell changes land only on held rows and only when
 * newer (a replay after a reconnect overlaps what was seen); `progress` frames are ahead of the
 * stream, so they move no resume point.
 * @example ({ state, reload } = applyFrame(state, 'changes', frame, 120, limit));
 */
export function applyFrame(
  state: EnrichmentState,
  event: string,
  data: unknown,
  id: number | undefined,
  limit: number,
): Applied {
  switch (event) {
    case 'ready':
      return same({ ...state, lastSeq: Math.max(state.lastSeq, (data as FeedFrames['ready']).seq) });
    case 'changes': {
      const frame = data as FeedFrames['changes'];
      const next = withRuns(withCells(state, frame.cells), frame.runs);
      const known = new Set(next.rows.map((row) => row.id));
      // A row we do not hold is a new one: it belongs on screen only if the page has room.
      const reload = frame.rows.some((row) => !known.has(row.id)) && next.rows.length < limit;
      const rows = withRowValues(next.rows, frame.rows);
      return { state: { ...next, rows, lastSeq: Math.max(state.lastSeq, id ?? 0) }, reload };
    }
    case 'progress': {
      const frame = data as FeedFrames['progress'];
      return same(withRuns(withCells(state, frame.cells), frame.runs));
    }
    case 'rowsDeleted': {
      const ids = new Set((data as FeedFrames['rowsDeleted']).ids);
      return { state, reload: state.rows.some((row) => ids.has(row.id)) };
    }
    case 'schema':
    case 'reset':
      return { state, reload: true };
    default:
      return same(state);
  }
}

const same = (state: EnrichmentState): Applied => ({ state, reload: false });

function heldCell(cell: Pick<CellChange, 'status' | 'value' | 'error' | 'seq'>): HeldCell {
  return { status: cell.status, value: cell.value, error: cell.error, seq: Number(cell.seq) };
}

function withCells(state: EnrichmentState, cells: readonly CellChange[]): EnrichmentState {
  if (cells.length === 0) return state;
  const byRow = new Map<number, CellChange[]>();
  for (const cell of cells) byRow.set(cell.rowId, [...(byRow.get(cell.rowId) ?? []), cell]);
  let changed = false;
  const rows = state.rows.map((row) => {
    const changes = byRow.get(row.id);
    if (!changes) return row;
    let next: Record<string, HeldCell> | undefined;
    for (const change of changes) {
      const key = String(change.columnId);
      if (Number(change.seq) <= ((next ?? row.cells)[key]?.seq ?? -1)) continue;
      next ??= { ...row.cells };
      next[key] = heldCell(change);
    }
    if (!next) return row;
    changed = true;
    return { ...row, cells: next };
  });
  return changed ? { ...state, rows } : state;
}

function withRowValues(rows: readonly HeldRow[], changes: FeedFrames['changes']['rows']): readonly HeldRow[] {
  if (changes.length === 0) return rows;
  const byId = new Map(changes.map((row) => [row.id, row]));
  return rows.map((row) => {
    const change = byId.get(row.id);
    return change ? { ...row, position: change.position, values: change.values } : row;
  });
}

function withRuns(state: EnrichmentState, runs: readonly RunChange[]): EnrichmentState {
  if (runs.length === 0) return state;
  const progress = new Map(state.runs);
  for (const run of runs) {
    mergeRun(progress, {
      id: run.id,
      columnId: run.columnId,
      status: run.status,
      total: run.total,
      counts: run.counts,
      finished: settledCount(run),
      seq: run.seq,
    });
  }
  return { ...state, runs: progress };
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
