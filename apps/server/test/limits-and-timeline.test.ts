import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadsCsv, type TestServer, testServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

const json = (auth: Record<string, string>) => ({ ...auth, 'content-type': 'application/json' });

describe('provider limits over the API', () => {
  it('sets a limit, keeps a field left out, removes one with null, and lists them per workspace', async () => {
    const set = await server.app.inject({
      method: 'PUT',
      url: '/api/v1/providers/http/limits',
      headers: json(server.auth),
      payload: { requestsPerSecond: 15, concurrency: 10 },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({
      limit: {
        provider: 'http',
        host: null,
        requestsPerSecond: 15,
        concurrency: 10,
        learnedRequestsPerSecond: null,
        pausedUntil: null,
      },
    });
    const slower = await server.app.inject({
      method: 'PUT',
      url: '/api/v1/providers/http/limits',
      headers: json(server.auth),
      payload: { requestsPerSecond: 0.5 },
    });
    expect(slower.json().limit).toMatchObject({ requestsPerSecond: 0.5, concurrency: 10 });
    const unbounded = await server.app.inject({
      method: 'PUT',
      url: '/api/v1/providers/http/limits',
      headers: json(server.auth),
      payload: { concurrency: null },
    });
    expect(unbounded.json().limit).toMatchObject({ requestsPerSecond: 0.5, concurrency: null });

    const listed = await server.app.inject({ url: '/api/v1/providers/limits', headers: server.auth });
    expect(listed.json()).toEqual({
      limits: [
        {
          provider: 'http',
          host: null,
          requestsPerSecond: 0.5,
          concurrency: null,
          learnedRequestsPerSecond: null,
          pausedUntil: null,
        },
      ],
    });
    const other = await server.newWorkspace('other');
    const theirs = await server.app.inject({ url: '/api/v1/providers/limits', headers: other.auth });
    expect(theirs.json()).toEqual({ limits: [] });
    // A rate the workers learned from the provider's quota headers is listed with nothing configured.
    await server.db.pool.query(
      `insert into rate_limits (workspace_id, provider, learned_requests_per_second) values ($1, 'llm', 58.25)`,
      [other.id],
    );
    const learned = await server.app.inject({ url: '/api/v1/providers/limits', headers: other.auth });
    expect(learned.json().limits).toMatchObject([
      { provider: 'llm', requestsPerSecond: null, learnedRequestsPerSecond: 58.25 },
    ]);
  });

  it("sets a limit for one host of a provider (?host=), listed beside the provider's own", async () => {
    const set = await server.app.inject({
      method: 'PUT',
      url: '/api/v1/providers/http/limits?host=API.Example.com',
      headers: json(server.auth),
      payload: { requestsPerSecond: 3 },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().limit).toEqual({
      provider: 'http',
      host: 'api.example.com',
      requestsPerSecond: 3,
      concurrency: null,
      learnedRequestsPerSecond: null,
      pausedUntil: null,
    });
    const listed = await server.app.inject({ url: '/api/v1/providers/limits', headers: server.auth });
    expect(listed.json().limits.map((l: { host: string | null }) => l.host)).toContain('api.example.com');
    const bad = await server.app.inject({
      method: 'PUT',
      url: '/api/v1/providers/http/limits?host=https://api.example.com/v1',
      headers: json(server.auth),
      payload: { requestsPerSecond: 3 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'validation_failed', path: 'host' });
    expect(bad.json().error.message).toContain('not a host name');
    const catalog = await server.app.inject({ url: '/api/v1/providers', headers: server.auth });
    const hostLimits = catalog.json().providers.filter((p: { hostLimits: boolean }) => p.hostLimits);
    expect(hostLimits.map((p: { id: string }) => p.id)).toEqual(['http', 'llm']);
  });

  it('refuses an unknown provider (404 listing the known ones) and bad numbers (400 naming the field)', async () => {
    const unknown = await server.app.inject({
      method: 'PUT',
      url: '/api/v1/providers/htp/limits',
      headers: json(server.auth),
      payload: { requestsPerSecond: 1 },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'not_found', path: 'provider' });
    expect(unknown.json().error.message).toMatch(/no provider "htp" \(providers: .*\bhttp\b/);
    for (const [payload, field] of [
      [{ requestsPerSecond: 0 }, 'requestsPerSecond'],
      [{ concurrency: 1.5 }, 'concurrency'],
      [{ concurrency: '3' }, 'concurrency'],
    ] as const) {
      const bad = await server.app.inject({
        method: 'PUT',
        url: '/api/v1/providers/http/limits',
        headers: json(server.auth),
        payload,
      });
      expect(bad.statusCode).toBe(400);
      expect(JSON.stringify(bad.json())).toContain(field);
    }
  });
});

describe('a run timeline over the API', () => {
  it("answers a run's spans and figures, sampled on request, and 404 for another workspace", async () => {
    await server.startWorker();
    const imported = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tables/import?name=Timeline',
      headers: { ...server.auth, 'content-type': 'text/csv' },
      payload: leadsCsv(30),
    });
    const tableId = imported.json().table.id;
    const column = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tables/${tableId}/columns`,
      headers: json(server.auth),
      payload: {
        name: 'Check',
        kind: 'enrichment',
        provider: 'mock',
        config: { input: '{{email}}', latencyMs: 50 },
      },
    });
    const started = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tables/${tableId}/columns/${column.json().column.id}/runs`,
      headers: json(server.auth),
      payload: { scope: 'all' },
    });
    const runId = started.json().run.id;
    for (let waited = 0; waited < 20_000; waited += 100) {
      const run = await server.app.inject({ url: `/api/v1/runs/${runId}`, headers: server.auth });
      if (run.json().run.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const timeline = await server.app.inject({ url: `/api/v1/runs/${runId}/timeline`, headers: server.auth });
    expect(timeline.statusCode).toBe(200);
    const body = timeline.json().timeline;
    expect(body).toMatchObject({ runId, cells: 30, errors: 0, retries: 0, throttled: 0 });
    expect(body.spans).toHaveLength(30);
    expect(body.peakConcurrency).toBeGreaterThan(1);
    expect(body.latencyMs.p50).toBeGreaterThanOrEqual(50);

    const sampled = await server.app.inject({
      url: `/api/v1/runs/${runId}/timeline?samples=5`,
      headers: server.auth,
    });
    expect(sampled.json().timeline.spans).toHaveLength(5);
    const other = await server.newWorkspace('outsider');
    const hidden = await server.app.inject({ url: `/api/v1/runs/${runId}/timeline`, headers: other.auth });
    expect(hidden.statusCode).toBe(404);
    const bad = await server.app.inject({
      url: `/api/v1/runs/${runId}/timeline?samples=0`,
      headers: server.auth,
    });
    expect(bad.statusCode).toBe(400);
  });
});
