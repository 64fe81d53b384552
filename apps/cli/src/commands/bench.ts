import { formatTable, runBench } from '@glaze/bench';
import { loadConfig } from '@glaze/db';
import { parseCommandLine } from '../command-line';

const help = `usage: glaze bench [--json] [--quick] [--rtt <ms>] [--only <scenario,…>] [--report]

Measures Glaze against the common per-cell design on the same Postgres, in the same run.
Uses DATABASE_URL's server when set (creating and dropping its own databases), else a throwaway
embedded Postgres. Leaves no processes, ports or databases behind.

options:
  --json          one JSON object per line (otherwise a table at the end)
  --quick         smaller sizes, under a minute, same line format
  --rtt <ms>      round trip added for the far-database scenario (default 100)
  --only <list>   ceiling, engine, baseline, curve, far-db, workers, e2e, stream, faults, table, provider;
                  query (only when named: 1M rows)
  --report        write docs/BENCHMARKS.md's table, docs/bench/latest.json and the chart`;

/** glaze bench: the benchmark suite (see docs/BENCHMARKS.md). */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(
    {
      args: argv,
      options: {
        json: { type: 'boolean' },
        quick: { type: 'boolean' },
        rtt: { type: 'string' },
        only: { type: 'string' },
        report: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    help,
  );
  if (values.help) {
    console.log(help);
    return 0;
  }
  const rttMs = values.rtt === undefined ? 100 : Number(values.rtt);
  if (!Number.isFinite(rttMs) || rttMs < 0)
    throw new Error(`--rtt: expected milliseconds, got "${values.rtt}"`);
  const config = loadConfig(process.env);
  const lines = await runBench({
    quick: values.quick ?? false,
    rttMs,
    only: values.only ? values.only.split(',').map((s) => s.trim()) : [],
    report: values.report ?? false,
    databaseUrl: config.databaseUrl,
    emit: (line) => {
      if (values.json) console.log(JSON.stringify(line));
    },
    note: (text) => console.error(`… ${text}`),
  });
  if (!values.json) console.log(formatTable(lines, 'text'));
  return 0;
}
