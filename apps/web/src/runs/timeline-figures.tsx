import type { RunTimeline } from '@glaze/core';
import { throttledNote, timelineFacts } from './timeline-facts';

/** The figures that say how parallel a run was, beside its chart. */
export function TimelineFigures({ timeline }: { timeline: RunTimeline }) {
  const note = throttledNote(timeline);
  return (
    <>
      <dl className="facts timeline-figures">
        {timelineFacts(timeline).map((fact) => (
          <div key={fact.label} className="fact">
            <dt>{fact.label}</dt>
            <dd data-testid={fact.testId}>{fact.value}</dd>
          </div>
        ))}
      </dl>
      {note && (
        <p className="banner warn" data-testid="timeline-throttled-note">
          {note}
        </p>
      )}
    </>
  );
}
