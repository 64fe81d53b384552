import { AppError, toError } from '@glaze/core';
import { ConfigError } from '@glaze/db';

/** Each command lives in its own file under ./commands and is loaded only when used. */
const commands: Record<
  string,
  { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }
> = {
  start: {
    summary: 'start Glaze: database, migrations, worker, HTTP server and web app',
    load: () => import('./commands/start'),
  },
  worker: { summary: 'run enrichment workers only (scale-out)', load: () => import('./commands/worker') },
  migrate: { summary: 'apply database migrations', load: () => import('./commands/migrate') },
  enrich: { summary: 'enrich a CSV file from the command line', load: () => import('./commands/enrich') },
  token: {
    summary: 'manage API tokens (token create --workspace <id|name>)',
    load: () => import('./commands/token'),
  },
  limits: {
    summary: "providers' rate limits and concurrency (limits set http --rps 10 --concurrency 5)",
    load: () => import('./commands/limits'),
  },
  bench: { summary: 'run the benchmarks (--json, --quick)', load: () => import('./commands/bench') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: glaze <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nglaze <command> --help for a command's options`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    console.error(`glaze: unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  return (await command.load()).run(rest);
}

// graphile-worker 0.17 rejects a promise nobody holds when its local queue cannot give jobs back
// because the database went away while it stopped. Those
// jobs stay locked in a worker whose heartbeat has stopped: the reconciler unlocks them within a
// lease. Any other unhandled rejection still ends the process.
process.on('unhandledRejection', (reason) => {
  const error = toError(reason);
  if (error.message.startsWith('Error occurred whilst returning jobs from local queue')) {
    console.error(`glaze: ${error.message}; the reconciler returns those jobs within a lease`);
    return;
  }
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A command that is done exits, even if a library left a timer or socket behind (a worker stopped
    // while the database was unreachable leaves graphile-worker's): 2 s to flush output first.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (thrown) => {
    const error = toError(thrown);
    // Expected failures (bad input, bad config) print one clear line; anything else keeps its stack.
    if (error instanceof AppError || error instanceof ConfigError || error.name === 'UsageError') {
      console.error(`glaze: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  },
);
