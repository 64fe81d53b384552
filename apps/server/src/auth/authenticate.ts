import { AppError } from '@glaze/core';
import type { WorkspaceInfo } from '@glaze/engine';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TokenCache } from './token-cache';

export const sessionCookie = 'glaze_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The workspace of the caller's token; set on every authenticated route. */
    workspace: WorkspaceInfo | null;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a token (sign-in, the OpenAPI document). */
    public?: boolean;
  }
}

/** The caller's token: `Authorization: Bearer …`, else the `glaze_session` cookie (EventSource can't send headers). */
export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AppError('unauthorized', 'the Authorization header must be "Bearer <token>"');
    return match[1];
  }
  return readCookie(request.headers.cookie, sessionCookie);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Every route of `scope` needs a token of some workspace, unless its config says `public`. */
export function requireToken(scope: FastifyInstance, tokens: TokenCache): void {
  scope.decorateRequest('workspace', null);
  scope.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.public) return;
    const token = tokenOf(request);
    if (!token)
      throw new AppError(
        'unauthorized',
        'send "Authorization: Bearer <token>" or sign in with POST /api/v1/session',
      );
    const workspace = await tokens.workspaceOf(token);
    if (!workspace) throw new AppError('unauthorized', 'this token is not valid');
    request.workspace = workspace;
  });
}

/** The caller's workspace id (the hook guarantees one on authenticated routes). */
export function workspaceId(request: FastifyRequest): number {
  if (!request.workspace) throw new AppError('unauthorized', 'not signed in');
  return request.workspace.id;
}
