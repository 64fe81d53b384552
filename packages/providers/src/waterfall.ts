import { type AnyProvider, defineProvider, type Json, type ProviderResult, toError } from '@glaze/core';
import { z } from 'zod';
import { inputsAreBlank } from './support/inputs-blank';

/** Finds a provider by id; the registry passes its own `get`, which breaks the import cycle. */
export type ProviderLookup = (id: string) => AnyProvider | undefined;

const stepSchema = z.object({
  provider: z.string().min(1).describe('Id of the provider to try, e.g. http or llm'),
  config: z.record(z.string(), z.unknown()).default({}).describe("That provider's config"),
});

type Outcome = { step: number; provider: string; outcome: string };

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
        for (const issue of parsed.error?.issues ?? []) {
          ctx.addIssue({
            code: 'custom',
            path: ['steps', index, 'config', ...issue.path],
            message: issue.message,
          });
        }
      });
    });

  return defineProvider({
    id: 'waterfall',
    description: 'Tries several providers in order and keeps the first answer',
    configSchema,
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
      const attempts: Outcome[] = [];
      const failures: string[] = [];
      for (const [index, step] of config.steps.entries()) {
        const { provider, config: stepConfig } = resolve(step);
        const record = (outcome: string) => attempts.push({ step: index, provider: provider.id, outcome });
        if (provider.skipWhenInputEmpty !== false && inputsAreBlank(provider.templates(stepConfig), row)) {
          record('skipped');
          continue;
        }
        const result = await callStep(provider, stepConfig, { row, render }, ctx);
        cost += result.cost ?? 0;
        const where = `steps[${index}] (${provider.id})`;
        switch (result.kind) {
          case 'ok':
            if (isBlank(result.value)) break;
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
            break;
          case 'permanent':
            record('failed');
            failures.push(`${where}: ${result.message}`);
            continue;
          case 'retryable':
            return { ...result, message: `${where}: ${result.message}`, cost };
        }
        record('empty');
      }
      // Every step failed: say why each did. Some answered "nothing": that is the answer.
      if (failures.length > 0 && attempts.every((a) => a.outcome !== 'empty')) {
        return { kind: 'permanent', message: failures.join('; '), cost };
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
