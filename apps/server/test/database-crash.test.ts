import { describe, it } from 'vitest';
import { rideOutOutage } from './outage-scenario';

/**
 * Postgres is killed (kill -9 of the postmaster and its backends: no goodbye on any connection),
 * stays away for 5 s and restarts with crash recovery, under two running servers (LISTEN and
 * polling). Same promises as a clean outage (database-outage.test.ts): the servers stay up, answer
 * 503 `database_unavailable`, log two lines, and every event stream catches up without gaps.
 */
describe('a database crash (postmaster kill -9, restart after 5 s)', () => {
  it('the server rides it out and its event streams resume without gaps', async () => {
    await rideOutOutage({ stop: (cluster) => cluster.crash(), downMs: 5_000 });
  }, 60_000);
});
