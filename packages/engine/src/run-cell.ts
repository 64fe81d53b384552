import {
  type AnyProvider,
  assertNever,
  type Json,
  lookup,
  type ProviderResult,
  type RowValues,
  renderTemplate,
  templateColumns,
  toError,
} from '@glaze/core';

export interface CellRunOptions {
  provider: AnyProvider;
  /** Parsed column config. */
  config: unknown;
  row: RowValues;
  secrets: Readonly<Record<string, string>>;
  /** Provider calls at most (first call included). */
  maxAttempts: number;
  /** Per call; a timeout is retryable. */
  timeoutMs: number;
  /** First retry waits about this long, doubling each time (capped at 30 s), unless the provider says when. */
  backoffMs: number;
  /** Aborts the cell: cancellation, lost lease, shutdown. */
  signal: AbortSignal;
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
 * Runs one cell: skips blank input, calls the provider with a timeout, retries retryable failures
 * with exponential backoff, and turns the last answer into a cell outcome. Never throws.
 */
export async function runCell(options: CellRunOptions): Promise<CellRunResult> {
  const { provider, config, row } = options;
  const templates = provider.templates(config);
  const columns = templateColumns(templates);
  if (
    (provider.skipWhenInputEmpty ?? true) &&
    columns.length > 0 &&
    columns.every((c) => isBlank(lookup(row, c)))
  ) {
    return {
      status: 'skipped',
      value: null,
      error: `no input: ${columns.join(', ')} empty`,
      tries: 0,
      cost: null,
      meta: null,
    };
  }
  const render = (template: string) => renderTemplate(template, row, options.secrets);
  let cost = 0;
  let costed = false;
  for (let attempt = 1; ; attempt++) {
    const result = await callOnce(options, render, attempt);
    if (result.cost !== undefined) {
      cost += result.cost;
      costed = true;
    }
    const spent = costed ? cost : null;
    switch (result.kind) {
      case 'ok':
        return {
          status: 'done',
          value: result.value,
          error: null,
          tries: attempt,
          cost: spent,
          meta: result.meta ?? null,
        };
      case 'empty':
        return {
          status: 'done',
          value: null,
          error: null,
          tries: attempt,
          cost: spent,
          meta: { ...result.meta, empty: true },
        };
      case 'permanent':
        return {
          status: 'error',
          value: null,
          error: result.message,
          tries: attempt,
          cost: spent,
          meta: null,
        };
      case 'retryable': {
        if (attempt >= options.maxAttempts || options.signal.aborted) {
          const message = `${result.message} (gave up after ${attempt} ${attempt === 1 ? 'try' : 'tries'})`;
          return { status: 'error', value: null, error: message, tries: attempt, cost: spent, meta: null };
        }
        await sleep(backoff(options.backoffMs, attempt, result.retryAfterMs), options.signal);
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
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  try {
    return await options.provider.enrich(
      { config: options.config, row: options.row, render },
      {
        signal,
        attempt,
        secrets: options.secrets,
      },
    );
  } catch (thrown) {
    if (timeout.aborted && !options.signal.aborted) {
      return { kind: 'retryable', message: `timed out after ${options.timeoutMs} ms` };
    }
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
