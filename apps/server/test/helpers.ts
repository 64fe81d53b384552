import { decodeFeedCell, type FeedEventName, feedFrames } from '@glaze/core';
import { silentLogger } from '@glaze/db';
import { createTestDatabase, type TestDatabase } from '@glaze/db/testing';
import { createToken, createWorker, createWorkspace, FeedHub, type GlazeWorker } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { createServer, type ServerOptions } from '../src/index';

export interface TestServer {
  db: TestDatabase;
  app: FastifyInstance;
  hub: FeedHub;
  /** Bearer headers of a fresh workspace. */
  auth: { authorization: string };
  workspaceId: number;
  /** Another workspace's token and id, for isolation checks. */
  newWorkspace(name: string): Promise<{ id: number; auth: { authorization: string }; token: string }>;
  startWorker(): Promise<GlazeWorker>;
  close(): Promise<void>;
}

/** A server on a fresh cloned database (in-process; `listen` it for real-socket tests). */
export async function testServer(
  options: Partial<ServerOptions> & { realtime?: 'listen' | 'poll' } = {},
): Promise<TestServer> {
  const db = await createTestDatabase(inject('adminUrl'), inject('templateName'));
  const hub = await FeedHub.start({
    pool: db.pool,
    logger: silentLogger,
    listenUrl: db.url,
    mode: options.realtime ?? 'listen',
    pollMs: 100,
  });
  const app = await createServer({
    pool: db.pool,
    providers: builtinProviders,
    hub,
    logger: silentLogger,
    webDir: null,
    ...options,
  });
  const workers: GlazeWorker[] = [];
  const newWorkspace = async (name: string) => {
    const workspace = await createWorkspace(db.pool, name);
    const { token } = await createToken(db.pool, { workspaceId: workspace.id, name: 'test' });
    return { id: workspace.id, token, auth: { authorization: `Bearer ${token}` } };
  };
  const first = await newWorkspace('first');
  return {
    db,
    app,
    hub,
    auth: first.auth,
    workspaceId: first.id,
    newWorkspace,
    async startWorker() {
      const worker = await createWorker({
        pool: db.pool,
        providers: builtinProviders,
        logger: silentLogger,
        backoffMs: 10,
        sweepIntervalMs: 200,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await app.close();
      await hub.close();
      for (const worker of workers) await worker.stop();
      await db.drop();
    },
  };
}

/**
 * A frame's data checked against core's `feedFrames` (what the server promises), its cells (arrays on
 * the wire) decoded to the API's `CellChange`s, as @glaze/client hands them on.
 */
function decodeFrame(event: string, data: unknown): unknown {
  if (!(event in feedFrames)) return data;
  const frame = feedFrames[event as FeedEventName].parse(data);
  return 'cells' in frame ? { ...frame, cells: frame.cells.map(decodeFeedCell) } : frame;
}

export interface SseEvent {
  event: string;
  id?: string;
  data: unknown;
}

/**
 * Reads a text/event-stream over a real socket, frame by frame. `next()` waits for the next event
 * (rejecting after `timeoutMs`); `close()` hangs up as a browser tab would.
 */
export async function openEvents(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  if (!response.ok || !response.body)
    throw new Error(`events: HTTP ${response.status} ${await response.text()}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseEvent[] = [];
  let ended = false;
  const pump = async (): Promise<boolean> => {
    const { value, done } = await reader.read();
    if (done) {
      ended = true;
      return false;
    }
    buffer += decoder.decode(value, { stream: true });
    for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const fields = new Map<string, string>();
      for (const line of frame.split('\n')) {
        if (line.startsWith(':') || line === '') continue;
        const colon = line.indexOf(':');
        fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
      }
      if (!fields.has('event') && !fields.has('data')) continue;
      const event = fields.get('event') ?? 'message';
      queue.push({
        event,
        id: fields.get('id'),
        data: decodeFrame(event, JSON.parse(fields.get('data') ?? 'null')),
      });
    }
    return true;
  };
  return {
    response,
    get ended() {
      return ended;
    },
    async next(timeoutMs = 10_000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (ended) throw new Error('the event stream ended');
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error('no event in time');
        let timer: NodeJS.Timeout | undefined;
        const more = await Promise.race([
          pump(),
          new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), remaining);
          }),
        ]);
        clearTimeout(timer);
        if (more === 'timeout') throw new Error('no event in time');
      }
      return queue.shift() as SseEvent;
    },
    close() {
      controller.abort();
    },
  };
}

/** A small CSV of `n` leads. */
export function leadsCsv(n: number): string {
  const lines = ['name,email'];
  for (let i = 1; i <= n; i++) lines.push(`Lead ${i},lead${i}@example.com`);
  return `${lines.join('\n')}\n`;
}

/**
 * A POST with an optional `Idempotency-Key`, answered as status, JSON body and whether the answer
 * was replayed (`Idempotent-Replayed`).
 */
export async function keyedPost(
  server: TestServer,
  url: string,
  payload: object,
  key?: string,
  auth: { authorization: string } = server.auth,
) {
  const response = await server.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...auth, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    payload,
  });
  return {
    status: response.statusCode,
    body: response.json(),
    replayed: response.headers['idempotent-replayed'],
  };
}

/**
 * Runs `requests` while the table's write lock is held exclusively (as a feed read holds it), and
 * lets it go once all of them wait for it: each has done what it does before writing (looked for
 * its key, staged its rows), so their writes race.
 */
export function raceAtTableLock<T>(
  server: TestServer,
  tableId: number,
  requests: Array<() => Promise<T>>,
): Promise<T[]> {
  return raceAtLock(
    server,
    { sql: `select pg_advisory_xact_lock(1, ${Number(tableId)})`, waitEvent: 'advisory' },
    requests,
  );
}

/**
 * Runs `requests` while `lock.sql` holds a lock (e.g. `lock table tables in share mode`, which every
 * insert into tables waits for), and lets it go once all of them wait for it (`lock.waitEvent`:
 * `advisory`, `relation`), so their writes race.
 */
export async function raceAtLock<T>(
  server: TestServer,
  lock: { sql: string; waitEvent: 'advisory' | 'relation' },
  requests: Array<() => Promise<T>>,
): Promise<T[]> {
  const holder = await server.db.pool.connect();
  try {
    await holder.query('begin');
    await holder.query(lock.sql);
    const racing = Promise.all(requests.map((request) => request()));
    const waiting = async () =>
      (
        await server.db.pool.query(
          `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and wait_event = $1`,
          [lock.waitEvent],
        )
      ).rows[0].n as number;
    const deadline = Date.now() + 10_000;
    while ((await waiting()) < requests.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    if ((await waiting()) < requests.length)
      throw new Error(`not all ${requests.length} requests reached the lock`);
    await holder.query('commit');
    return await racing;
  } finally {
    holder.release();
  }
}
