import type { ProviderInfo } from '@glaze/core';
import { buildConfig, fieldsOf, initialText, type JsonSchema } from './json-schema';

/** One step of a waterfall as the form holds it: a provider and the texts of its fields. */
export interface StepDraft {
  /** Stable React key: steps are reordered and removed. */
  key: number;
  provider: string;
  texts: Record<string, string>;
}

let nextKey = 1;

function schemaOf(providers: readonly ProviderInfo[], id: string): JsonSchema {
  return (providers.find((p) => p.id === id)?.configSchema ?? {}) as JsonSchema;
}

/** A new step on `provider`, its fields at their defaults (or at `config`'s values). */
export function newStep(
  providers: readonly ProviderInfo[],
  provider: string,
  config: Record<string, unknown> = {},
): StepDraft {
  const fields = fieldsOf(schemaOf(providers, provider));
  return {
    key: nextKey++,
    provider,
    texts: Object.fromEntries(fields.map((field) => [field.name, initialText(field, config)])),
  };
}

/** The form's steps from a stored `steps` value (a column being edited); anything else is no step. */
export function stepsFromConfig(providers: readonly ProviderInfo[], steps: unknown): StepDraft[] {
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((step) => {
    if (!step || typeof step !== 'object' || typeof step.provider !== 'string') return [];
    const config = step.config && typeof step.config === 'object' ? step.config : {};
    return [newStep(providers, step.provider, config as Record<string, unknown>)];
  });
}

/**
 * The `steps` config the server takes — `[{provider, config}]`, each config built as the form
 * builds a column's (blank optional fields left for the server's defaults): the same value the
 * JSON box held.
 */
export function stepsConfig(
  providers: readonly ProviderInfo[],
  drafts: readonly StepDraft[],
): Array<{ provider: string; config: Record<string, unknown> }> {
  return drafts.map((draft) => ({
    provider: draft.provider,
    config: buildConfig(fieldsOf(schemaOf(providers, draft.provider)), draft.texts),
  }));
}

/** The steps with the one at `from` moved to `to` (clamped); the same list when nothing moves. */
export function moveStep<T>(steps: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(steps.length - 1, to));
  if (from === target || from < 0 || from >= steps.length) return [...steps];
  const next = [...steps];
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved as T);
  return next;
}

/** `config.steps[1].config.url` → `{ step: 1, field: 'url' }`: where a server error goes in the builder. */
export function stepFieldOfPath(path: string | undefined): { step: number; field?: string } | undefined {
  const match = /^config\.steps\[(\d+)\](?:\.(?:config\.)?([^.[]+))?/.exec(path ?? '');
  if (!match) return undefined;
  return { step: Number(match[1]), field: match[2] };
}
