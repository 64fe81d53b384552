import type { CellChange, components, RunChange } from '@glaze/client';
import { describe, expect, it } from 'vitest';
import { applyFrame, emptyState, loaded } from '../src/enrichment-state';
import { rowWindow } from '../src/realtime-table';

type Row = components['schemas']['Row'];

/** The hook's state as a pure function of REST pages and stream frames. */
const row = (id: number, seq = 1): Row => ({
  id,
  position: id,
  values: { '1': `lead ${id}` },
  cells: {
    '2': {
      id: id * 10,
      status: 'idle',
      value: null,
      error: null,
      attempt: 0,
      tries: 0,
      runId: null,
      cost: null,
      meta: null,
      startedAt: null,
      finishedAt: null,
      seq,
      largeValueBytes: null,
    },
  },
});
const cell = (rowId: number, seq: number, value: unknown): CellChange => ({
  ...(row(rowId).cells['2'] as Row['cells'][string]),
  rowId,
  columnId: 2,
  status: 'done',
  value,
  seq,
});
const run = (seq: number, done: number): RunChange => ({
  id: 5,
  tableId: 1,
  columnId: 2,
  status: done === 3 ? 'done' : 'running',
  total: 3,
  counts: { done, error: 0, skipped: 0, cancelled: 0 },
  pending: 3 - done,
  cost: 0,
  budget: null,
  cancelReason: null,
  createdAt: '2026-11-30T00:00:00Z',
  finishedAt: null,
  seq,
});
const changes = (cells: CellChange[], runs: RunChange[] = [], rows: Row[] = []) => ({
  cells,
  runs,
  rows: rows.map(({ cells: _, ...r }) => ({ ...r, seq: 1 })),
});

describe('enrichment state', () => {
  it('holds only the rows asked for: cell changes of other rows are dropped', () => {
    const state = loaded(emptyState, [row(1), row(2)], []);
    const { state: next } = applyFrame(state, 'changes', changes([cell(1, 5, 'a'), cell(99, 6, 'x')]), 6, 2);
    expect(next.rows.map((r) => r.id)).toEqual([1, 2]);
    expect(next.rows[0]?.cells['2']).toMatchObject({ status: 'done', value: 'a', seq: 5 });
    expect(JSON.stringify(next)).not.toContain('"x"');
    expect(next.lastSeq).toBe(6);
  });

  it('keeps the newer copy of a cell: a replay or an older REST page does not undo it', () => {
    let state = loaded(emptyState, [row(1)], []);
    state = applyFrame(state, 'changes', changes([cell(1, 9, 'new')]), 9, 1).state;
    state = applyFrame(state, 'changes', changes([cell(1, 7, 'old')]), 7, 1).state;
    expect(state.rows[0]?.cells['2']?.value).toBe('new');
    // A page read before seq 9 arrives after it.
    state = loaded(state, [row(1, 3)], []);
    expect(state.rows[0]?.cells['2']).toMatchObject({ value: 'new', seq: 9 });
    expect(state.lastSeq).toBe(9);
  });

  it('hands back the same state when a frame changes nothing (a replay, an unknown frame): no new render', () => {
    const state = applyFrame(
      loaded(emptyState, [row(1)], []),
      'changes',
      changes([cell(1, 9, 'new')]),
      9,
      1,
    ).state;
    expect(applyFrame(state, 'changes', changes([cell(1, 9, 'new'), cell(1, 4, 'old')]), 9, 1)).toEqual({
      state,
      reload: false,
    });
    expect(applyFrame(state, 'changes', changes([cell(1, 9, 'new')]), 9, 1).state).toBe(state);
    expect(applyFrame(state, 'somethingNew', { any: 1 }, undefined, 1)).toEqual({ state, reload: false });
    expect(applyFrame(state, 'somethingNew', { any: 1 }, undefined, 1).state).toBe(state);
  });

  it('tracks run progress by seq, and progress frames do not move the resume point', () => {
    let state = loaded(emptyState, [row(1)], []);
    state = applyFrame(state, 'changes', changes([], [run(12, 2)]), 12, 1).state;
    state = applyFrame(state, 'changes', changes([], [run(11, 1)]), 11, 1).state;
    expect(state.runs.get(5)).toMatchObject({ finished: 2, total: 3, status: 'running' });
    state = applyFrame(
      state,
      'progress',
      { cells: [cell(1, 30, 'ahead')], runs: [run(30, 3)] },
      undefined,
      1,
    ).state;
    expect(state.runs.get(5)).toMatchObject({ finished: 3, status: 'done' });
    expect(state.rows[0]?.cells['2']?.value).toBe('ahead');
    expect(state.lastSeq).toBe(12);
  });

  it('keeps the finished run the stream delivered before a REST read that still shows it running', () => {
    let state = loaded(emptyState, [row(1)], []);
    state = applyFrame(state, 'changes', changes([], [run(12, 3)]), 12, 1).state;
    const { seq: _, pending: __, ...rest } = run(0, 1);
    const running = { ...rest, counts: { ...rest.counts, queued: 2, running: 0 }, elapsedSeconds: 1 };
    state = loaded(state, [row(1)], [running]);
    expect(state.runs.get(5)).toMatchObject({ status: 'done', finished: 3 });
  });

  it('asks for a reload on reset, schema, a held row deleted, or a new row with room on the page', () => {
    const state = loaded(emptyState, [row(1)], []);
    expect(applyFrame(state, 'reset', { reason: 'slow' }, undefined, 10).reload).toBe(true);
    expect(applyFrame(state, 'schema', { tableId: 1 }, undefined, 10).reload).toBe(true);
    expect(applyFrame(state, 'rowsDeleted', { ids: [1] }, undefined, 10).reload).toBe(true);
    expect(applyFrame(state, 'rowsDeleted', { ids: [2] }, undefined, 10).reload).toBe(false);
    expect(applyFrame(state, 'changes', changes([], [], [row(2)]), 3, 10).reload).toBe(true);
    expect(applyFrame(state, 'changes', changes([], [], [row(2)]), 3, 1).reload).toBe(false);
  });

  it('writes the held rows as a ?rows= window', () => {
    const state = loaded(emptyState, [row(1), row(2), row(3), row(7), row(9), row(10)], []);
    expect(rowWindow(state)).toBe('1-3,7,9-10');
    expect(rowWindow(emptyState)).toBeUndefined();
  });
});
