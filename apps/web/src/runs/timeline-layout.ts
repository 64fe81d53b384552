import type { CellSpan } from '@glaze/core';

export interface TimelineBar {
  rowId: number;
  status: string;
  tries: number;
  x: number;
  y: number;
  width: number;
}

export interface TimelineLayout {
  bars: TimelineBar[];
  ticks: { x: number; label: string }[];
  laneHeight: number;
  height: number;
}

// Tick steps in seconds: five to ten ticks whether the run took 0.8 s or 40 minutes.
const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * Lays a run's spans out as a Gantt chart: one lane per cell in order of start, x in seconds
 * from the run's start scaled to `width`. Lanes are 1–8 px so 500 sampled cells fit in ~500 px.
 * @example timelineLayout(timeline.spans, 520).bars[0] // { x: 0, y: 0, width: 41.6, … }
 */
export function timelineLayout(spans: readonly CellSpan[], width: number, maxHeight = 480): TimelineLayout {
  const ordered = [...spans].sort((a, b) => a.startMs - b.startMs || a.rowId - b.rowId);
  const endMs = Math.max(1, ...ordered.map((span) => span.endMs));
  const scale = width / endMs;
  const laneHeight = Math.max(1, Math.min(8, maxHeight / Math.max(ordered.length, 1)));
  const bars = ordered.map((span, lane) => ({
    rowId: span.rowId,
    status: span.status,
    tries: span.tries,
    x: span.startMs * scale,
    y: lane * laneHeight,
    // a cell that took under a pixel still shows
    width: Math.max(1, (span.endMs - span.startMs) * scale),
  }));
  const step = steps.find((s) => endMs / 1000 / s <= 10) ?? Math.ceil(endMs / 1000 / 10 / 3600) * 3600;
  const ticks: TimelineLayout['ticks'] = [];
  for (let i = 0; i * step * 1000 <= endMs; i++)
    ticks.push({ x: i * step * 1000 * scale, label: secondsLabel(i * step) });
  return { bars, ticks, laneHeight, height: ordered.length * laneHeight };
}

function secondsLabel(seconds: number): string {
  const rounded = Math.round(seconds * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded : rounded.toFixed(1)} s`;
}
