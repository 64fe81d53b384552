import { silentLogger } from '@glaze/db';
import { createToken, createWorkspace } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { loadServerConfig, startServer } from '@glaze/server';
import type { BenchDatabase } from '../bench-database';
import { openSse } from '../sse-client';

export interface StreamFigures {
  cells: number;
  viewers: number;
  /** Bytes the busiest viewer's stream carried from the start request to the run's end. */
  bytesPerViewer: number;
  /** Start request → the slowest viewer's first run count above 0. */
  firstProgressMs: number;
  /** The longest the slowest viewer's run count stood still while the run ran. */
  maxProgressGapMs: number;
  /** Start request → the run's end seen by every viewer. */
  runMs: number;
  /** The start request alone (the statement that queues every cell). */
  startMs: number;
}

interface RunFrame {
  id: number;
  status: string;
  counts: { done: number; error: number; skipped: number; cancelled: number };
}

/**
 * A re-run of `cells` mock cells watched by `viewers` SSE clients, each subscribed to its own window
 * of `windowRows` rows (`?rows=`): the bytes each stream carries and how soon its run count moves. The column
 * runs once first, so the measured run re-runs cells that hold values (the grid must show them
 * queued). Server and worker in one process.
 */
export async function benchStream(
  db: BenchDatabase,
  cells: number,
  viewers: number,
  /** Rows each viewer subscribes to: ~100 is a viewport and its margin; the web app takes its 2 loaded pages (2,000). */
  windowRows = 100,
): Promise<StreamFigures> {
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
    const { table } = await api('POST', '/tables/import?name=stream', csv, 'text/csv');
    const { column } = await api('POST', `/tables/${table.id}/columns`, {
      name: 'mock',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{input}}' },
    });
    const runPath = `/tables/${table.id}/columns/${column.id}/runs`;
    const first = await api('POST', runPath, { scope: 'all' });
    while ((await api('GET', `/runs/${first.run.id}`)).run.status === 'running') await sleep(200);
    // An import of one statement gives its rows consecutive ids.
    const firstRowId = Number((await api('GET', `/tables/${table.id}/rows?limit=1`)).rows[0].id);

    let started = 0;
    // The measured run is any run but the first: its frames may beat the start request's answer.
    const firstRunId = first.run.id as number;
    const watchers = await Promise.all(
      Array.from({ length: viewers }, async (_, i) => {
        const from = firstRowId + Math.floor((i * (cells - windowRows)) / Math.max(1, viewers - 1));
        const watcher = { bytes: 0, firstProgressAt: 0, lastMoveAt: 0, maxGap: 0, settled: 0, endedAt: 0 };
        let ended: () => void = () => {};
        const end = new Promise<void>((resolve) => {
          ended = resolve;
        });
        const url = `${server.url}/api/v1/tables/${table.id}/events?rows=${from}-${from + windowRows - 1}`;
        const stream = await openSse(
          url,
          headers,
          (event) => {
            if (started === 0 || (event.event !== 'changes' && event.event !== 'progress')) return;
            for (const run of JSON.parse(event.data).runs as RunFrame[]) {
              if (run.id === firstRunId) continue;
              const now = performance.now();
              const settled = run.counts.done + run.counts.error + run.counts.skipped + run.counts.cancelled;
              if (settled > watcher.settled) {
                if (watcher.firstProgressAt === 0) watcher.firstProgressAt = now;
                else watcher.maxGap = Math.max(watcher.maxGap, now - watcher.lastMoveAt);
                watcher.lastMoveAt = now;
                watcher.settled = settled;
              }
              if (run.status !== 'running' && watcher.endedAt === 0) {
                watcher.endedAt = now;
                ended();
              }
            }
          },
          (bytes) => {
            if (started > 0) watcher.bytes += bytes;
          },
        );
        return { watcher, stream, end };
      }),
    );
    await sleep(300);
    started = performance.now();
    await api('POST', runPath, { scope: 'all' });
    const startMs = performance.now() - started;
    try {
      await Promise.race([
        Promise.all(watchers.map((w) => w.end)),
        sleep(300_000).then(() => {
          throw new Error('stream: the viewers did not see the run end within 5 minutes');
        }),
      ]);
    } finally {
      for (const w of watchers) w.stream.close();
    }
    const all = watchers.map((w) => w.watcher);
    return {
      cells,
      viewers,
      bytesPerViewer: Math.max(...all.map((w) => w.bytes)),
      firstProgressMs: Math.max(...all.map((w) => w.firstProgressAt - started)),
      maxProgressGapMs: Math.max(...all.map((w) => w.maxGap)),
      runMs: Math.max(...all.map((w) => w.endedAt - started)),
      startMs,
    };
  } finally {
    await server.close();
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
