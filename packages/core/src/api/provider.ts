import { z } from 'zod';

export const providerSchema = z
  .object({
    id: z.string(),
    description: z.string(),
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
