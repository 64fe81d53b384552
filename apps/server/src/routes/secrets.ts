import { AppError, notFound, routeErrors, secretListReply, secretParams, setSecretBody } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { checkSecretName, deleteSecret, listSecretNames, setSecret } from '@glaze/engine';
import { z } from 'zod';
import { workspaceId } from '../auth/authenticate';
import type { Api } from '../context';

/**
 * What the secret routes need. `secretKey` is the AES-256 key from GLAZE_SECRET_KEY or the data dir's
 * generated key (loadOrCreateKey); without it, secrets can be listed and deleted but not set.
 */
export interface SecretsContext {
  pool: Pool;
  secretKey?: Buffer;
}

/** PUT/GET/DELETE /secrets: workspace secrets for `{{secret.NAME}}`. Values go in, never out. */
export function secretRoutes(api: Api, ctx: SecretsContext): void {
  api.put('/secrets/:name', {
    schema: {
      operationId: 'setSecret',
      tags: ['secrets'],
      summary: 'Set a secret (encrypted at rest; its value is never returned)',
      params: secretParams,
      body: setSecretBody,
      response: { 204: z.null(), ...routeErrors },
    },
    handler: async (request, reply) => {
      if (!ctx.secretKey) {
        throw new AppError(
          'internal',
          'this server has no secret key: set GLAZE_SECRET_KEY (or let it create one in the data dir)',
        );
      }
      await setSecret(ctx.pool, ctx.secretKey, {
        workspaceId: workspaceId(request),
        name: request.params.name,
        value: request.body.value,
      });
      return reply.code(204).send(null);
    },
  });

  api.get('/secrets', {
    schema: {
      operationId: 'listSecrets',
      tags: ['secrets'],
      summary: "The workspace's secret names (never their values)",
      response: { 200: secretListReply, ...routeErrors },
    },
    handler: async (request) => ({ secrets: await listSecretNames(ctx.pool, workspaceId(request)) }),
  });

  api.delete('/secrets/:name', {
    schema: {
      operationId: 'deleteSecret',
      tags: ['secrets'],
      summary: 'Delete a secret',
      params: secretParams,
      response: { 204: z.null(), ...routeErrors },
    },
    handler: async (request, reply) => {
      const name = checkSecretName(request.params.name);
      if (!(await deleteSecret(ctx.pool, workspaceId(request), name))) throw notFound('secret', name);
      return reply.code(204).send(null);
    },
  });
}
