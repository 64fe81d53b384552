import { loadConfig } from '@glaze/db';
import { bootstrapWorkspace } from '@glaze/engine';
import { loadServerConfig, startServer } from '@glaze/server';
import { boot } from '../boot';
import { parseCommandLine } from '../command-line';
import { createProviders, loadSecretKey } from '../engine-config';
import { UsageError } from '../enrich/usage-error';

const help = `usage: glaze start [--host <host>] [--port <port>] [--no-worker] [--trust-proxy]

Starts Glaze: the database (embedded unless DATABASE_URL is set), migrations, a worker and the HTTP
server with the API (/api/v1) and the web app. Stops cleanly on SIGINT or SIGTERM.

options:
  --host <host>   address to listen on (default GLAZE_HOST, else 127.0.0.1)
  --port <port>   port to listen on (default PORT, else 3000; 0 picks a free one)
  --no-worker     do not run a worker in this process (run \`glaze worker\` elsewhere)
  --trust-proxy   behind a TLS-terminating reverse proxy: trust its X-Forwarded-* headers
                  (Secure cookie, client address); GLAZE_TRUST_PROXY can name the proxy's addresses
  -h, --help      this text

On first start it creates a workspace and prints its admin API token once (GLAZE_ADMIN_TOKEN, when
set, is used as that token). More tokens: glaze token create --workspace <id|name>.
Environment: PORT, GLAZE_HOST, GLAZE_ADMIN_TOKEN, GLAZE_BODY_LIMIT, GLAZE_CSV_LIMIT, GLAZE_REALTIME
(auto|listen|poll), GLAZE_POLL_MS, GLAZE_VIEWER_LAG_MS, GLAZE_WEB_DIR, GLAZE_TRUST_PROXY,
GLAZE_SECRET_KEY, GLAZE_HTTP_ALLOW, DATABASE_URL, WORKER_DATABASE_URL, LISTEN_DATABASE_URL,
GLAZE_POOLER, GLAZE_DATA_DIR. The server's own: docs/API.md (Configuration); behind a pooler:
docs/DEPLOY.md.`;

/** glaze start: everything in one process. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    {
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'no-worker': { type: 'boolean' },
        'trust-proxy': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    help,
  );
  if (values.help) {
    console.log(help);
    return 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw new UsageError(`--port: must be a port number from 0 to 65535, got "${values.port}"`);
  }
  // Checked before the database starts: a bad PORT, GLAZE_SECRET_KEY or GLAZE_HTTP_ALLOW fails in a
  // second, naming the variable.
  const config = loadConfig(process.env);
  const server = loadServerConfig(config.env);
  const providers = createProviders(config);
  const secretKey = await loadSecretKey(config);
  if (values.host) server.host = values.host;
  if (port !== undefined) server.port = port;
  if (values['trust-proxy']) server.trustProxy = true;
  // the in-process worker: 8 jobs at once, as `glaze worker`'s default, plus its LISTEN, flushes and leases
  const glaze = await boot({ migrate: true, poolSize: 20, workerPoolSize: 14, longLived: true });
  // Boot found a transaction pooler and no LISTEN_DATABASE_URL was given: the feed's own NOTIFY test
  // would wait 2 s to learn the same.
  if (glaze.pooler && !glaze.config.listenDatabaseUrl && server.realtime === 'auto') server.realtime = 'poll';
  // `role` as on the metrics: one grep tells the API process's lines from a `glaze worker`'s.
  const logger = glaze.logger.child({ role: 'server' });
  try {
    const first = await bootstrapWorkspace(glaze.pool, { token: server.adminToken });
    if (first) {
      const chosen = server.adminToken ? ' (from GLAZE_ADMIN_TOKEN)' : '';
      console.log(`Created workspace "${first.workspace.name}" (id ${first.workspace.id}).`);
      console.log(`Admin API token${chosen}, shown once — keep it:\n\n  ${first.token}\n`);
    }
    const running = await startServer({
      server,
      pool: glaze.pool,
      workerPool: glaze.workerPool,
      listenUrl: glaze.listenUrl,
      providers,
      secretKey,
      logger,
      diagnoseDatabase: () => glaze.diagnoseDatabase(),
      worker: !values['no-worker'] && {
        transactionPooler: glaze.workerPooler,
        stopWaitMs: glaze.workerEmbedded ? 0 : undefined,
      },
    });
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
      console.log(
        `glaze listening on ${running.url} (database ${glaze.databaseLabel}, realtime ${running.hub.mode}` +
          `${running.worker ? ', worker in process' : ', no worker'})`,
      );
    });
    logger.info({ signal }, 'stopping: closing connections, finishing the chunks in hand');
    const force = () => {
      logger.warn('second signal: exiting now; the reconciler returns unfinished cells within a lease');
      process.exit(130);
    };
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    await running.close();
    return 0;
  } finally {
    await glaze.close();
  }
}
