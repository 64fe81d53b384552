import { AppError } from '@glaze/core';
import type { FastifyRequest } from 'fastify';
import { readCookie, sessionCookie } from './authenticate';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF defence for the session cookie. A browser attaches the cookie to a request any page makes,
 * so an unsafe request (POST, PUT, PATCH, DELETE) that is not authenticated by an Authorization
 * header must show it came from Glaze's own pages: an `Origin` equal to this server's origin, or,
 * without `Origin`, `Sec-Fetch-Site: same-origin`. Bearer requests never are CSRF (a page cannot
 * make a browser add the header), and a request with neither header nor cookie has nothing to
 * abuse. Applies to `POST /session` too, so another site cannot sign a browser into its workspace.
 */
export function checkOrigin(request: FastifyRequest): void {
  if (!unsafeMethods.has(request.method)) return;
  if (request.headers.authorization) return;
  const expected = originOf(`${request.protocol}://${request.host}`);
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (expected !== undefined && originOf(origin) === expected) return;
    throw new AppError(
      'forbidden',
      `cross-origin request refused: Origin ${origin} is not ${expected}; the session cookie only works from Glaze's own pages (other clients send "Authorization: Bearer <token>")`,
    );
  }
  const site = request.headers['sec-fetch-site'];
  if (site === 'same-origin') return;
  if (site !== undefined || readCookie(request.headers.cookie, sessionCookie) !== undefined)
    throw new AppError(
      'forbidden',
      `cross-origin request refused: no Origin header${site ? ` and Sec-Fetch-Site: ${site}` : ''}; a request with the session cookie must come from ${expected}`,
    );
}

/** `http://Host:80` → `http://host`: scheme, host and port as a browser writes them; undefined if malformed. */
function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
