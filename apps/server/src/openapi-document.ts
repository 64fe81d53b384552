import { createPool, silentLogger } from '@glaze/db';
import { FeedHub } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { createServer } from './create-server';

/**
 * The OpenAPI document the server serves at /api/v1/openapi.json, built without a database: the pool
 * points nowhere and is never asked (building routes runs no query), the hub polls and never starts.
 * The lint and the client's generator read it from here, so they see exactly what is served.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const pool = createPool({ connectionString: 'postgres://unused@127.0.0.1:9/unused', max: 1 });
  const hub = await FeedHub.start({ pool, logger: silentLogger, mode: 'poll' });
  const app = await createServer({
    pool,
    providers: builtinProviders,
    hub,
    logger: silentLogger,
    webDir: null,
  });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    await hub.close();
    await pool.end();
  }
}
