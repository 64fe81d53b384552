import { AppError } from '@glaze/core';
import type { WorkspaceInfo } from '@glaze/engine';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthCache, Credential } from './auth-cache';
import { checkOrigin } from './check-origin';
import type { FailedAuthLimiter } from './failed-auth-limiter';

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

/**
 * The caller's credential: an API token in `Authorization: Bearer …`, else the session id in the
 * `glaze_session` cookie (EventSource can't send headers). The cookie never holds a token.
 */
export function credentialOf(request: FastifyRequest): Credential | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new AppError('unauthorized', 'the Authorization header must be "Bearer <token>"');
    return { kind: 'token', value: match[1] };
  }
  const session = readCookie(request.headers.cookie, sessionCookie);
  return session ? { kind: 'session', value: session } : undefined;
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

/**
 * Every route of `scope` needs a live token or session of some workspace, unless its config says
 * `public`. Before that, every unsafe request is checked for CSRF (checkOrigin), public ones too;
 * an address with too many failed attempts is refused before its credential is looked up.
 */
export function requireToken(scope: FastifyInstance, auth: AuthCache, limiter: FailedAuthLimiter): void {
  scope.decorateRequest('workspace', null);
  scope.addHook('onRequest', async (request) => {
    checkOrigin(request);
    if (request.routeOptions.config?.public) return;
    const credential = credentialOf(request);
    if (!credential)
      throw new AppError(
        'unauthorized',
        'send "Authorization: Bearer <token>" or sign in with POST /api/v1/session',
      );
    const owner = await ownerOf(credential, request.ip, auth, limiter);
    if (!owner) {
      limiter.fail(request.ip);
      throw new AppError(
        'unauthorized',
        credential.kind === 'token'
          ? 'this token is not valid (unknown, revoked or expired)'
          : 'this session has ended (signed out, expired, or its token revoked); sign in again',
      );
    }
    request.workspace = owner.workspace;
  });
}

/**
 * Looks a credential up unless its address is over the failed-auth limit. A blocked address still
 * gets in with a credential this process already knows (a signed-in browser behind the same NAT as
 * a guesser): that answer costs no database query, which is what the limit protects.
 */
async function ownerOf(credential: Credential, address: string, auth: AuthCache, limiter: FailedAuthLimiter) {
  try {
    limiter.check(address);
  } catch (error) {
    const known = await auth.ownerOf(credential, { cachedOnly: true });
    if (known) return known;
    throw error;
  }
  return auth.ownerOf(credential);
}

/** The caller's workspace id (the hook guarantees one on authenticated routes). */
export function workspaceId(request: FastifyRequest): number {
  if (!request.workspace) throw new AppError('unauthorized', 'not signed in');
  return request.workspace.id;
}
