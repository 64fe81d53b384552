import { describe, it } from 'vitest';
import { rideOutOutage } from './outage-scenario';

/**
 * Postgres shuts down (fast: sessions terminated) for 10 s under two running servers, one on
 * LISTEN and one polling. They stay up: /healthz 200, /readyz 503 at once, every API call 503
 * `database_unavailable` with Retry-After; one log line when it goes and one when it is back; and
 * every event stream — kept open, or cut and refused with 503 until the database returned — ends
 * with every change, in seq order, none missing. See outage-scenario.ts.
 */
describe('a database outage (fast shutdown for 10 s)', () => {
  it('the server rides it out and its event streams resume without gaps', async () => {
    await rideOutOutage({ stop: (cluster) => cluster.stopFast(), downMs: 10_000 });
  }, 60_000);
});
