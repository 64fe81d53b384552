import type { FeedEvent } from '@glaze/client';
import type { CellChange, CellStatus, Row, RowChange, Run, RunChange } from '@glaze/core';

export function change(
  rowId: number,
  columnId: number,
  seq: number,
  status: CellStatus,
  value: unknown = null,
): CellChange {
  return {
    id: rowId * 100 + columnId,
    rowId,
    columnId,
    status,
    value,
    error: status === 'error' ? 'boom' : null,
    attempt: 1,
    tries: 1,
    runId: 1,
    cost: null,
    meta: null,
    startedAt: null,
    finishedAt: null,
    seq,
    largeValueBytes: null,
  };
}

export function row(id: number, values: Record<string, unknown> = {}, cells: CellChange[] = []): Row {
  return {
    id,
    position: id,
    values,
    cells: Object.fromEntries(cells.map(({ rowId: _r, columnId, ...cell }) => [columnId, cell])),
  };
}

/** A run as a REST answer shows it (no seq). */
export function run(id: number, status: Run['status'], done: number, extra: Partial<Run> = {}): Run {
  return {
    id,
    tableId: 1,
    columnId: 2,
    status,
    total: 10,
    counts: { queued: 10 - done, running: 0, done, error: 0, skipped: 0, cancelled: 0 },
    cost: 0,
    budget: null,
    cancelReason: null,
    createdAt: '2025-01-01T00:00:00Z',
    finishedAt: null,
    elapsedSeconds: 1,
    ...extra,
  };
}

/** A run as the change feed sends it: finished counts, `pending` and a seq. */
export function runChange(
  id: number,
  status: RunChange['status'],
  done: number,
  seq: number,
  extra: Partial<RunChange> = {},
): RunChange {
  return {
    id,
    tableId: 1,
    columnId: 2,
    status,
    total: 10,
    counts: { done, error: 0, skipped: 0, cancelled: 0 },
    pending: 10 - done,
    cost: 0,
    budget: null,
    cancelReason: null,
    createdAt: '2025-01-01T00:00:00Z',
    finishedAt: null,
    seq,
    ...extra,
  };
}

/** A row as the change feed sends it: new input values and a seq. */
export function rowChange(id: number, values: Record<string, unknown>, seq = id): RowChange {
  return { id, position: id, values, seq };
}

/** A `changes` event with id `seq`; the lists a test leaves out are empty, as the server sends them. */
export function changes(
  event: Partial<Extract<FeedEvent, { event: 'changes' }>['data']> & { seq?: number },
): FeedEvent {
  const { seq, ...lists } = event;
  return { event: 'changes', data: { cells: [], runs: [], rows: [], ...lists }, id: seq };
}
