import { createReadStream, createWriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { AnyProvider, RunScope } from '@glaze/core';
import { AppError } from '@glaze/core';
import { DatabaseHealth, loadConfig } from '@glaze/db';
import {
  addColumn,
  createSecretsLoader,
  createWorker,
  exportCsv,
  type GlazeWorker,
  importCsv,
  listColumns,
  readCsvHeader,
  workerDefaults,
} from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { boot } from '../boot';
import { parseCommandLine } from '../command-line';
import { createProviders, loadSecretKey } from '../engine-config';
import { cliWorkspace } from '../enrich/cli-workspace';
import { type ColumnSpec, checkColumnSpecs, parseColumnSpec } from '../enrich/column-spec';
import { readCsvStyle } from '../enrich/csv-style';
import { outputPath } from '../enrich/output-path';
import { createProgress } from '../enrich/progress';
import { runColumns } from '../enrich/run-columns';
import { summaryLines } from '../enrich/summary';
import { positiveInt, UsageError } from '../enrich/usage-error';
import { createWriteProgress } from '../enrich/write-progress';

const help = `usage: glaze enrich <in.csv> --column 'NAME=PROVIDER[:JSON config]' … [-o out.csv] [--keep] [--raw]
       glaze enrich <more.csv> --table <id> [--key <column>] [--column …] [-o out.csv]

Imports a CSV, adds one enrichment column per --column, runs them with an in-process worker and
writes the CSV with the new columns. The input file is never modified.

options:
  -c, --column 'NAME=PROVIDER[:JSON]'  an enrichment column (repeat for more, run in order:
                                       a column may read the CSV's columns and earlier ones)
  -o, --output <file>                  where to write (default: <in>.enriched.csv next to the input;
                                       refused if it is the input file)
      --keep                           keep the table in the database and print its id
      --table <id>                     enrich a table kept before instead of a new one: the CSV's rows
                                       are added to it, its enrichment columns run on the new rows and
                                       on cells whose inputs changed, and the whole table is written
      --key <column>                   with --table: an upsert by that input column; a row whose key
                                       the table holds is updated (cells computed from changed inputs
                                       become stale and run again), the others are appended
      --raw                            write values exactly as they are, formulas included (see below)
      --cell-concurrency <n>           provider calls in flight at once (default ${workerDefaults.cellConcurrency})
      --answer-memory <mb>             answers held in memory, in flight or unwritten (default ${workerDefaults.answerMemoryMb})
  -h, --help                           this text

PROVIDER is one of: ${[...builtinProviders.keys()].sort().join(', ')}.
The JSON config is checked against the provider's schema before anything runs; templates such as
{"input":"{{Work Email}}"} read columns by name. Left out, "input" defaults to the column named after
the provider's input (email → {{email}}, url → {{url}}, mock → {{input}}).

The CSV's own values and headers come back as they were (spaces, quotes, line breaks inside
quoted fields; only the formula guard below changes any); a byte-order mark and CRLF line ends on
the input are kept on the output. Progress goes to stderr while the runs go and while the file
is written.
Enrichment values that are objects become NAME.field columns (e.g. check.valid, check.domain);
cells that did not finish (error, skipped) are empty. A value or header that a spreadsheet would run
as a formula (it starts with = + - @, tab, CR or LF) is written with a leading ' so it opens as text;
plain numbers such as -12.5 are left alone. --raw turns this off: only for files read by programs,
since a value like =HYPERLINK(…) from the CSV or a provider then runs when the file is opened.
A summary of done / error / skipped counts per column follows. Exit status: 0 when every column
ran (cells may still have errors), 1 on bad input.

Database: DATABASE_URL if set, else the embedded Postgres in GLAZE_DATA_DIR (.glaze).
Credential fields (http headers, llm apiKey) may read workspace secrets ({{secret.NAME}}), decrypted
with GLAZE_SECRET_KEY (else GLAZE_DATA_DIR/secret.key); http and llm reach private hosts only if
GLAZE_HTTP_ALLOW lists them.

examples:
  glaze enrich leads.csv --column 'check=email'
  glaze enrich leads.csv --column 'check=email:{"input":"{{Work Email}}"}' --column 'm=mock:{"latencyMs":10}' -o out.csv`;

interface EnrichArgs {
  input: string;
  columns: string[];
  output?: string;
  keep: boolean;
  raw: boolean;
  table?: number;
  key?: string;
  cellConcurrency: number;
  answerMemoryMb: number;
}

function parseArguments(argv: string[]): EnrichArgs | undefined {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: {
        column: { type: 'string', short: 'c', multiple: true },
        output: { type: 'string', short: 'o' },
        keep: { type: 'boolean' },
        raw: { type: 'boolean' },
        table: { type: 'string' },
        key: { type: 'string' },
        'cell-concurrency': { type: 'string' },
        'answer-memory': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    help,
  );
  if (values.help) return undefined;
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'enrich: which CSV? usage: glaze enrich <in.csv> --column NAME=PROVIDER … (glaze enrich --help)'
        : `enrich: one input file at a time, got ${positionals.length}: ${positionals.join(', ')}`,
    );
  }
  const columns = values.column ?? [];
  const table = values.table === undefined ? undefined : positiveInt('--table', values.table, 0);
  if (values.key !== undefined && table === undefined) {
    throw new UsageError(
      'enrich: --key needs --table <id>: an upsert matches rows of a table kept before (glaze enrich … --keep)',
    );
  }
  if (columns.length === 0 && table === undefined) {
    throw new UsageError("enrich: add at least one --column 'NAME=PROVIDER', e.g. --column 'check=email'");
  }
  return {
    input: positionals[0] as string,
    columns,
    output: values.output,
    // a table given is never dropped
    keep: (values.keep ?? false) || table !== undefined,
    raw: values.raw ?? false,
    ...(table === undefined ? {} : { table }),
    ...(values.key === undefined ? {} : { key: values.key }),
    cellConcurrency: positiveInt(
      '--cell-concurrency',
      values['cell-concurrency'],
      workerDefaults.cellConcurrency,
    ),
    answerMemoryMb: positiveInt('--answer-memory', values['answer-memory'], workerDefaults.answerMemoryMb),
  };
}

/** glaze enrich: CSV in, enriched CSV out, through a temporary table. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArguments(argv);
  if (!args) {
    console.log(help);
    return 0;
  }
  // Everything about the command line, the environment and the CSV's header is checked before the
  // database is touched.
  const config = loadConfig(process.env);
  const providers = createProviders(config);
  const secretKey = await loadSecretKey(config);
  const input = path.resolve(args.input);
  const csvName = path.basename(input);
  const info = await stat(input).catch(() => undefined);
  if (!info?.isFile()) throw new AppError('validation_failed', `cannot read ${args.input}: no such file`);
  const specs = args.columns.map((raw, index) => parseColumnSpec(raw, index, providers));
  const output = outputPath(input, args.output);
  const header = await withFile(input, (stream) => readCsvHeader(stream));
  const after = checkColumnSpecs(specs, header, csvName);
  return enrich(args, { input, csvName, output, specs, after, providers, secretKey });
}

interface Plan {
  providers: ReadonlyMap<string, AnyProvider>;
  secretKey: Buffer;
  input: string;
  csvName: string;
  output: string;
  specs: ColumnSpec[];
  after: number[][];
}

async function enrich(args: EnrichArgs, plan: Plan): Promise<number> {
  const startedAt = Date.now();
  const glaze = await boot({ poolSize: 20, workerPoolSize: 20 });
  // The worker logs warnings only, unless GLAZE_LOG_LEVEL asks for more: stdout is for the summary.
  const logger = glaze.config.env.GLAZE_LOG_LEVEL ? glaze.logger : glaze.logger.child({}, { level: 'warn' });
  // Progress polls, the export and the clean-up wait out a database outage instead of failing.
  const health = new DatabaseHealth(glaze.pool, logger, { name: 'DATABASE_URL' });
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let tableId: number | undefined;
  let worker: GlazeWorker | undefined;
  try {
    const workspaceId = await cliWorkspace(glaze.pool);
    const { rows: last } = await glaze.pool.query('select coalesce(max(id), 0)::int as id from runs');
    const imported = await withFile(plan.input, (stream) =>
      importCsv(glaze.pool, {
        workspaceId,
        name: plan.csvName,
        stream,
        ...(args.table === undefined ? {} : { tableId: args.table }),
        ...(args.key === undefined ? {} : { key: args.key, providers: plan.providers }),
      }),
    );
    tableId = imported.table.id;
    if (args.key !== undefined) {
      console.log(
        `upsert by ${args.key}: ${count(imported.rows)} new, ${count(imported.updated)} updated, ${count(imported.unchanged)} unchanged; ${count(imported.stale)} cells stale`,
      );
    }
    // A table enriched before: its columns run again on what is new or stale, before the new ones.
    const existing = (await listColumns(glaze.pool, tableId)).filter((c) => c.kind === 'enrichment');
    const columns = [...existing];
    for (const spec of plan.specs) {
      columns.push(
        await addColumn(glaze.pool, plan.providers, {
          tableId,
          name: spec.name,
          kind: 'enrichment',
          provider: spec.provider,
          config: spec.config,
        }),
      );
    }
    const { rows: total } = await glaze.pool.query(
      'select count(*)::int as n from rows where table_id = $1',
      [tableId],
    );
    worker = await createWorker({
      pool: glaze.workerPool,
      transactionPooler: glaze.workerPooler,
      stopWaitMs: glaze.workerEmbedded ? 0 : undefined,
      providers: plan.providers,
      logger,
      secretsFor: createSecretsLoader(glaze.workerPool, plan.secretKey, { logger }),
      cellConcurrency: args.cellConcurrency,
      answerMemoryMb: args.answerMemoryMb,
    });
    const runs = await runColumns(
      glaze.pool,
      columns.map((c, i) =>
        i < existing.length
          ? { id: c.id, name: c.name, after: [], scopes: ['stale', 'empty'] as const satisfies RunScope[] }
          : {
              id: c.id,
              name: c.name,
              after: (plan.after[i - existing.length] ?? []).map((a) => a + existing.length),
            },
      ),
      {
        rows: total[0].n,
        runsBefore: last[0].id,
        signal: interrupt.signal,
        health,
        progress: createProgress({
          isTTY: process.stderr.isTTY === true,
          write: (t) => process.stderr.write(t),
        }),
      },
    );
    if (interrupt.signal.aborted) {
      console.error('glaze: interrupted; the runs were cancelled and no CSV was written');
      return 130;
    }
    await worker.stop();
    worker = undefined;
    // The output starts and ends its lines as the input did; values come back byte for byte.
    const style = await readCsvStyle(plan.input);
    const written = await health.retry(() => {
      const progress = createWriteProgress(path.basename(plan.output), {
        total: total[0].n,
        isTTY: process.stderr.isTTY === true,
        write: (t) => process.stderr.write(t),
      });
      return writeAtomically(plan.output, (stream) =>
        exportCsv(glaze.pool, tableId as number, stream, {
          raw: args.raw,
          bom: style.bom,
          lineEnd: style.lineEnd,
          onRows: (rows) => progress.update(rows),
        }),
      ).finally(() => progress.finish());
    });
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.log(
      `enriched ${count(total[0].n)} rows of ${plan.csvName} in ${seconds}s → ${plan.output} (${written.columns.length} columns)`,
    );
    const summary = columns.map((c) => ({
      id: c.id,
      name: c.name,
      provider: c.provider ?? '',
      run: runs.find((r) => r.columnId === c.id),
    }));
    for (const line of await health.retry(() => summaryLines(glaze.pool, summary))) console.log(line);
    if (args.keep) console.log(`kept table ${tableId} (workspace "cli", id ${workspaceId})`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (worker) await worker.stop();
    const dropped = tableId;
    if (dropped !== undefined && !args.keep) {
      const drop = () => glaze.pool.query('delete from tables where id = $1', [dropped]);
      // Interrupted, it gives up at once rather than wait for a database that may not come back.
      await (interrupt.signal.aborted ? drop() : health.retry(drop));
    }
    health.close();
    await glaze.close();
  }
}

const count = (n: number | undefined) => (n ?? 0).toLocaleString('en');

/** Opens a file for reading, and always closes it: readers stop early on a bad line or after the header. */
async function withFile<T>(
  file: string,
  use: (stream: ReturnType<typeof createReadStream>) => Promise<T>,
): Promise<T> {
  const stream = createReadStream(file);
  try {
    return await use(stream);
  } finally {
    stream.destroy();
  }
}

/** Writes next to the target and renames, so a failed export never leaves half a CSV under the real name. */
async function writeAtomically<T>(
  target: string,
  write: (stream: ReturnType<typeof createWriteStream>) => Promise<T>,
): Promise<T> {
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    const result = await write(createWriteStream(temporary));
    await rename(temporary, target);
    return result;
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}
