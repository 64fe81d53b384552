import type { RunSnapshot } from '@glaze/core';
import { useSyncExternalStore } from 'react';
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
  if (shown.length === 0) return null;
  const name = (run: RunSnapshot) =>
    store.columns.find((c) => c.id === run.columnId)?.name ?? `column ${run.columnId}`;
  return (
    <section className="runs" aria-label="Runs">
      {shown.map((run) => (
        <RunProgress key={run.id} run={run} columnName={name(run)} onTimeline={onTimeline} />
      ))}
    </section>
  );
}
