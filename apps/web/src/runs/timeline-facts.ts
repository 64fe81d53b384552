import type { RunTimeline } from '@glaze/core';
import { formatCount } from '../ui/format';

export interface TimelineFact {
  label: string;
  value: string;
  testId?: string;
}

const ms = (value: number | null) =>
  value === null ? '—' : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`;

/** The figures beside a run's chart, as a person reads them. */
export function timelineFacts(timeline: RunTimeline): TimelineFact[] {
  return [
    { label: 'Cells', value: formatCount(timeline.cells), testId: 'timeline-cells' },
    { label: 'Latency', value: `p50 ${ms(timeline.latencyMs.p50)} · p95 ${ms(timeline.latencyMs.p95)}` },
    { label: 'Peak in flight', value: formatCount(timeline.peakConcurrency), testId: 'timeline-peak' },
    {
      label: 'Calls / second',
      value: timeline.callsPerSecond === null ? '—' : timeline.callsPerSecond.toFixed(1),
    },
    { label: 'Retries', value: formatCount(timeline.retries) },
    { label: '429s', value: formatCount(timeline.throttled), testId: 'timeline-throttled' },
    { label: 'Errors', value: formatCount(timeline.errors) },
    { label: 'Cost', value: String(timeline.cost) },
  ];
}

/** Said under the figures when the provider refused calls for rate; undefined when it did not. */
export function throttledNote(timeline: RunTimeline): string | undefined {
  const n = timeline.throttled;
  if (n === 0) return undefined;
  return `Throttled by the provider: it answered 429 (too many requests) to ${formatCount(n)} ${n === 1 ? 'call' : 'calls'}, and the workers slowed down for it. A rate limit (Limits) at the provider's quota avoids the refused calls.`;
}
