import {
  type AnyProvider,
  assertNever,
  type Json,
  lookup,
  type ProviderResult,
  type RateHint,
  type RowValues,
  renderTemplate,
  sleepUnlessAborted,
  toError,
} from '@glaze/core';
import { isDatabaseUnavailable } from '@glaze/db';
import type { CompiledExpression, Redactor } from '@glaze/providers';
import { checkRunIf } from '../deps/run-if';
import { CallTimeout } from './call-signals';

/** What every call of one chunk shares: built once per chunk, not once per cell. */
export interface CellCaller {
  provider: AnyProvider;
  /** Parsed column config. */
  config: unknown;
  secrets: Readonly<Record<string, string>>;
  /**
   * Built once per chunk from the workspace's secrets (`createRedactor`): every string of a
   * result — value, error, meta — goes through it. Undefined when the workspace has none.
   */
  redactor: Redactor | undefined;
  /**
   * Set when the column holds `{{secret.NAME}}` outside its provider's secret-bearing fields
   * (saved before that was refused): every cell ends in this error without a call.
   */
  refusal?: string;
  /** Provider calls at most (first call included), not counting calls refused for rate (429). */
  maxAttempts: number;
  /**
   * How long a cell keeps retrying calls refused for rate (429) before it ends in error; default
   * 15 minutes. Those refusals do not use up `maxAttempts`: the worker slows down instead.
   */
  maxThrottledMs?: number;
  /** First retry waits about this long, doubling each time (capped at 30 s), unless the provider says when. */
  backoffMs: number;
  /** A fresh signal per call: aborted on timeout, cancellation, lost lease or shutdown. */
  signal: () => AbortSignal;
  /** Aborted when the cell's work is no longer wanted (not on a mere call timeout). */
  stop: AbortSignal;
  /** The provider's rate limits; none when absent. */
  gate?: CallGate;
}

/** Rate limits as a call sees them (a ProviderGate). */
export interface CallGate {
  /** The release at once when nothing can hold the call back now; undefined otherwise. */
  acquireNow(): (() => void) | undefined;
  /** Waits until a call may start; returns the release. */
  acquire(signal: AbortSignal): Promise<() => void>;
  /** The provider asked to wait (503 + Retry-After): every worker holds its calls that long. */
  pause(ms: number): void;
  /** The provider refused a call for its rate (429): every worker pauses and sends fewer at once. */
  throttled(retryAfterMs: number | undefined): void;
  /** A call went through (lets a throttled provider speed up again). */
  succeeded(): void;
  /** The answer's quota headers bound the provider's rate: every worker paces its calls to what they show. */
  learnRate(hint: RateHint): void;
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
 * Calls the provider for one cell (within its rate limits), retries retryable failures with
 * exponential backoff, and turns the last answer into a cell outcome with secrets redacted. Skips
 * (runIf, blank input) are decided before, by `checkBeforeCall`. Throws only when the database
 * holding the rate limits is unreachable (the chunk is handed back; the cell is not decided).
 *
 * This runs once per cell on the worker's hottest path, so it is one async function (one promise
 * per cell besides the provider's own) and allocates nothing it does not need.
 */
export async function runCell(caller: CellCaller, row: RowValues): Promise<CellRunResult> {
  if (caller.refusal !== undefined)
    return { status: 'error', value: null, error: caller.refusal, tries: 0, cost: null, meta: null };
  // bind, not an arrow: one closure fewer to build per cell
  const input = { config: caller.config, row, render: renderWith.bind(undefined, row, caller.secrets) };
  let cost: number | null = null;
  let failures = 0;
  let throttled = 0;
  let throttledSince = 0;
  for (let attempt = 1; ; attempt++) {
    let result: ProviderResult;
    // No rate limit and no pause (the common case) need no waiting and no promise.
    let release = caller.gate?.acquireNow();
    // Before the call's own signal: waiting for a rate limit must not eat into its timeout.
    let gateError: Error | undefined;
    if (caller.gate && !release) {
      try {
        release = await caller.gate.acquire(caller.stop);
      } catch (thrown) {
        // The limits live in the database: its absence is the chunk's problem, not this cell's.
        if (isDatabaseUnavailable(thrown)) throw thrown;
        gateError = toError(thrown);
      }
    }
    if (caller.gate && !release) {
      const message = caller.stop.aborted
        ? 'stopped while waiting for the rate limit'
        : `rate limit check failed: ${gateError?.message}`;
      result = { kind: 'retryable', message };
    } else {
      const signal = caller.signal();
      try {
        result = await caller.provider.enrich(input, { signal, attempt, secrets: caller.secrets });
        // Before the release: a call waiting for this one's place must see the pause it asks for.
        if (caller.gate) reportToGate(caller.gate, result);
      } catch (thrown) {
        // A provider that throws is treated as a transient fault: retried, and never crashes the worker.
        result = {
          kind: 'retryable',
          message: signal.reason instanceof CallTimeout ? signal.reason.message : toError(thrown).message,
        };
      } finally {
        release?.();
      }
    }
    if (result.cost !== undefined) cost = (cost ?? 0) + result.cost;
    let outcome: CellRunResult;
    switch (result.kind) {
      case 'ok':
        outcome = {
          status: 'done',
          value: result.value,
          error: null,
          tries: attempt,
          cost,
          meta: throttled > 0 ? { ...result.meta, throttled } : (result.meta ?? null),
        };
        break;
      case 'empty':
        outcome = {
          status: 'done',
          value: null,
          error: null,
          tries: attempt,
          cost,
          meta: throttled > 0 ? { ...result.meta, empty: true, throttled } : { ...result.meta, empty: true },
        };
        break;
      case 'permanent':
        outcome = {
          status: 'error',
          value: null,
          error: result.message,
          tries: attempt,
          cost,
          meta: throttled > 0 ? { ...result.meta, throttled } : (result.meta ?? null),
        };
        break;
      case 'retryable': {
        if (result.throttled && caller.gate) {
          // Refused for rate: the gate slows every call to this provider; this one waits its turn.
          throttled++;
          throttledSince ||= performance.now();
          const waited = performance.now() - throttledSince;
          const maxThrottledMs = caller.maxThrottledMs ?? 15 * 60_000;
          if (waited < maxThrottledMs && !caller.stop.aborted) continue;
          const message = caller.stop.aborted
            ? `${result.message} (stopped while throttled)`
            : `${result.message} (throttled by the provider for ${Math.round(waited / 1000)} s, ${throttled} refusals: set a rate limit for it or try later)`;
          outcome = {
            status: 'error',
            value: null,
            error: message,
            tries: attempt,
            cost,
            meta: { ...result.meta, throttled },
          };
          break;
        }
        failures++;
        if (failures < caller.maxAttempts && !caller.stop.aborted) {
          await sleepUnlessAborted(backoff(caller.backoffMs, failures, result.retryAfterMs), caller.stop);
          continue;
        }
        const message = `${result.message} (gave up after ${attempt} ${attempt === 1 ? 'try' : 'tries'})`;
        outcome = {
          status: 'error',
          value: null,
          error: message,
          tries: attempt,
          cost,
          meta: throttled > 0 ? { ...result.meta, throttled } : (result.meta ?? null),
        };
        break;
      }
      default:
        assertNever(result);
    }
    return caller.redactor ? redacted(outcome, caller.redactor) : outcome;
  }
}

/**
 * What a provider's answer tells the rate limits: it went through (a throttled provider may speed up
 * again), what rate its quota headers show, its quota is spent until `waitMs`, it refused for rate (429), or asked to come back later.
 */
function reportToGate(gate: CallGate, result: ProviderResult): void {
  if (result.kind !== 'permanent' && result.rate) gate.learnRate(result.rate);
  switch (result.kind) {
    case 'ok':
    case 'empty':
      gate.succeeded();
      if (result.waitMs !== undefined) gate.pause(result.waitMs);
      return;
    case 'retryable':
      if (result.throttled) gate.throttled(result.retryAfterMs);
      else if (result.retryAfterMs !== undefined) gate.pause(result.retryAfterMs);
      return;
    case 'permanent':
      return;
    default:
      assertNever(result);
  }
}

function renderWith(row: RowValues, secrets: Readonly<Record<string, string>>, template: string): string {
  return renderTemplate(template, row, secrets);
}

/**
 * The one point every result passes before it is written, cached or streamed: providers redact
 * what they know to be secret; this catches any other path (a thrown message, an echo in meta).
 */
export function redacted(result: CellRunResult, redactor: Redactor): CellRunResult {
  return {
    ...result,
    error: result.error === null ? null : redactor.text(result.error),
    value: result.value === null ? null : redactor.json(result.value),
    meta: result.meta === null ? null : redactor.json(result.meta),
  };
}

/**
 * What a cell comes to without a provider call, if anything: `skipped` when its runIf is falsy
 * or every input it reads is blank; `error` when the runIf cannot be evaluated.
 */
export function checkBeforeCall(options: {
  provider: AnyProvider;
  /** Columns the config's templates read (precomputed once per run). */
  inputColumns: readonly string[];
  row: RowValues;
  /** The column's runIf, compiled once per run: a falsy answer skips the cell. */
  runIf?: CompiledExpression;
}): CellRunResult | undefined {
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

function backoff(baseMs: number, attempt: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, 120_000);
  const exponential = Math.min(baseMs * 2 ** (attempt - 1), 30_000);
  return exponential / 2 + Math.random() * (exponential / 2);
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
