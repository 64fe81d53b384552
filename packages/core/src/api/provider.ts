import { z } from 'zod';

/**
 * What a provider does, for the column form's picker, in the order the picker shows them: `testing`
 * (mock) comes last so a new column starts on a real provider.
 */
export const providerGroups = ['validate', 'api', 'ai', 'transform', 'testing'] as const;
export type ProviderGroup = (typeof providerGroups)[number];

/** How the picker titles each group. */
export const providerGroupLabels: Record<ProviderGroup, string> = {
  validate: 'Validate',
  api: 'Call an API',
  ai: 'AI',
  transform: 'Transform',
  testing: 'Testing',
};

export const providerSchema = z
  .object({
    id: z.string(),
    group: z.enum(providerGroups).describe('What it does: validate, call an API, AI, transform, testing'),
    description: z.string().describe('One line for the catalog'),
    configSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the column config (input side)'),
    hostLimits: z
      .boolean()
      .describe('Whether limits may be set for its calls to one host (PUT /providers/{name}/limits?host=)'),
  })
  .meta({ id: 'Provider' });
/** A provider as GET /providers lists it (`Provider` is the interface a provider implements). */
export type ProviderInfo = z.infer<typeof providerSchema>;

export const providerListReply = z.object({ providers: z.array(providerSchema) });
export type ProviderListReply = z.infer<typeof providerListReply>;
