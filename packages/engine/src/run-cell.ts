import {
  type AnyProvider,
  assertNever,
  type Json,
  lookup,
  type ProviderResult,
  type RowValues,
  renderTemplate,
  sleepUnlessAborted,
  toError,
} from '@glaze/core';
import { type CompiledExpression, redact, redactJson } from '@glaze/providers';
import { CallTimeout } from './call-signals';
import { checkRunIf } from './deps/run-if';

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
  /** The column's runIf, compiled once per run: a falsy answer skips the cell. */
  runIf?: CompiledExpression;
  /** `checkBeforeCall` already ran for this cell (the worker decides skips before cache look-ups). */
  checked?: boolean;
  /** Waits for the provider's rate limits before each call; returns the release. */
  acquire?: (signal: AbortSignal) => Promise<() => void>;
  /** The provider asked to wait (429 + Retry-After): every worker slows down. */
  onRetryAfter?: (ms: number) => void;
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
 * Runs one cell: skips it when its runIf is falsy or its input blank, calls the provider (within
 * its rate limits), retries retryable failures with exponential backoff, and turns the last answer
 * into a cell outcome with secrets redacted. Never throws.
 */
export async function runCell(options: CellRunOptions): Promise<CellRunResult> {
  const early = options.checked ? undefined : checkBeforeCall(options);
  if (early) return early;
  const result = await callWithRetries(options);
  const secrets = Object.values(options.secrets);
  if (secrets.length === 0) return result;
  // Providers redact what they know to be secret; this catches any other path (a thrown message).
  return {
    ...result,
    error: result.error === null ? null : redact(result.error, secrets),
    value: result.value === null ? null : redactJson(result.value, secrets),
  };
}

/**
 * What a cell comes to without a provider call, if anything: `skipped` when its runIf is falsy
 * or every input it reads is blank; `error` when the runIf cannot be evaluated.
 */
export function checkBeforeCall(
  options: Pick<CellRunOptions, 'provider' | 'inputColumns' | 'row' | 'runIf'>,
): CellRunResult | undefined {
  const { provider, row, inputColumns } = options;
  const decided = checkRunIf(options.runIf, row);
  if (decided) return { ...decided, value: null, tries: 0, cost: null, meta: null };
  if (
    (provider.skipWhenInputEmpty ?? true) &&
    inputColumns.length > 0 &&
    inputColumns.every((c) => isBlank(lookup(row, c)))
  ) {
    const error = `no input: ${inputColumns.join(', ')} ${inputColumns.length === 1 ? 'is' : 'are'} empty`;
    return { status: 'skipped', value: null, error, tries: 0, cost: null, meta: null };
  }
  return undefined;
}

async function callWithRetries(options: CellRunOptions): Promise<CellRunResult> {
  const render = (template: string) => renderTemplate(template, options.row, options.secrets);
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
        if (result.retryAfterMs !== undefined) options.onRetryAfter?.(result.retryAfterMs);
        if (attempt >= options.maxAttempts || options.stop.aborted) {
          const message = `${result.message} (gave up after ${attempt} ${attempt === 1 ? 'try' : 'tries'})`;
          return { status: 'error', value: null, error: message, tries: attempt, cost, meta: null };
        }
        await sleepUnlessAborted(backoff(options.backoffMs, attempt, result.retryAfterMs), options.stop);
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
  let release: (() => void) | undefined;
  try {
    // Before the call's own signal: waiting for a rate limit must not eat into its timeout.
    release = await options.acquire?.(options.stop);
  } catch {
    return { kind: 'retryable', message: 'stopped while waiting for the rate limit' };
  }
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
  } finally {
    release?.();
  }
}

function backoff(baseMs: number, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, 120_000);
  const exponential = Math.min(baseMs * 2 ** (attempt - 1), 30_000);
  return exponential / 2 + Math.random() * (exponential / 2);
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
