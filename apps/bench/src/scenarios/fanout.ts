import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@glaze/db';
import { createToken, currentSeq } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { loadServerConfig, startServer } from '@glaze/server';
import type { BenchDatabase } from '../bench-database';
import { sampleRss } from '../sample-rss';
import { seedMockTable, waitForRunDone } from '../seed';

export interface FanoutFigures {
  viewers: number;
  cells: number;
  /** Rows each viewer watches (`?rows=`), or undefined: every viewer watches the whole table. */
  windowRows?: number;
  /** Viewers that received the feed up to the run's last change. */
  sawEnd: number;
  /** A done cell's flush (its `finished_at`, the flush transaction's start) → its frame's last byte at a viewer. */
  p50LagMs: number;
  p99LagMs: number;
  maxLagMs: number;
  /** Peak RSS of the process holding the server and its in-process worker (the viewers run elsewhere). */
  serverRssMb: number;
  /** Cells per second of the run watched by the viewers ÷ the same run with none (median of two). */
  throughputRatio: number;
  cellsPerSecond: number;
  aloneCellsPerSecond: number;
  /** Bytes all viewers read during the watched run. */
  megabytes: number;
  /** Viewers the server reset for reading too slowly. */
  resets: number;
}

const viewersScript = fileURLToPath(new URL('../fanout-viewers.ts', import.meta.url));

/**
 * `viewers` SSE clients on one table while a run of `cells` mock cells fills it: did every one see
 * the end, how late did each cell reach each viewer, what did the server hold, and how much slower
 * was the run than the same run unwatched (runs in the order alone, watched, alone; server and
 * worker in this process, the clients in a child process of their own).
 */
export async function benchFanout(
  db: BenchDatabase,
  cells: number,
  viewers: number,
  windowRows?: number,
): Promise<FanoutFigures> {
  const near = db.near ?? db.pool;
  const { workspaceId, table, column } = await seedMockTable(near, cells);
  await near.query('vacuum analyze');
  const { token } = await createToken(near, { workspaceId, name: 'bench' });
  const server = await startServer({
    // `glaze start`'s defaults; GLAZE_VIEWER_LAG_MS=0 measures runs that never wait for their viewers
    server: {
      ...loadServerConfig({ GLAZE_VIEWER_LAG_MS: process.env.GLAZE_VIEWER_LAG_MS }),
      port: 0,
      realtime: 'listen',
    },
    pool: near,
    workerPool: db.pool,
    providers: builtinProviders,
    logger: silentLogger,
    worker: true,
  });
  const child = fork(viewersScript, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  try {
    const ask = askChild(child);
    const run = async () => {
      const response = await fetch(`${server.url}/api/v1/tables/${table.id}/columns/${column.id}/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ scope: 'all' }),
      });
      if (!response.ok) throw new Error(`fanout: starting the run: HTTP ${response.status}`);
      const runId = Number(((await response.json()) as { run: { id: number } }).run.id);
      await waitForRunDone(near, runId, table.id);
      const { rows } = await near.query<{ seconds: number }>(
        `select extract(epoch from finished_at - created_at)::float8 as seconds from runs where id = $1`,
        [runId],
      );
      return { runId, cellsPerSecond: cells / rows[0]!.seconds };
    };
    await run(); // warm-up: connections, prepared statements, the JIT; the runs after it re-run cells
    const alone1 = await run();

    const { rows: first } = await near.query<{ id: string }>(
      'select min(id) as id from rows where table_id = $1',
      [table.id],
    );
    const firstRowId = Number(first[0]!.id);
    const windows = Array.from({ length: viewers }, (_, i): [number, number] | null => {
      if (windowRows === undefined) return null;
      const from = firstRowId + Math.floor((i * (cells - windowRows)) / Math.max(1, viewers - 1));
      return [from, from + windowRows - 1];
    });
    await ask(
      { type: 'open', url: `${server.url}/api/v1/tables/${table.id}/events`, token, windows },
      'opened',
    );
    const rss = sampleRss();
    const watched = await run();
    const serverRssMb = rss.peakMb();
    rss.stop();
    const endSeq = await currentSeq(near, table.id);
    const { clients: sawEnd } = await ask({ type: 'await', seq: endSeq }, 'seen');
    const { rows: done } = await near.query<{ seq: string; finished_ms: number; row_id: string }>(
      `select seq, extract(epoch from finished_at)::float8 * 1000 as finished_ms, row_id from cells
        where run_id = $1 and status = 'done' order by seq`,
      [watched.runId],
    );
    const lags = await ask(
      {
        type: 'lags',
        seqs: done.map((cell) => Number(cell.seq)),
        finishedMs: done.map((cell) => cell.finished_ms),
        rowIds: done.map((cell) => Number(cell.row_id)),
      },
      'lags',
    );
    child.send({ type: 'exit' });
    const alone2 = await run();
    const alone = (alone1.cellsPerSecond + alone2.cellsPerSecond) / 2;
    return {
      viewers,
      cells,
      windowRows,
      sawEnd,
      p50LagMs: lags.p50Ms,
      p99LagMs: lags.p99Ms,
      maxLagMs: lags.maxMs,
      serverRssMb,
      throughputRatio: watched.cellsPerSecond / alone,
      cellsPerSecond: watched.cellsPerSecond,
      aloneCellsPerSecond: alone,
      megabytes: Math.round(lags.bytes / 2 ** 20),
      resets: lags.resets,
    };
  } finally {
    if (child.exitCode === null) child.kill();
    await server.close();
  }
}

/** Sends a message to the viewers' process and resolves with its answer of type `expect`. */
function askChild(child: ChildProcess) {
  // biome-ignore lint/suspicious/noExplicitAny: IPC messages are plain JSON
  return async (message: Record<string, unknown>, expect: string): Promise<any> => {
    child.send(message);
    for (;;) {
      const [answer] = (await Promise.race([
        once(child, 'message'),
        once(child, 'exit').then(() => {
          throw new Error('fanout: the viewers process exited');
        }),
      ])) as [{ type: string; message?: string }];
      if (answer.type === 'error') throw new Error(`fanout viewers: ${answer.message}`);
      if (answer.type === expect) return answer;
    }
  };
}
