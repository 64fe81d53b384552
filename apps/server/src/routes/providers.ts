import {
  providerGroups,
  providerLimitQuery,
  providerListReply,
  providerNameParams,
  rateLimitListReply,
  rateLimitReply,
  routeErrors,
  setRateLimitBody,
} from '@glaze/core';
import { assertKnownProvider, listRateLimits, setRateLimit } from '@glaze/engine';
import { z } from 'zod';
import { workspaceId } from '../auth/authenticate';
import type { Api, ServerContext } from '../context';

export function providerRoutes(api: Api, ctx: ServerContext): void {
  // The catalog never changes while the process runs: build it once.
  const providers = [...ctx.providers.values()]
    .map((provider) => ({
      id: provider.id,
      group: provider.group,
      description: provider.description,
      hostLimits: provider.limitHost !== undefined,
      configSchema: z.toJSONSchema(provider.configSchema, { io: 'input', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >,
    }))
    // By group in the picker's order (testing last), then by id.
    .sort(
      (a, b) => providerGroups.indexOf(a.group) - providerGroups.indexOf(b.group) || a.id.localeCompare(b.id),
    );

  api.get('/providers', {
    schema: {
      operationId: 'listProviders',
      tags: ['providers'],
      summary: 'Providers an enrichment column can use, with the JSON Schema of their config',
      response: { 200: providerListReply, ...routeErrors },
    },
    handler: async () => ({ providers }),
  });

  api.get('/providers/limits', {
    schema: {
      operationId: 'listProviderLimits',
      tags: ['providers'],
      summary: "The workspace's providers with a rate limit or concurrency limit, or paused now",
      response: { 200: rateLimitListReply, ...routeErrors },
    },
    handler: async (request) => {
      const limits = await listRateLimits(ctx.pool, { workspaceId: workspaceId(request) });
      return { limits: limits.map(({ workspaceId: _, workspaceName: __, ...limit }) => limit) };
    },
  });

  api.put('/providers/:name/limits', {
    schema: {
      operationId: 'setProviderLimits',
      tags: ['providers'],
      summary:
        'Set how fast a provider may be called across every worker, or (with ?host=) its calls to one host (a field left out keeps its value; null removes it)',
      params: providerNameParams,
      querystring: providerLimitQuery,
      body: setRateLimitBody,
      response: { 200: rateLimitReply, ...routeErrors },
    },
    handler: async (request) => {
      const provider = request.params.name;
      assertKnownProvider(ctx.providers, provider);
      const { workspaceId: _, ...limit } = await setRateLimit(ctx.pool, {
        workspaceId: workspaceId(request),
        provider,
        host: request.query.host,
        ...request.body,
      });
      return { limit };
    },
  });
}
