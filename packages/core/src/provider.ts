import type { z } from 'zod';
import type { ProviderGroup } from './api/provider';
import type { RowValues } from './template';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * What a provider call came to. Expected failures are values, not exceptions:
 * a thrown error is treated as `retryable` with its message.
 */
export type ProviderResult =
  /**
   * `waitMs`: the API said its quota for this window is spent (`x-ratelimit-remaining: 0` and when it
   * resets): every worker holds its next calls to this provider that long, so they are not refused.
   * `rate`: what the answer's quota headers say the API's sustained rate is (see RateHint).
   */
  | { kind: 'ok'; value: Json; cost?: number; meta?: Record<string, Json>; waitMs?: number; rate?: RateHint }
  /** The provider answered but has nothing for this input ("no result"). */
  | { kind: 'empty'; cost?: number; meta?: Record<string, Json>; waitMs?: number; rate?: RateHint }
  /**
   * Worth trying again: timeout, 429, 5xx, network. `retryAfterMs` honours the provider's hint.
   * `throttled`: refused for its rate (HTTP 429) — retried without using up the cell's attempts,
   * after the worker slows down for that provider.
   */
  | {
      kind: 'retryable';
      message: string;
      retryAfterMs?: number;
      throttled?: boolean;
      rate?: RateHint;
      cost?: number;
      meta?: Record<string, Json>;
    }
  /** Trying again will not help: bad input, 4xx, an answer that fails validation. `meta` is kept on the error cell. */
  | { kind: 'permanent'; message: string; cost?: number; meta?: Record<string, Json> };

/**
 * Bounds on an API's sustained rate (requests per second) read from one answer's quota headers: it
 * lies between `low` and `high` (the headers' whole numbers and rounded times leave that much play).
 * The workers pace every call to that API at the rate these bounds narrow down to.
 */
export interface RateHint {
  low: number;
  high: number;
}

export interface EnrichRequest<C> {
  /** The column's config, already parsed by the provider's schema. */
  config: C;
  /** The row's values by column name (inputs and finished enrichment values). */
  row: RowValues;
  /** Renders a template against this row (and the workspace's secrets). */
  render(template: string): string;
}

export interface ProviderContext {
  /** Aborted on timeout, cancellation or shutdown; pass it to every I/O call. */
  signal: AbortSignal;
  /** 1 for the first call of this cell in this claim, 2 for the first retry… */
  attempt: number;
  /** Secrets of the workspace, by name. Never put them in a result. */
  secrets: Readonly<Record<string, string>>;
}

export interface Provider<C = unknown> {
  /** Stable id used in column configs: `mock`, `email`, `http`… */
  id: string;
  /** What it does, for the column form's picker: validate, api, ai, transform, testing. */
  group: ProviderGroup;
  /** One line for the catalog. */
  description: string;
  /** Validates a column's config; its JSON Schema builds the web form. */
  configSchema: z.ZodType<C>;
  /**
   * Every template string in a config, so Glaze knows which columns a cell reads: `enrich` gets a
   * row of those columns only (a 1,000-column table does not send 1,000 values to every cell).
   */
  templates(config: C): string[];
  /**
   * True when a config may read columns its templates do not name (a formula's `row[key]`): its
   * cells get the whole row.
   */
  readsWholeRow?(config: C): boolean;
  /**
   * The result in one line (≤ 80 characters) for the grid: `✓ valid`, `acme.io · via http (step 2)`.
   * Built-ins declare their entry of `cellDisplays` (core), which the web app reads by provider id.
   */
  display?(value: Json): string;
  /** Cells whose templates are all blank end `skipped` without a call. Defaults to true. */
  skipWhenInputEmpty?: boolean;
  /** Whether identical (config, input) may be served from the cache. */
  cacheable?: boolean;
  /**
   * Config fields that may hold `{{secret.NAME}}` (headers, API key): top-level field names,
   * everything beneath one counts (`headers` covers `headers.Authorization`). Anywhere else a
   * secret is refused when the column is saved, and a cell of a column saved before fails
   * without a call: a secret rendered into an input, a URL or a prompt comes back in results.
   */
  secretFields?: readonly string[];
  /**
   * The host every call of a column with this config goes to, when the config fixes it (`http` with
   * `https://api.example.com/...`): limits set for this provider on that host apply on top of the
   * provider's own, and a 429 from that host slows only the calls to it. Undefined: the host depends
   * on the row, or the provider calls no host.
   */
  limitHost?(config: C): string | undefined;
  /**
   * Top-level config fields holding an expression (the formula language) rather than a template:
   * renaming a column rewrites `row["Old"]` there and `{{Old}}` everywhere else.
   */
  expressionFields?: readonly string[];
  /** Configs of other providers inside this one (waterfall steps), checked by their own rules. */
  nestedConfigs?(config: C): NestedConfig[];
  enrich(request: EnrichRequest<C>, ctx: ProviderContext): Promise<ProviderResult>;
}

/** A provider config inside another's: `path` is where it sits, e.g. `['steps', 1, 'config']`. */
export interface NestedConfig {
  path: Array<string | number>;
  // biome-ignore lint/suspicious/noExplicitAny: any provider may be nested
  provider: Provider<any>;
  config: unknown;
}

/** Erases the config type so providers can sit in one registry. */
// biome-ignore lint/suspicious/noExplicitAny: registry of heterogeneous providers
export type AnyProvider = Provider<any>;

export function defineProvider<C>(provider: Provider<C>): Provider<C> {
  return provider;
}
