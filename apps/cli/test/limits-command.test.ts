import type { TestDatabase } from '@glaze/db/testing';
import { createWorkspace, listRateLimits } from '@glaze/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../packages/engine/test/helpers';
import { runGlaze } from './support/glaze-process';

let db: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  db = await testDatabase();
  env = { DATABASE_URL: db.url };
});
afterAll(async () => {
  await db.drop();
});

describe('glaze limits', () => {
  it('sets, changes one option of, lists and clears a limit; --workspace may be left out with one workspace', async () => {
    const acme = await createWorkspace(db.pool, 'acme');
    const set = await runGlaze(['limits', 'set', 'http', '--rps', '15', '--concurrency', '10'], env);
    expect(set.code).toBe(0);
    expect(set.stderr).toContain('http in workspace "acme": 15 requests/s, at most 10 in flight');
    const slower = await runGlaze(['limits', 'set', 'http', '--rps', '0.5'], env);
    expect(slower.code).toBe(0);
    expect(await listRateLimits(db.pool, { workspaceId: acme.id })).toMatchObject([
      { provider: 'http', requestsPerSecond: 0.5, concurrency: 10 }, // concurrency left as it was
    ]);
    const listed = await runGlaze(['limits'], env);
    expect(listed.stdout).toMatch(/^acme \(\d+\)\s+http\s+-\s+0\.5\s+10\s+-\s+-$/m);
    const host = await runGlaze(['limits', 'set', 'http', '--host', 'api.example.com', '--rps', '2'], env);
    expect(host.stderr).toContain('http on api.example.com in workspace "acme": 2 requests/s');
    expect((await runGlaze(['limits'], env)).stdout).toMatch(
      /^acme \(\d+\)\s+http\s+api\.example\.com\s+2\s+-\s+-\s+-$/m,
    );
    expect((await runGlaze(['limits', 'clear', 'http', '--host', 'api.example.com'], env)).code).toBe(0);

    const cleared = await runGlaze(['limits', 'clear', 'http'], env);
    expect(cleared.code).toBe(0);
    expect(await listRateLimits(db.pool, { workspaceId: acme.id })).toEqual([]);
    // A rate learned from a provider's quota headers (what a worker writes; see learn-rate.sql) is
    // listed with no limit configured, so an operator sees what the workers pace to.
    await db.pool.query(
      `insert into rate_limits (workspace_id, provider, learned_requests_per_second) values ($1, 'llm', 58.25)`,
      [acme.id],
    );
    expect(await listRateLimits(db.pool, { workspaceId: acme.id })).toMatchObject([
      { provider: 'llm', requestsPerSecond: null, learnedRequestsPerSecond: 58.25 },
    ]);
    expect((await runGlaze(['limits'], env)).stdout).toMatch(/^acme \(\d+\)\s+llm\s+-\s+-\s+-\s+58\.3\s+-$/m);
    await db.pool.query(`delete from rate_limits where provider = 'llm'`);

    await createWorkspace(db.pool, 'beta');
    const ambiguous = await runGlaze(['limits', 'set', 'http', '--rps', '3'], env);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/--workspace: required, there is more than one workspace/);
    const named = await runGlaze(
      ['limits', 'set', 'email', '--concurrency', '2', '--workspace', 'beta'],
      env,
    );
    expect(named.code).toBe(0);
    expect((await listRateLimits(db.pool)).map((limit) => [limit.workspaceName, limit.provider])).toEqual([
      ['beta', 'email'],
    ]);
  }, 150_000); // ten glaze processes

  it('refuses an unknown provider (listing the known ones) and bad numbers, naming the option', async () => {
    const unknown = await runGlaze(['limits', 'set', 'htp', '--rps', '1', '--workspace', 'acme'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/provider: no provider "htp" \(providers: .*\bhttp\b.*\)/);
    const negative = await runGlaze(['limits', 'set', 'http', '--rps=-3', '--workspace', 'acme'], env);
    expect(negative.stderr).toMatch(/--rps: expected a number above 0, got "-3"/);
    const fraction = await runGlaze(
      ['limits', 'set', 'http', '--concurrency', '1.5', '--workspace', 'acme'],
      env,
    );
    expect(fraction.stderr).toMatch(/concurrency: must be an integer from 1 to 100000/);
    const nothing = await runGlaze(['limits', 'set', 'http', '--workspace', 'acme'], env);
    expect(nothing.stderr).toMatch(/set: give --rps, --concurrency or both/);
  }, 120_000);
});
