import {
  type AnyProvider,
  assertNever,
  defineProvider,
  displayWaterfall,
  type Json,
  type ProviderResult,
  toError,
} from '@glaze/core';
import { z } from 'zod';
import { inputsAreBlank } from './support/inputs-blank';

/** Finds a provider by id; the registry passes its own `get`, which breaks the import cycle. */
export type ProviderLookup = (id: string) => AnyProvider | undefined;

const stepSchema = z.object({
  provider: z.string().min(1).describe('Id of the provider to try, e.g. http or llm'),
  config: z.record(z.string(), z.unknown()).default({}).describe("That provider's config"),
});

/** One step's fate, kept in `meta.attempts`: what it came to and why. */
type Attempt = {
  step: number;
  provider: string;
  outcome: 'ok' | 'empty' | 'failed' | 'retryable' | 'skipped';
  message?: string;
};

/**
 * The `waterfall` provider: tries `steps` in order and keeps the first useful answer, e.g. a
 * cheap lookup API, then a pricier one, then an LLM guess. Empty answers and permanent failures
 * fall through to the next step; a retryable failure makes the whole cell retryable (so a rate
 * limited first choice is not silently replaced by a worse one). Cost is the sum over the steps
 * that ran, including those that failed.
 * @example createWaterfallProvider((id) => registry.get(id))
 */
export function createWaterfallProvider(findProvider: ProviderLookup) {
  const resolve = (step: z.infer<typeof stepSchema>) => {
    const provider = findProvider(step.provider);
    if (!provider) throw new Error(`unknown provider "${step.provider}"`);
    return { provider, config: provider.configSchema.parse(step.config) as unknown };
  };
  const configSchema = z
    .object({ steps: z.array(stepSchema).min(1).max(10).describe('Providers to try, first to last') })
    .superRefine((config, ctx) => {
      config.steps.forEach((step, index) => {
        const provider = findProvider(step.provider);
        if (!provider) {
          ctx.addIssue({
            code: 'custom',
            path: ['steps', index, 'provider'],
            message: `unknown provider "${step.provider}"`,
          });
          return;
        }
        const parsed = provider.configSchema.safeParse(step.config);
        // the step's own issue, kind kept, so its message reads in plain words (`Step 2 URL is required`)
        for (const issue of parsed.error?.issues ?? [])
          ctx.addIssue({ ...issue, path: ['steps', index, 'config', ...issue.path] } as z.core.$ZodRawIssue);
      });
    });

  return defineProvider({
    id: 'waterfall',
    group: 'api',
    description: 'Tries several providers in order and keeps the first answer',
    configSchema,
    display: displayWaterfall,
    // Each step's config is held to its own provider's secretFields (findMisplacedSecrets).
    nestedConfigs: (config) =>
      config.steps.flatMap((step, index) => {
        const provider = findProvider(step.provider);
        return provider ? [{ path: ['steps', index, 'config'], provider, config: step.config }] : [];
      }),
    templates: (config) =>
      config.steps.flatMap((step) => {
        const { provider, config: stepConfig } = resolve(step);
        return provider.templates(stepConfig);
      }),
    async enrich({ config, row, render }, ctx): Promise<ProviderResult> {
      let cost = 0;
      const attempts: Attempt[] = [];
      for (const [index, step] of config.steps.entries()) {
        const { provider, config: stepConfig } = resolve(step);
        const record = (outcome: Attempt['outcome'], message?: string) =>
          attempts.push({ step: index, provider: provider.id, outcome, ...(message ? { message } : {}) });
        if (provider.skipWhenInputEmpty !== false && inputsAreBlank(provider.templates(stepConfig), row)) {
          record('skipped', 'its input columns are blank');
          continue;
        }
        const result = await callStep(provider, stepConfig, { row, render }, ctx);
        cost += result.cost ?? 0;
        switch (result.kind) {
          case 'ok':
            if (isBlank(result.value)) {
              record('empty', 'answered with a blank value');
              continue;
            }
            record('ok');
            return {
              kind: 'ok',
              value: { provider: provider.id, step: index, value: result.value },
              cost,
              meta: {
                answeredBy: provider.id,
                step: index,
                attempts,
                ...(result.meta ? { stepMeta: result.meta } : {}),
              },
            };
          case 'empty':
            record('empty', 'no result');
            continue;
          case 'permanent':
            record('failed', result.message);
            continue;
          case 'retryable':
            record('retryable', result.message);
            return {
              ...result,
              message: `steps[${index}] (${provider.id}): ${result.message}`,
              cost,
              meta: { attempts },
            };
          default:
            return assertNever(result);
        }
      }
      // Some step answered "nothing": that is the answer. Otherwise every step failed or was
      // skipped: the error says what became of each.
      if (attempts.some((a) => a.outcome === 'empty')) return { kind: 'empty', cost, meta: { attempts } };
      if (attempts.some((a) => a.outcome === 'failed')) {
        const message = attempts
          .map(
            (a) =>
              `steps[${a.step}] (${a.provider}): ${a.outcome === 'skipped' ? `skipped, ${a.message}` : a.message}`,
          )
          .join('; ');
        return { kind: 'permanent', message, cost, meta: { attempts } };
      }
      return { kind: 'empty', cost, meta: { attempts } };
    },
  });
}

async function callStep(
  provider: AnyProvider,
  config: unknown,
  request: { row: Parameters<AnyProvider['enrich']>[0]['row']; render: (t: string) => string },
  ctx: Parameters<AnyProvider['enrich']>[1],
): Promise<ProviderResult> {
  try {
    return await provider.enrich({ config, ...request }, ctx);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    // The provider contract: a thrown error counts as retryable.
    return { kind: 'retryable', message: toError(error).message };
  }
}

function isBlank(value: Json): boolean {
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}
