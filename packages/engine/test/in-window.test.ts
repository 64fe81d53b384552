import { type RowWindow, windowHas } from '@glaze/core';
import { expect, it } from 'vitest';
import { type ChangeBatch, inWindow } from '../src/feed/change-batch';
import type { WireCell } from '../src/feed/wire-cell';

const cell = (rowId: number, seq: number): WireCell => ({ rowId, seq, text: `[${seq},${rowId}]` });

it('a window of few ranges gets the same cells, in seq order, as testing every cell', () => {
  // Rows out of order and repeated across columns, as a flush of several columns writes them.
  const cells = Array.from({ length: 2000 }, (_, i) => cell((i * 7919) % 1500, 100 + i));
  const batch: ChangeBatch = { tableId: 1, from: 99, to: 2099, cells, runs: [], rows: [], changes: [] };
  const windows: RowWindow[] = [
    [[0, 99]],
    [[1400, 1600]],
    [
      [5, 5],
      [40, 60],
      [1499, 1499],
    ],
    [[2000, 3000]],
  ];
  for (const window of windows) {
    const part = inWindow(batch, window);
    expect(part.cells).toEqual(cells.filter((c) => windowHas(window, c.rowId)));
    expect(part.from).toBe(99);
    expect(part.to).toBe(2099);
  }
  expect(inWindow(batch, [[0, 99]]).cells.length).toBeGreaterThan(100);
});
