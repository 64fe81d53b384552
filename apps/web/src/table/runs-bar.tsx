import type { RunSnapshot } from '@glaze/core';
import { useSyncExternalStore } from 'react';
import { throttleNotice } from '../limits/throttle-notice';
import { useProviderPauses } from '../limits/use-provider-pauses';
import type { TableStore } from '../store/table-store';
import { RunProgress } from './run-progress';

const finishedShown = 3;

/** Running runs (and the last few finished ones) above the grid. Repaints at most once per frame. */
export function RunsBar({ store, onTimeline }: { store: TableStore; onTimeline(runId: number): void }) {
  useSyncExternalStore(store.subscribe, store.getVersion);
  const runs = store.runs().sort((a, b) => b.id - a.id);
  const running = runs.filter((run) => run.status === 'running');
  const finished = runs.filter((run) => run.status !== 'running').slice(0, finishedShown);
  const shown: RunSnapshot[] = [...running, ...finished];
  const pauses = useProviderPauses(running.length > 0);
  if (shown.length === 0) return null;
  const column = (run: RunSnapshot) => store.columns.find((c) => c.id === run.columnId);
  const name = (run: RunSnapshot) => column(run)?.name ?? `column ${run.columnId}`;
  const throttled = (run: RunSnapshot) => {
    const provider = column(run)?.provider;
    return run.status === 'running' && provider ? throttleNotice(pauses, provider, Date.now()) : undefined;
  };
  return (
    <section className="runs" aria-label="Runs">
      {shown.map((run) => (
        <RunProgress
          key={run.id}
          run={run}
          columnName={name(run)}
          throttled={throttled(run)}
          onTimeline={onTimeline}
        />
      ))}
    </section>
  );
}
