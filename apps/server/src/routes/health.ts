import type { DatabaseHealth, Pool } from '@glaze/db';
import { migrationStatus } from '@glaze/db';
import type { FastifyInstance } from 'fastify';
import { outageMessages, retryAfterSeconds } from '../errors';

/**
 * Longest /readyz waits for the database. A refused connection fails in a millisecond, but a
 * blackholed network leaves a connect hanging until TCP gives up (about two minutes on Linux), and
 * an orchestrator's probe must get its answer long before that.
 */
const readyTimeoutMs = 3000;

/**
 * /healthz: the process answers (it stays 200 through a database outage: restarting the process
 * would not bring the database back). /readyz: the database answers and no migration is pending;
 * while the database is known to be away it answers 503 at once, without touching the pool.
 */
export function healthRoutes(app: FastifyInstance, pool: Pool, health: DatabaseHealth): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/readyz', { schema: { hide: true } }, async (request, reply) => {
    const unready = (reason: string) => {
      // e.g. `the embedded Postgres did not start again: … No space left on device`
      const diagnosis = health.diagnosis;
      const body = diagnosis ? { ok: false, reason, diagnosis } : { ok: false, reason };
      return reply.code(503).header('retry-after', String(retryAfterSeconds)).send(body);
    };
    if (health.outage) return unready(outageMessages[health.outage]);
    try {
      const status = await answerWithin(migrationStatus(pool), readyTimeoutMs);
      if (status.pending.length > 0) return unready(`migrations pending: ${status.pending.join(', ')}`);
      return { ok: true, migrations: status.applied.length };
    } catch (error) {
      if (!health.failed(error)) request.log.warn({ err: error }, 'readiness check failed');
      return unready(outageMessages.unreachable);
    }
  });
}

/** The promise's answer, or an ETIMEDOUT error (a database that does not answer is unreachable). */
function answerWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`the database did not answer within ${ms} ms`) as Error & { code: string };
      error.code = 'ETIMEDOUT';
      reject(error);
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
