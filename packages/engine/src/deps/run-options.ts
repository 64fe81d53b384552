import { AppError, parseOrThrow } from '@glaze/core';
import { compileExpression } from '@glaze/providers';
import { z } from 'zod';

/**
 * How a column runs, stored in its config next to the provider's fields (which the provider's
 * schema would strip): a condition, auto-run on new rows and upstream results, the cache's TTL.
 */
export interface RunOptions {
  /** Expression over the row (the formula language); cells where it is falsy end `skipped`. */
  runIf?: string;
  /** Run for new rows and whenever an upstream column finishes a row. Off by default. */
  autoRun?: boolean;
  /** How long a cached answer serves this column; 0 turns caching off. Default 30 days. */
  cacheTtlSeconds?: number;
}

export const runOptionKeys = ['runIf', 'autoRun', 'cacheTtlSeconds'] as const;
export const defaultCacheTtlSeconds = 30 * 24 * 3600;

const runOptionsSchema = z.object({
  runIf: z
    .string()
    .max(10_000)
    .optional()
    .superRefine((source, ctx) => {
      if (source === undefined || source.trim() === '') return;
      try {
        compileExpression(source);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  autoRun: z.boolean().optional(),
  cacheTtlSeconds: z
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 24 * 3600)
    .optional(),
});

/**
 * The run options of a column config, validated; a bad one names its field:
 * `config.runIf: expression "Score >": unexpected end of input`. An empty runIf means "always".
 */
export function parseRunOptions(config: unknown): RunOptions {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return {};
  const source = config as Record<string, unknown>;
  const picked = Object.fromEntries(runOptionKeys.filter((k) => k in source).map((k) => [k, source[k]]));
  const parsed = parseOrThrow(runOptionsSchema, picked, 'config');
  const options: RunOptions = {};
  if (parsed.runIf !== undefined && parsed.runIf.trim() !== '') options.runIf = parsed.runIf.trim();
  if (parsed.autoRun !== undefined) options.autoRun = parsed.autoRun;
  if (parsed.cacheTtlSeconds !== undefined) options.cacheTtlSeconds = parsed.cacheTtlSeconds;
  return options;
}

/** The config without run options: what the provider sees and what a cache key hashes. */
export function withoutRunOptions(config: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...config };
  for (const key of runOptionKeys) delete rest[key];
  return rest;
}

/** Like `parseRunOptions` but never throws (stored configs were validated when saved). */
export function readRunOptions(config: unknown): RunOptions {
  try {
    return parseRunOptions(config);
  } catch (error) {
    if (error instanceof AppError) return {};
    throw error;
  }
}
