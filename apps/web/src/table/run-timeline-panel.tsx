import { useSyncExternalStore } from 'react';
import { TimelineChart } from '../runs/timeline-chart';
import { TimelineFigures } from '../runs/timeline-figures';
import { useRunTimeline } from '../runs/use-run-timeline';
import type { TableStore } from '../store/table-store';
import { SidePanel } from '../ui/side-panel';

/** A run's cells over time (a Gantt chart) and its figures; refreshed every 2 s while it runs. */
export function RunTimelinePanel({
  store,
  runId,
  onClose,
}: {
  store: TableStore;
  runId: number;
  onClose(): void;
}) {
  useSyncExternalStore(store.subscribe, store.getVersion);
  const run = store.runs().find((r) => r.id === runId);
  const running = run?.status === 'running';
  const { timeline, error } = useRunTimeline(runId, running);
  const column = store.columns.find((c) => c.id === run?.columnId)?.name;
  return (
    <SidePanel title={`Timeline · ${column ?? 'run'} #${runId}`} onClose={onClose} testId="run-timeline" wide>
      <p className="muted">
        One bar per cell, from its first call to its result{running ? ' · refreshing every 2 s' : ''}.
      </p>
      {error && <p className="field-error">{error}</p>}
      {timeline ? (
        <>
          <TimelineChart spans={timeline.spans} />
          <div className="timeline-legend">
            <span className="key done">done</span>
            <span className="key error">error</span>
          </div>
          <TimelineFigures timeline={timeline} />
        </>
      ) : (
        !error && <p className="muted">Loading…</p>
      )}
    </SidePanel>
  );
}
