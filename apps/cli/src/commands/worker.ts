import { loadConfig } from '@glaze/db';
import {
  createPrometheusMetrics,
  createSecretsLoader,
  createWorker,
  serveMetrics,
  workerDefaults,
} from '@glaze/engine';
import { listening } from '@glaze/server';
import { boot } from '../boot';
import { parseCommandLine } from '../command-line';
import { createProviders, loadSecretKey } from '../engine-config';
import { positiveInt, UsageError } from '../enrich/usage-error';

const help = `usage: glaze worker [--concurrency <n>] [--cell-concurrency <n>] [--answer-memory <mb>]
                    [--metrics-port <port>]

Runs enrichment workers only, until SIGINT or SIGTERM; start one per machine to scale out. Workers
coordinate through Postgres (graphile-worker, SKIP LOCKED), so any number may share a database.

options:
  --concurrency <n>       chunk jobs run at once in this process (default ${workerDefaults.jobConcurrency})
  --cell-concurrency <n>  provider calls in flight at once, across all chunks (default ${workerDefaults.cellConcurrency})
  --answer-memory <mb>    answers held in memory, in flight or waiting for their write (default ${workerDefaults.answerMemoryMb}):
                          calls wait while more would not fit, so large answers (web pages) run
                          fewer at a time
  --metrics-port <port>   serve Prometheus metrics on 127.0.0.1:<port>/metrics (GLAZE_METRICS_HOST
                          for another address; docs/OPERATIONS.md lists them)
  -h, --help              this text

Database: WORKER_DATABASE_URL, else DATABASE_URL, else the embedded Postgres in GLAZE_DATA_DIR; a
transaction pooler is detected at boot (GLAZE_POOLER overrides; docs/DEPLOY.md).
Secrets: GLAZE_SECRET_KEY, else GLAZE_DATA_DIR/secret.key; every process of an install needs the same
key. Private hosts the http and llm providers may reach: GLAZE_HTTP_ALLOW (comma-separated).
Prints "glaze worker ready (pid N)" on stdout once it takes jobs. On a signal it finishes the chunks in
hand for up to half a lease (7.5 s), hands back the rest and exits 0; a second signal exits at once
(the other workers' reconcilers return its cells within a lease, 15 s). It rides out database outages.`;

/** glaze worker: a standalone worker process. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    {
      args: argv,
      options: {
        concurrency: { type: 'string' },
        'cell-concurrency': { type: 'string' },
        'answer-memory': { type: 'string' },
        'metrics-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    help,
  );
  if (values.help) {
    console.log(help);
    return 0;
  }
  const jobConcurrency = positiveInt('--concurrency', values.concurrency, workerDefaults.jobConcurrency);
  const cellConcurrency = positiveInt(
    '--cell-concurrency',
    values['cell-concurrency'],
    workerDefaults.cellConcurrency,
  );
  const answerMemoryMb = positiveInt(
    '--answer-memory',
    values['answer-memory'],
    workerDefaults.answerMemoryMb,
  );
  const metricsPort =
    values['metrics-port'] === undefined
      ? undefined
      : positiveInt('--metrics-port', values['metrics-port'], 0);
  if (metricsPort !== undefined && metricsPort > 65_535)
    throw new UsageError(`--metrics-port: expected a port number from 1 to 65535, got ${metricsPort}`);
  // Checked before the database starts, naming the variable.
  const config = loadConfig(process.env);
  const providers = createProviders(config);
  const secretKey = await loadSecretKey(config);
  // graphile-worker holds a LISTEN connection and one per job in flight; flushes and leases need a few more.
  const glaze = await boot({
    workerPoolSize: jobConcurrency + 6,
    poolSize: Math.max(10, jobConcurrency + 6),
    longLived: true,
  });
  // `role` as on the metrics; the engine's lines add `worker` (host:pid:random), so not named twice.
  const logger = glaze.logger.child({ role: 'worker' });
  const metrics =
    metricsPort === undefined
      ? undefined
      : createPrometheusMetrics({ pool: glaze.workerPool, role: 'worker' });
  const metricsAt = { port: metricsPort as number, host: process.env.GLAZE_METRICS_HOST || '127.0.0.1' };
  let metricsServer: Awaited<ReturnType<typeof serveMetrics>> | undefined;
  try {
    metricsServer =
      metrics &&
      (await listening(serveMetrics(metrics.registry, metricsAt), metricsAt, {
        port: '--metrics-port',
        host: 'GLAZE_METRICS_HOST',
      }));
    if (metricsServer) logger.info({ url: metricsServer.url }, 'serving Prometheus metrics');
    const worker = await createWorker({
      pool: glaze.workerPool,
      transactionPooler: glaze.workerPooler,
      stopWaitMs: glaze.workerEmbedded ? 0 : undefined,
      providers,
      logger,
      secretsFor: createSecretsLoader(glaze.workerPool, secretKey, { logger }),
      jobConcurrency,
      cellConcurrency,
      answerMemoryMb,
      metrics: metrics?.engine,
    });
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
      console.log(`glaze worker ready (pid ${process.pid})`);
    });
    logger.info({ signal }, 'stopping: finishing the chunks in hand');
    const force = () => {
      logger.warn('second signal: exiting now; the reconciler returns unfinished cells within a lease');
      process.exit(130);
    };
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    await worker.stop();
    logger.info('worker stopped');
    return 0;
  } finally {
    await metricsServer?.close();
    await glaze.close();
  }
}
