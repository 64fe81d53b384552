import { Writable } from 'node:stream';
import { createLogger, createPool, type Pool } from '@glaze/db';
import { type StoppableCluster, startStoppableCluster } from '@glaze/db/testing';
import { createTable, createToken, createWorkspace, insertRows, updateRows } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { expect } from 'vitest';
import { loadServerConfig, type RunningServer, startServer } from '../src/index';

/**
 * The database goes away under a running server and comes back: the scenario shared by the outage
 * tests (a fast shutdown, a kill -9). Two servers watch one cluster — one on LISTEN, one polling —
 * each with an event stream that stays open and one that is cut and must come back through 503s.
 */
export async function rideOutOutage(fault: {
  /** Takes the database away (`stopFast` or `crash`). */
  stop(cluster: StoppableCluster): Promise<void>;
  /** How long it stays away. */
  downMs: number;
}): Promise<void> {
  const cluster = await startStoppableCluster();
  const writer = createPool({ connectionString: cluster.url, max: 2 });
  const servers: TestedServer[] = [];
  try {
    const workspace = await createWorkspace(writer, 'outage');
    const { token } = await createToken(writer, { workspaceId: workspace.id, name: 'test' });
    const auth = { authorization: `Bearer ${token}` };
    const table = await createTable(writer, {
      workspaceId: workspace.id,
      name: 'Leads',
      inputColumns: ['name'],
    });
    for (const realtime of ['listen', 'poll'] as const) servers.push(await testedServer(cluster, realtime));
    const streams = servers.flatMap((server) => [
      follow(`${server.running.url}/api/v1/tables/${table.id}/events`, auth, 'steady'),
      follow(`${server.running.url}/api/v1/tables/${table.id}/events`, auth, 'cut'),
    ]);
    await Promise.all(streams.map((stream) => stream.ready));
    for (const server of servers) expect(server.running.hub.mode).toBe(server.realtime);

    // Changes before the outage, and some right before it (their notification may never be read).
    await insertRows(writer, table.id, names('before', 5));
    await waitUntil(
      () => streams.every((stream) => stream.rows.size === 5),
      'the first rows reach every stream',
    );
    const lastMinute = await insertRows(writer, table.id, names('just before', 3));
    await fault.stop(cluster);
    for (const stream of streams) if (stream.role === 'cut') stream.cut();

    const downSince = Date.now();
    const readsBefore = servers.map((server) => server.running.hub.reads);
    for (const { running } of servers) {
      const api = `${running.url}/api/v1`;
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
      const askedAt = Date.now();
      const ready = await fetch(`${running.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(Date.now() - askedAt).toBeLessThan(1000);
      for (const [method, path] of [
        ['GET', `/tables/${table.id}/rows`],
        ['POST', `/tables/${table.id}/rows`],
        ['GET', '/tables'],
      ] as const) {
        const response = await fetch(`${api}${path}`, {
          method,
          headers: { ...auth, 'content-type': 'application/json' },
          body: method === 'POST' ? JSON.stringify({ rows: [{ name: 'lost' }] }) : undefined,
        });
        expect({ path, status: response.status }).toEqual({ path, status: 503 });
        expect(response.headers.get('retry-after')).toBe('5');
        expect((await response.json()).error.code).toBe('database_unavailable');
      }
      const unknownToken = await fetch(`${api}/tables`, {
        headers: { authorization: 'Bearer not-cached-yet-0123' },
      });
      expect(unknownToken.status).toBe(503);
    }
    await sleep(fault.downMs - (Date.now() - downSince));
    // The cut streams tried to come back while the database was away: each was told 503.
    for (const stream of streams) if (stream.role === 'cut') expect(stream.refusals).toContain(503);
    // No table is read while the database is away (the polling server would read 5 times a second).
    servers.forEach((server, i) => {
      expect(server.running.hub.reads - (readsBefore[i] ?? 0)).toBeLessThanOrEqual(2);
    });
    await cluster.start();

    // Changes after the outage: new rows, and edits of the rows written just before it.
    await insertRows(writer, table.id, names('after', 4));
    await updateRows(
      writer,
      table.id,
      lastMinute.map((id) => ({ id, values: { name: `edited ${id}` } })),
    );
    const viaApi = await fetch(`${servers[0]?.running.url}/api/v1/tables/${table.id}/rows`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ rows: [{ name: 'through the API' }] }),
    });
    expect(viaApi.status).toBe(201);

    // Every stream ends up with the database's rows, each at its latest seq, frames in seq order.
    const { rows } = await writer.query('select id, seq, data from rows where table_id = $1 order by id', [
      table.id,
    ]);
    const expected = new Map(rows.map((r) => [Number(r.id), { seq: Number(r.seq), values: r.data }]));
    expect(expected.size).toBe(13);
    await waitUntil(
      () => streams.every((stream) => sameRows(stream.rows, expected)),
      'every stream catches up with the database',
      30_000,
    );
    for (const stream of streams) {
      expect(stream.ids).toEqual([...stream.ids].sort((a, b) => a - b));
      expect(new Set(stream.ids).size).toBe(stream.ids.length);
      expect(stream.resets).toEqual([]);
      expect(stream.connections).toBe(stream.role === 'steady' ? 1 : 2);
    }

    // The LISTEN server is back on LISTEN, not left polling.
    await waitUntil(() => servers[0]?.running.hub.listening === true, 'LISTEN is live again');
    for (const server of servers) {
      expect((await fetch(`${server.running.url}/readyz`)).status).toBe(200);
      const warnings = server.lines.filter((line) => line.level >= 40).map((line) => line.msg);
      expect(warnings).toEqual([
        'database unreachable; work waits and resumes when it is back',
        'database is back',
      ]);
      expect(server.lines.filter((line) => line.msg === 'database is back')).toHaveLength(1);
    }
    for (const stream of streams) stream.close();
  } finally {
    for (const server of servers) await server.running.close();
    await writer.end();
    await cluster.close();
  }
}

interface LogLine {
  level: number;
  msg: string;
}

interface TestedServer {
  realtime: 'listen' | 'poll';
  running: RunningServer;
  lines: LogLine[];
}

async function testedServer(cluster: StoppableCluster, realtime: 'listen' | 'poll'): Promise<TestedServer> {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const pool: Pool = createPool({ connectionString: cluster.url, max: 10 });
  const running = await startServer({
    server: { ...loadServerConfig({ PORT: '0', GLAZE_REALTIME: realtime, GLAZE_POLL_MS: '200' }) },
    pool,
    providers: builtinProviders,
    logger: createLogger('info', sink),
  });
  const close = running.close;
  running.close = async () => {
    await close();
    await pool.end();
  };
  return { realtime, running, lines };
}

interface RowCopy {
  seq: number;
  values: unknown;
}

/**
 * An event-stream client that behaves like the browser's EventSource: when the stream ends or an
 * attempt is refused it tries again after 250 ms, sending `Last-Event-ID`.
 */
function follow(url: string, headers: Record<string, string>, role: 'steady' | 'cut') {
  const rows = new Map<number, RowCopy>();
  const ids: number[] = [];
  const refusals: number[] = [];
  const resets: unknown[] = [];
  let lastEventId: string | undefined;
  let connections = 0;
  let closed = false;
  let controller = new AbortController();
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });

  const apply = (event: string, id: string | undefined, data: string) => {
    if (id !== undefined) lastEventId = id;
    if (event === 'ready') onReady();
    if (event === 'reset') resets.push(JSON.parse(data));
    if (event !== 'changes') return;
    ids.push(Number(id));
    for (const row of JSON.parse(data).rows as { id: number; seq: number; values: unknown }[]) {
      if ((rows.get(row.id)?.seq ?? 0) < row.seq) rows.set(row.id, { seq: row.seq, values: row.values });
    }
  };

  const connectOnce = async () => {
    controller = new AbortController();
    const response = await fetch(url, {
      headers: { ...headers, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: controller.signal,
    });
    if (response.status !== 200 || !response.body) {
      refusals.push(response.status);
      await response.body?.cancel();
      return;
    }
    connections++;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const fields = new Map<string, string>();
        for (const line of buffer.slice(0, cut).split('\n')) {
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        buffer = buffer.slice(cut + 2);
        const event = fields.get('event');
        if (event) apply(event, fields.get('id'), fields.get('data') ?? 'null');
      }
    }
  };

  void (async () => {
    while (!closed) {
      await connectOnce().catch(() => {});
      if (!closed) await sleep(250);
    }
  })();

  return {
    role,
    ready,
    rows,
    ids,
    refusals,
    resets,
    get connections() {
      return connections;
    },
    /** Hangs up, as a browser on a network that dropped; the client comes back by itself. */
    cut() {
      controller.abort();
    },
    close() {
      closed = true;
      controller.abort();
    },
  };
}

function sameRows(seen: Map<number, RowCopy>, expected: Map<number, RowCopy>): boolean {
  if (seen.size !== expected.size) return false;
  for (const [id, row] of expected) {
    const copy = seen.get(id);
    if (copy?.seq !== row.seq || JSON.stringify(copy.values) !== JSON.stringify(row.values)) return false;
  }
  return true;
}

function names(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({ name: `${prefix} ${i + 1}` }));
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(50);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
