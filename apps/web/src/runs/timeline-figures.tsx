import type { RunTimeline } from '@glaze/core';
import { formatCount } from '../ui/format';

const ms = (value: number | null) =>
  value === null ? '—' : value < 1000 ? `${value} ms` : `${(value / 1000).toFixed(2)} s`;

/** The figures that say how parallel a run was, beside its chart. */
export function TimelineFigures({ timeline }: { timeline: RunTimeline }) {
  return (
    <>
      <dl className="facts timeline-figures">
        <dt>Cells</dt>
        <dd data-testid="timeline-cells">{formatCount(timeline.cells)}</dd>
        <dt>Latency</dt>
        <dd>
          p50 {ms(timeline.latencyMs.p50)} · p95 {ms(timeline.latencyMs.p95)}
        </dd>
        <dt>Peak in flight</dt>
        <dd data-testid="timeline-peak">{formatCount(timeline.peakConcurrency)}</dd>
        <dt>Calls / second</dt>
        <dd>{timeline.callsPerSecond === null ? '—' : timeline.callsPerSecond.toFixed(1)}</dd>
        <dt>Retries</dt>
        <dd>{formatCount(timeline.retries)}</dd>
        <dt>429s</dt>
        <dd data-testid="timeline-throttled">{formatCount(timeline.throttled)}</dd>
        <dt>Errors</dt>
        <dd>{formatCount(timeline.errors)}</dd>
        <dt>Cost</dt>
        <dd>{timeline.cost}</dd>
      </dl>
      {timeline.throttled > 0 && (
        <p className="banner warn">
          Throttled by the provider: it answered 429 to {formatCount(timeline.throttled)}{' '}
          {timeline.throttled === 1 ? 'call' : 'calls'}, and the workers slowed down for it.
        </p>
      )}
    </>
  );
}
