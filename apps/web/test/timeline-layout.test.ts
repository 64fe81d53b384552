import type { CellSpan } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { timelineLayout } from '../src/runs/timeline-layout';

const span = (rowId: number, startMs: number, endMs: number, status = 'done'): CellSpan => ({
  rowId,
  status,
  tries: 1,
  startMs,
  endMs,
});

describe('timeline layout', () => {
  it('puts one bar per cell in order of start, scaled so the last end is the right edge', () => {
    const layout = timelineLayout([span(3, 1000, 2000), span(1, 0, 4000, 'error'), span(2, 500, 1500)], 400);
    expect(layout.bars.map((b) => b.rowId)).toEqual([1, 2, 3]);
    expect(layout.bars[0]).toMatchObject({ x: 0, width: 400, status: 'error' });
    expect(layout.bars[1]).toMatchObject({ x: 50, width: 100 });
    expect(layout.bars[2]).toMatchObject({ x: 100, width: 100 });
    expect(layout.bars.map((b) => b.y)).toEqual([0, 8, 16]);
    expect(layout.height).toBe(24);
  });

  it('ticks the x axis in whole seconds for a 4 s run, ending at the right edge', () => {
    const layout = timelineLayout([span(1, 0, 4000)], 400);
    expect(layout.ticks.map((t) => t.label)).toEqual([
      '0 s',
      '0.5 s',
      '1 s',
      '1.5 s',
      '2 s',
      '2.5 s',
      '3 s',
      '3.5 s',
      '4 s',
    ]);
    expect(layout.ticks.at(-1)?.x).toBe(400);
  });

  it('keeps ticks to ten or so for a long run', () => {
    const layout = timelineLayout([span(1, 0, 95 * 60_000)], 500);
    expect(layout.ticks.length).toBeLessThanOrEqual(11);
    expect(layout.ticks[1]?.label).toBe('600 s');
  });

  it('thins lanes so 500 cells fit, and a cell shorter than a pixel still shows', () => {
    const spans = Array.from({ length: 500 }, (_, i) => span(i, i, i + 0.01));
    const layout = timelineLayout(spans, 500, 480);
    expect(layout.laneHeight).toBe(1);
    expect(layout.height).toBe(500);
    expect(Math.min(...layout.bars.map((b) => b.width))).toBe(1);
  });
});
