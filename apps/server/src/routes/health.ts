import type { Pool } from '@glaze/db';
import { migrationStatus } from '@glaze/db';
import type { FastifyInstance } from 'fastify';

/** /healthz: the process answers. /readyz: the database answers and no migration is pending. */
export function healthRoutes(app: FastifyInstance, pool: Pool): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    try {
      const status = await migrationStatus(pool);
      if (status.pending.length > 0) {
        return reply
          .code(503)
          .send({ ok: false, reason: `migrations pending: ${status.pending.join(', ')}` });
      }
      return { ok: true, migrations: status.applied.length };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ ok: false, reason: 'database unreachable' });
    }
  });
}
