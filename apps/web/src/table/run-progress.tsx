import type { RunSnapshot } from '@glaze/core';
import { settledCount } from '@glaze/react';
import { memo, useEffect, useState } from 'react';
import { errorText } from '../api/client';
import { cancelRun } from '../api/runs';
import type { ThrottleNotice } from '../limits/throttle-notice';
import { formatCount, formatDuration, formatWhen } from '../ui/format';
import { runCounts, runElapsed } from './run-counts';

/** One run: a bar split by state, counts per state, elapsed time and a cancel button. */
export const RunProgress = memo(function RunProgress({
  run,
  columnName,
  throttled,
  onTimeline,
}: {
  run: RunSnapshot;
  columnName: string;
  /** Set while the column's provider is paused because it refused calls or its quota is spent. */
  throttled?: ThrottleNotice;
  onTimeline(runId: number): void;
}) {
  const elapsed = useElapsed(run);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string>();
  const settled = settledCount(run);
  const counts = runCounts(run);
  const total = Math.max(run.total, 1);

  const cancel = () => {
    setCancelling(true);
    cancelRun(run.id).catch((thrown) => {
      setCancelling(false);
      setError(errorText(thrown));
    });
  };

  return (
    <div className={`run ${run.status}`} data-run-id={run.id} data-status={run.status}>
      <div className="run-head">
        <strong>{columnName}</strong>
        <span className="run-status">
          {run.status === 'running'
            ? `${formatCount(settled)} / ${formatCount(run.total)} · ${formatDuration(elapsed)}`
            : `${run.status === 'done' ? 'Finished' : 'Cancelled'}: ${formatCount(run.total)} ${run.total === 1 ? 'cell' : 'cells'} in ${formatDuration(elapsed)}`}
        </span>
        <button type="button" className="small" onClick={() => onTimeline(run.id)}>
          Timeline
        </button>
        {run.status === 'running' && (
          <button type="button" className="small" onClick={cancel} disabled={cancelling}>
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </div>
      <div className="stacked-bar" role="progressbar" aria-valuenow={settled} aria-valuemax={run.total}>
        {counts.map(({ state, count }) =>
          count > 0 ? (
            <span key={state} className={`seg ${state}`} style={{ width: `${(count / total) * 100}%` }} />
          ) : null,
        )}
      </div>
      <div className="run-counts">
        {counts.map(({ state, count }) => (
          <span key={state} className={`count ${state}`} data-state={state}>
            {state} {formatCount(count)}
          </span>
        ))}
      </div>
      {throttled && (
        <p className="banner warn run-throttled" data-testid="run-throttled">
          Throttled by the provider
          {throttled.hosts.length > 0 ? ` (${throttled.hosts.join(', ')})` : ''}: calls wait until{' '}
          {formatWhen(throttled.until)}, then go on. Nothing is lost: refused calls are retried without using
          up attempts.
        </p>
      )}
      {error && <p className="field-error">{error}</p>}
    </div>
  );
});

/** Seconds the run has taken, ticking locally while it runs. */
function useElapsed(run: RunSnapshot): number {
  const [received] = useState(() =>
    'elapsedSeconds' in run ? { at: Date.now(), seconds: run.elapsedSeconds } : undefined,
  );
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (run.status !== 'running') return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [run.status]);
  return runElapsed(run, now, received);
}
