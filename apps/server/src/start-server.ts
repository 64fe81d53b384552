import type { AnyProvider } from '@glaze/core';
import { DatabaseHealth, type Logger, openFileLimit, type Pool } from '@glaze/db';
import {
  createPrometheusMetrics,
  createSecretsLoader,
  createWorker,
  FeedHub,
  type GlazeWorker,
  serveMetrics,
  type WorkerOptions,
} from '@glaze/engine';
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config';
import { createServer } from './create-server';
import { listening } from './listen-error';
import { connectionsAllowed } from './open-streams';

export interface StartServerOptions {
  server: ServerConfig;
  pool: Pool;
  /** Pool for the in-process worker (WORKER_DATABASE_URL's database). */
  workerPool?: Pool;
  /**
   * Session connection string the change feed LISTENs on (`LISTEN_DATABASE_URL`): a direct URL when
   * `pool` goes through a transaction pooler. Default: `pool`'s own; the feed polls if LISTEN fails.
   */
  listenUrl?: string;
  /** Built with the install's network policy (createProviderRegistry({ httpAllow })). */
  providers: ReadonlyMap<string, AnyProvider>;
  logger: Logger;
  /** AES-256 key for workspace secrets: the API stores them with it, the in-process worker reads them. */
  secretKey?: Buffer;
  /** Why the database is down, when the process knows (the embedded Postgres's supervisor): /readyz says it. */
  diagnoseDatabase?: () => string | undefined;
  /** Run a worker in this process (`glaze start`); `--no-worker` leaves the work to `glaze worker`s. */
  worker?: boolean | Partial<WorkerOptions>;
}

export interface RunningServer {
  app: FastifyInstance;
  /** http://host:port the server listens on. */
  url: string;
  hub: FeedHub;
  /** Whether the server's database answers: one per process, told by requests and the change feed. */
  health: DatabaseHealth;
  worker?: GlazeWorker;
  /** http://host:port/metrics when GLAZE_METRICS_PORT is set. */
  metricsUrl?: string;
  /** Stops taking requests, ends event streams, lets the worker finish its chunks. */
  close(): Promise<void>;
}

/**
 * Starts the change-feed hub (LISTEN on its own session connection, or polling), the worker if
 * asked, and the HTTP server.
 * @example const running = await startServer({ server: loadServerConfig(env), pool, providers, logger });
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { server, pool, logger } = options;
  const health = new DatabaseHealth(pool, logger, {
    name: 'DATABASE_URL',
    diagnose: options.diagnoseDatabase,
  });
  const hub = await FeedHub.start({
    pool,
    logger,
    health,
    // The LISTEN connection reaches the same database as the pool, outside it (it must stay open).
    listenUrl: options.listenUrl ?? pool.options.connectionString,
    mode: server.realtime,
    pollMs: server.pollMs,
  });
  let worker: GlazeWorker | undefined;
  const openFiles = openFileLimit();
  const workerConnections =
    options.workerPool && options.workerPool !== pool ? options.workerPool.options.max : 0;
  const allowed = connectionsAllowed(openFiles, pool.options.max + workerConnections);
  const maxStreams = server.maxStreams ?? allowed.streams;
  if (Number.isFinite(allowed.connections) || server.maxStreams) {
    const limit = openFiles
      ? `open-file limit ${openFiles.soft}; raise it with ulimit -n, LimitNOFILE under systemd`
      : '';
    const line = `event streams: at most ${maxStreams} open at once${server.maxStreams ? ' (GLAZE_MAX_STREAMS)' : ''}, connections ${allowed.connections}${limit && ` (${limit})`}`;
    const fields = { maxStreams, maxConnections: allowed.connections, openFileLimit: openFiles?.soft };
    if (maxStreams < 1000) logger.warn(fields, line);
    else logger.info(fields, line);
  }
  const metrics = server.metrics && createPrometheusMetrics({ pool, health, role: 'server' });
  let metricsServer: Awaited<ReturnType<typeof serveMetrics>> | undefined;
  try {
    if (options.worker) {
      const extra = typeof options.worker === 'object' ? options.worker : {};
      const workerPool = options.workerPool ?? pool;
      const secretKey = options.secretKey;
      worker = await createWorker({
        pool: workerPool,
        providers: options.providers,
        logger,
        secretsFor: secretKey && createSecretsLoader(workerPool, secretKey, { logger }),
        metrics: metrics?.engine,
        paceWith: paceWithViewers(hub, server.viewerLagMs),
        ...extra,
      });
    }
    const app = await createServer({
      pool,
      providers: options.providers,
      hub,
      logger,
      bodyLimit: server.bodyLimit,
      csvLimit: server.csvLimit,
      secretKey: options.secretKey,
      webDir: server.webDir,
      trustProxy: server.trustProxy,
      sse: { ...(metrics && { metrics: metrics.streams }), maxStreams },
      openFiles,
    });
    if (metrics && server.metrics) {
      metricsServer = await listening(serveMetrics(metrics.registry, server.metrics), server.metrics, {
        port: 'GLAZE_METRICS_PORT',
        host: 'GLAZE_METRICS_HOST',
      });
      logger.info({ url: metricsServer.url }, 'serving Prometheus metrics');
    }
    // beyond it, new connections are dropped at once: the descriptors left are the pools' and files'
    if (Number.isFinite(allowed.connections)) app.server.maxConnections = allowed.connections;
    await listening(app.listen({ host: server.host, port: server.port }), server, {
      port: 'PORT (--port)',
      host: 'GLAZE_HOST (--host)',
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : server.port;
    const host = server.host.includes(':') ? `[${server.host}]` : server.host;
    let closing: Promise<void> | undefined;
    return {
      app,
      url: `http://${host}:${port}`,
      hub,
      health,
      worker,
      metricsUrl: metricsServer?.url,
      close() {
        closing ??= (async () => {
          await app.close();
          await metricsServer?.close();
          await hub.close();
          await worker?.stop();
          health.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await metricsServer?.close();
    await hub.close();
    await worker?.stop();
    health.close();
    throw error;
  }
}

/**
 * A chunk waits at most this long for the table's viewers: a feed held up by an unreachable database
 * or one slow read slows a run down, never stops it.
 */
const maxPaceWaitMs = 1000;

/**
 * The in-process worker's pace: a chunk of a watched table is claimed once the table's viewers are
 * at most `viewerLagMs` behind its writes. With mock cells a run fills the CPU, and the change feed,
 * reading on the same cores, fell ever further behind: 1,000 viewers of a 100,000-cell run saw cells
 * 890-950 ms (p99) after their flush (docs/BENCHMARKS.md, Fan-out).
 */
function paceWithViewers(hub: FeedHub, viewerLagMs: number) {
  if (viewerLagMs <= 0) return undefined;
  return (tableId: number) => hub.waitForViewers(tableId, viewerLagMs, maxPaceWaitMs);
}
