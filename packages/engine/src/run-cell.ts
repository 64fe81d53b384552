import {
  type AnyProvider,
  assertNever,
  type Json,
  lookup,
  type ProviderResult,
  type RowValues,
  renderTemplate,
  toError,
} from '@glaze/core';
import { CallTimeout } from './call-signals';

export interface CellRunOptions {
  provider: AnyProvider;
  /** Parsed column config. */
  config: unknown;
  /** Columns the config's templates read (precomputed once per run). */
  inputColumns: readonly string[];
  row: RowValues;
  secrets: Readonly<Record<string, string>>;
  /** Provider calls at most (first call included). */
  maxAttempts: number;
  /** First retry waits about this long, doubling each time (capped at 30 s), unless the provider says when. */
  backoffMs: number;
  /** A fresh signal per call: aborted on timeout, cancellation, lost lease or shutdown. */
  signal: () => AbortSignal;
  /** Aborted when the cell's work is no longer wanted (not on a mere call timeout). */
  stop: AbortSignal;
}

export interface CellRunResult {
  status: 'done' | 'error' | 'skipped';
  value: Json | null;
  error: string | null;
  tries: number;
  cost: number | null;
  meta: Record<string, Json> | null;
}

/**
 * Runs one cell: skips blank input, calls the provider, retries retryable failures with
 * exponential backoff, and turns the last answer into a cell outcome. Never throws.
 */
export async function runCell(options: CellRunOptions): Promise<CellRunResult> {
  const { provider, config, row, inputColumns } = options;
  if (
    (provider.skipWhenInputEmpty ?? true) &&
    inputColumns.length > 0 &&
    inputColumns.every((c) => isBlank(lookup(row, c)))
  ) {
    const error = `no input: ${inputColumns.join(', ')} ${inputColumns.length === 1 ? 'is' : 'are'} empty`;
    return { status: 'skipped', value: null, error, tries: 0, cost: null, meta: null };
  }
  const render = (template: string) => renderTemplate(template, row, options.secrets);
  let cost: number | null = null;
  for (let attempt = 1; ; attempt++) {
    const result = await callOnce(options, render, attempt);
    if (result.cost !== undefined) cost = (cost ?? 0) + result.cost;
    switch (result.kind) {
      case 'ok':
        return {
          status: 'done',
          value: result.value,
          error: null,
          tries: attempt,
          cost,
          meta: result.meta ?? null,
        };
      case 'empty':
        return {
          status: 'done',
          value: null,
          error: null,
          tries: attempt,
          cost,
          meta: { ...result.meta, empty: true },
        };
      case 'permanent':
        return { status: 'error', value: null, error: result.message, tries: attempt, cost, meta: null };
      case 'retryable': {
        if (attempt >= options.maxAttempts || options.stop.aborted) {
          const message = `${result.message} (gave up after ${attempt} ${attempt === 1 ? 'try' : 'tries'})`;
          return { status: 'error', value: null, error: message, tries: attempt, cost, meta: null };
        }
        await sleep(backoff(options.backoffMs, attempt, result.retryAfterMs), options.stop);
        break;
      }
      default:
        assertNever(result);
    }
  }
}

async function callOnce(
  options: CellRunOptions,
  render: (t: string) => string,
  attempt: number,
): Promise<ProviderResult> {
  const signal = options.signal();
  try {
    return await options.provider.enrich(
      { config: options.config, row: options.row, render },
      { signal, attempt, secrets: options.secrets },
    );
  } catch (thrown) {
    if (signal.reason instanceof CallTimeout) return { kind: 'retryable', message: signal.reason.message };
    // A provider that throws is treated as a transient fault: retried, and never crashes the worker.
    return { kind: 'retryable', message: toError(thrown).message };
  }
}

function backoff(baseMs: number, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, 120_000);
  const exponential = Math.min(baseMs * 2 ** (attempt - 1), 30_000);
  return exponential / 2 + Math.random() * (exponential / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
