import type { Cell } from '@glaze/core';

/** One waterfall step as the detail panel lists it. */
export interface StepOutcome {
  /** 1-based, as people count steps. */
  step: number;
  provider: string;
  outcome: string;
  message?: string;
}

export interface CellHistory {
  /** `1 try`, `3 tries (attempt 2)`, `not called` (skipped, cancelled before a call). */
  tries: string;
  /** Seconds from start to finish, when both are known. */
  seconds?: number;
  /** Times the provider refused for rate (HTTP 429); those do not use up tries. */
  throttled?: number;
  /** Every waterfall step tried, in order (`meta.attempts`). */
  steps: StepOutcome[];
  /** Done with no value: the provider answered "nothing". */
  noResult: boolean;
}

/**
 * What happened to a cell, from its row and `meta`: tries, duration, throttling and the waterfall
 * steps (`meta.attempts`), tolerant of meta written by older versions.
 * @example cellHistory(cell).steps // [{ step: 1, provider: 'http', outcome: 'failed', message: 'HTTP 410 Gone' }, …]
 */
export function cellHistory(cell: Cell): CellHistory {
  const meta = cell.meta ?? {};
  const steps = Array.isArray(meta.attempts)
    ? meta.attempts.flatMap((raw): StepOutcome[] => {
        const a = raw as Record<string, unknown>;
        if (typeof a.step !== 'number' || typeof a.provider !== 'string') return [];
        return [
          {
            step: a.step + 1,
            provider: a.provider,
            outcome: String(a.outcome ?? ''),
            ...(typeof a.message === 'string' ? { message: a.message } : {}),
          },
        ];
      })
    : [];
  const started = cell.startedAt ? Date.parse(cell.startedAt) : Number.NaN;
  const finished = cell.finishedAt ? Date.parse(cell.finishedAt) : Number.NaN;
  const seconds = finished >= started ? (finished - started) / 1000 : undefined;
  const tries = cell.tries === 0 ? 'not called' : `${cell.tries} ${cell.tries === 1 ? 'try' : 'tries'}`;
  return {
    tries: cell.tries > 0 && cell.attempt !== cell.tries ? `${tries} (attempt ${cell.attempt})` : tries,
    ...(seconds !== undefined ? { seconds } : {}),
    ...(typeof meta.throttled === 'number' && meta.throttled > 0 ? { throttled: meta.throttled } : {}),
    steps,
    noResult:
      cell.status === 'done' &&
      cell.largeValueBytes == null &&
      (cell.value === null || cell.value === undefined),
  };
}
