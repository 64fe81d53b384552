import type { CellStatus } from '@glaze/core';
import type { CellChange, Row, Run } from '../src/api/types';

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

export function run(id: number, status: Run['status'], done: number, extra: Partial<Run> = {}): Run {
  return {
    id,
    tableId: 1,
    columnId: 2,
    status,
    total: 10,
    counts: { queued: 10 - done, running: 0, done, error: 0, skipped: 0, cancelled: 0 },
    cost: 0,
    createdAt: '2025-01-01T00:00:00Z',
    finishedAt: null,
    elapsedSeconds: 1,
    ...extra,
  };
}
