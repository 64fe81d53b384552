import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build -w @glaze/web` puts the web app. */
export const defaultWebDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/**
 * Serves the built web app at `/` when its directory exists; returns whether it does. Paths that are
 * not files fall back to index.html in the not-found handler (see `wantsPage`).
 */
export async function serveWeb(app: FastifyInstance, webDir: string): Promise<boolean> {
  const root = path.resolve(webDir);
  if (!existsSync(path.join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root,
    wildcard: true,
    index: 'index.html',
    cacheControl: false,
    // index.html must be revalidated (after an upgrade it names new files); Vite's assets carry a
    // content hash in their names, so they never change and may be kept for good.
    setHeaders(res, filePath) {
      const hashed = filePath.includes(`${path.sep}assets${path.sep}`);
      res.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return true;
}

/** Whether a request that matched no route should get the web app's index.html (a client-side route). */
export function wantsPage(method: string, url: string): boolean {
  return (method === 'GET' || method === 'HEAD') && !url.startsWith('/api/') && url !== '/api';
}
