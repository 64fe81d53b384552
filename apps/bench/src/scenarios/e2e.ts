import { decodeFeedCell, type FeedFrame } from '@glaze/core';
import { silentLogger } from '@glaze/db';
import { createToken, createWorkspace } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { loadServerConfig, startServer } from '@glaze/server';
import type { BenchDatabase } from '../bench-database';
import { openSse } from '../sse-client';

export interface E2eFigures {
  cells: number;
  runs: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * From the HTTP request that starts a run of `cells` mock cells (0 ms) to the moment an SSE client
 * has received the last of their changes, `runs` times; server and worker in one process.
 */
export async function benchE2e(db: BenchDatabase, cells: number, runs: number): Promise<E2eFigures> {
  const server = await startServer({
    server: { ...loadServerConfig({}), port: 0, realtime: 'listen' },
    pool: db.near ?? db.pool,
    workerPool: db.pool,
    providers: builtinProviders,
    logger: silentLogger,
    worker: true,
  });
  try {
    const workspace = await createWorkspace(db.near ?? db.pool, 'bench');
    const { token } = await createToken(db.near ?? db.pool, { workspaceId: workspace.id, name: 'bench' });
    const headers = { authorization: `Bearer ${token}` };
    const api = async (method: string, path: string, body?: unknown, type = 'application/json') => {
      const response = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: { ...headers, 'content-type': type },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      if (!response.ok)
        throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
      return response.json();
    };
    const csv = `input\n${Array.from({ length: cells }, (_, i) => `row-${i}`).join('\n')}\n`;
    const { table } = await api('POST', '/tables/import?name=e2e', csv, 'text/csv');
    const { column } = await api('POST', `/tables/${table.id}/columns`, {
      name: 'mock',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{input}}' },
    });

    // Every cell change the stream delivers, by run: the clock stops when the last one arrives.
    const finished = new Map<number, Set<number>>();
    let waiter: (() => void) | undefined;
    let subscribed: () => void = () => {};
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    const stream = await openSse(`${server.url}/api/v1/tables/${table.id}/events`, headers, (event) => {
      if (event.event === 'ready') subscribed();
      if (event.event !== 'changes') return;
      for (const cell of (JSON.parse(event.data) as FeedFrame<'changes'>).cells.map(decodeFeedCell)) {
        if (cell.runId === null || cell.status !== 'done') continue;
        const done = finished.get(cell.runId) ?? new Set<number>();
        done.add(cell.id);
        finished.set(cell.runId, done);
      }
      waiter?.();
    });
    const latencies: number[] = [];
    try {
      // The response's headers come before the server has subscribed to the table: a run that
      // finished in between would lie before the stream's start, and the loop below would wait for
      // ever (seen once the first run got fast enough: no job fetch, no limit read on its path).
      await ready;
      for (let i = 0; i < runs + 2; i++) {
        const started = performance.now();
        const { run } = await api('POST', `/tables/${table.id}/columns/${column.id}/runs`, { scope: 'all' });
        while ((finished.get(run.id)?.size ?? 0) < cells) {
          await new Promise<void>((resolve) => {
            waiter = resolve;
            setTimeout(resolve, 1000);
          });
        }
        // the first two runs warm up connections, prepared statements and the JIT
        if (i >= 2) latencies.push(performance.now() - started);
        // Each run starts on a quiet table, as when a person clicks Run: back to back, the feed
        // would rightly treat the table as busy and space its reads up to 50 ms apart.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      stream.close();
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    return { cells, runs, p50Ms: at(0.5), p99Ms: at(0.99) };
  } finally {
    await server.close();
  }
}
