import { setMaxListeners } from 'node:events';
import { silentLogger } from '@glaze/db';
import { createTestDatabase, type TestDatabase } from '@glaze/db/testing';
import { RateLimits, runCell } from '@glaze/engine';
import { createHttpProvider } from '@glaze/providers';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startProviderServer } from '../src/provider-server';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase(inject('adminUrl'), inject('templateName'));
});
afterAll(() => db.drop());

const http = createHttpProvider({ allow: ['127.0.0.1'] });

/** `calls` cells through `limits`, `inFlight` at a time, as a worker's cells go through runCell. */
async function callThrough(
  limits: RateLimits,
  workspaceId: number,
  url: string,
  calls: number,
  inFlight: number,
) {
  const config = http.configSchema.parse({ url: `${url}/v1?q={{input}}` });
  const stop = new AbortController().signal;
  setMaxListeners(inFlight * 2, stop); // every call waiting at the gate listens to it
  const caller: Parameters<typeof runCell>[0] = {
    provider: http,
    config,
    secrets: {},
    redactor: undefined,
    maxAttempts: 3,
    backoffMs: 10,
    signal: () => AbortSignal.timeout(10_000),
    stop,
    gate: limits.gate(workspaceId, 'http', http.limitHost?.(config)),
  };
  let next = 0;
  const statuses: string[] = [];
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < calls) {
        const input = `row-${next++}`;
        statuses.push((await runCell(caller, { input })).status);
      }
    }),
  );
  return statuses;
}

it('two processes with no limit set learn the API rate from its quota headers and share it: no call above it', async () => {
  const { rows } = await db.pool.query(`insert into workspaces (name) values ('test') returning id`);
  const workspaceId = rows[0].id as number;
  const api = await startProviderServer({ limitRps: 100, latencyMs: 100, jitterMs: 50 });
  const first = new RateLimits(db.pool, silentLogger);
  const second = new RateLimits(db.pool, silentLogger);
  try {
    const statuses = await Promise.all([
      callThrough(first, workspaceId, api.url, 600, 60),
      callThrough(second, workspaceId, api.url, 600, 60),
    ]);
    expect(statuses.flat().filter((status) => status !== 'done')).toEqual([]);
    // Each process alone would send 60 calls per 150 ms (400/s): only pacing to the shared rate
    // keeps the API from refusing most of them.
    expect(api.counts.refused).toBeLessThanOrEqual(12); // 1 % of 1,200
    const { rows: learned } = await db.pool.query(
      `select provider, learned_requests_per_second as rate from rate_limits where workspace_id = $1`,
      [workspaceId],
    );
    const host = learned.find((row) => row.provider.startsWith('http:'));
    expect(host.rate).toBeGreaterThan(95);
    expect(host.rate).toBeLessThan(105);
  } finally {
    await Promise.all([first.close(), second.close()]);
    await api.close();
  }
}, 60_000);
