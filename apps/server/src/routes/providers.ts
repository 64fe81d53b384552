import { providerListReply, routeErrors } from '@glaze/core';
import { z } from 'zod';
import type { Api, ServerContext } from '../context';

export function providerRoutes(api: Api, ctx: ServerContext): void {
  // The catalog never changes while the process runs: build it once.
  const providers = [...ctx.providers.values()]
    .map((provider) => ({
      id: provider.id,
      description: provider.description,
      configSchema: z.toJSONSchema(provider.configSchema, { io: 'input', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));

  api.get('/providers', {
    schema: {
      tags: ['providers'],
      summary: 'Providers an enrichment column can use, with the JSON Schema of their config',
      response: { 200: providerListReply, ...routeErrors },
    },
    handler: async () => ({ providers }),
  });
}
