import { AppError, errorSchema, routeErrors, sessionBody, workspaceReply } from '@glaze/core';
import { createSession, revokeSession } from '@glaze/engine';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readCookie, sessionCookie } from '../auth/authenticate';
import type { Api, ServerContext } from '../context';

/**
 * Browser sign-in. EventSource cannot send an Authorization header and a token must never sit in a
 * URL, so the web app trades its token for a server-side session: a random id in an HttpOnly,
 * SameSite=Strict cookie (Secure over https), stored only as its sha256. The cookie never holds the
 * token; signing out revokes the session on the server, and revoking the token ends its sessions.
 */
export function sessionRoutes(api: Api, ctx: ServerContext): void {
  api.post('/session', {
    config: { public: true },
    schema: {
      operationId: 'signIn',
      tags: ['session'],
      summary: 'Sign in: starts a session and sets the glaze_session cookie',
      body: sessionBody,
      response: {
        200: workspaceReply,
        ...routeErrors,
        403: errorSchema,
        429: errorSchema,
      },
    },
    handler: async (request, reply) => {
      ctx.failedAuth.check(request.ip);
      const owner = await ctx.auth.ownerOf({ kind: 'token', value: request.body.token });
      if (!owner) {
        ctx.failedAuth.fail(request.ip);
        throw new AppError('unauthorized', 'this token is not valid (unknown, revoked or expired)', 'token');
      }
      // A new sign-in replaces the browser's previous session rather than leaving it alive.
      const previous = readCookie(request.headers.cookie, sessionCookie);
      if (previous) await signOut(ctx, previous);
      const session = await createSession(ctx.pool, { tokenId: owner.tokenId, ttlMs: ctx.sessionMs });
      const ends = Math.min(
        new Date(session.expiresAt).getTime(),
        owner.expiresAt ? new Date(owner.expiresAt).getTime() : Number.POSITIVE_INFINITY,
      );
      const maxAge = Math.max(1, Math.round((ends - Date.now()) / 1000));
      reply.header('set-cookie', cookie(request, session.sessionId, maxAge));
      return { workspace: owner.workspace };
    },
  });

  api.delete('/session', {
    config: { public: true },
    schema: {
      operationId: 'signOut',
      tags: ['session'],
      summary: 'Sign out: ends the session on the server and clears the cookie',
      response: { 204: z.null(), 403: errorSchema, 503: routeErrors[503] },
    },
    handler: async (request, reply) => {
      const session = readCookie(request.headers.cookie, sessionCookie);
      if (session) await signOut(ctx, session);
      return reply
        .header('set-cookie', cookie(request, '', 0))
        .code(204)
        .send(null);
    },
  });

  api.get('/session', {
    schema: {
      operationId: 'getSession',
      tags: ['session'],
      summary: 'Who am I: the workspace of the token or session',
      response: { 200: workspaceReply, ...routeErrors },
    },
    handler: async (request) => {
      if (!request.workspace) throw new AppError('unauthorized', 'not signed in');
      return { workspace: request.workspace };
    },
  });
}

async function signOut(ctx: ServerContext, sessionId: string): Promise<void> {
  ctx.auth.forget({ kind: 'session', value: sessionId });
  await revokeSession(ctx.pool, sessionId);
}

/** `Secure` when the request came over TLS (directly, or per X-Forwarded-Proto with trustProxy). */
function cookie(request: FastifyRequest, value: string, maxAge: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${sessionCookie}=${value}; Path=/api; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}
