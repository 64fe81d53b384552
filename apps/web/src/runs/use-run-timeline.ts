import type { RunTimeline } from '@glaze/core';
import { useEffect, useState } from 'react';
import { errorText } from '../api/client';
import { getRunTimeline } from '../api/runs';

/** Every 2 s while the run runs: often enough to watch cells overlap, one query per look. */
const refreshMs = 2000;

/** A run's timeline: loaded once for a finished run, refreshed while it runs (never two requests at once). */
export function useRunTimeline(runId: number, running: boolean): { timeline?: RunTimeline; error?: string } {
  const [timeline, setTimeline] = useState<RunTimeline>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const reply = await getRunTimeline(runId, 500, abort.signal);
        setTimeline(reply.timeline);
        setError(undefined);
      } catch (thrown) {
        if (!abort.signal.aborted) setError(`Timeline of run ${runId}: ${errorText(thrown)}`);
      }
      if (running && !abort.signal.aborted) timer = setTimeout(load, refreshMs);
    };
    void load();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [runId, running]);
  return { timeline, error };
}
