import { AppError } from '@glaze/core';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sessionCookie } from '../auth/authenticate';
import type { Api, ServerContext } from '../context';
import { routeErrors, sessionBody, workspaceSchema } from '../schemas';

const maxAgeSeconds = 30 * 24 * 3600;

/**
 * Browser sign-in. EventSource cannot send an Authorization header and a token must never sit in a
 * URL, so the web app trades its token for an HttpOnly, SameSite=Strict cookie that the API accepts
 * like the header. The cookie holds the token itself: revoking the token ends the session too.
 */
export function sessionRoutes(api: Api, ctx: ServerContext): void {
  api.post('/session', {
    config: { public: true },
    schema: {
      tags: ['session'],
      summary: 'Sign in: sets the glaze_session cookie',
      body: sessionBody,
      response: { 200: z.object({ workspace: workspaceSchema }), ...routeErrors },
    },
    handler: async (request, reply) => {
      const workspace = await ctx.tokens.workspaceOf(request.body.token);
      if (!workspace) throw new AppError('unauthorized', 'this token is not valid', 'token');
      reply.header('set-cookie', cookie(request, encodeURIComponent(request.body.token), maxAgeSeconds));
      return { workspace };
    },
  });

  api.delete('/session', {
    config: { public: true },
    schema: { tags: ['session'], summary: 'Sign out: clears the cookie', response: { 204: z.null() } },
    handler: async (request, reply) =>
      reply
        .header('set-cookie', cookie(request, '', 0))
        .code(204)
        .send(null),
  });

  api.get('/session', {
    schema: {
      tags: ['session'],
      summary: 'Who am I: the workspace of the token or cookie',
      response: { 200: z.object({ workspace: workspaceSchema }), ...routeErrors },
    },
    handler: async (request) => {
      if (!request.workspace) throw new AppError('unauthorized', 'not signed in');
      return { workspace: request.workspace };
    },
  });
}

function cookie(request: FastifyRequest, value: string, maxAge: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${sessionCookie}=${value}; Path=/api; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}
