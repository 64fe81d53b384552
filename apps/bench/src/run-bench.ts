import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { type BenchCluster, startBenchCluster } from './bench-database';
import type { BenchLine } from './bench-line';
import { renderChart, type Series } from './chart';
import { formatTable } from './format-table';
import { benchQuery } from './query/bench-query';
import { benchBaseline } from './scenarios/baseline';
import { benchCeiling } from './scenarios/ceiling';
import { benchE2e } from './scenarios/e2e';
import { benchEngine } from './scenarios/engine';
import { benchFanout } from './scenarios/fanout';
import { benchFarBaseline, benchFarGlaze } from './scenarios/far-db';
import { benchFault, faultNames } from './scenarios/faults';
import { benchProvider } from './scenarios/provider';
import { benchStream } from './scenarios/stream';
import { benchTable } from './scenarios/table';
import { benchWorkers } from './scenarios/workers';

export interface BenchOptions {
  /** Smaller sizes: the whole suite in under a minute, same line format. */
  quick: boolean;
  /** Round trip added between far workers and Postgres. */
  rttMs: number;
  /** Run only these scenarios (ceiling, engine, baseline, workers, far-db, curve, e2e, stream, fanout, faults, table, query, provider); all when empty (query only when named). */
  only: string[];
  /** Write docs/BENCHMARKS.md's figures table, docs/bench/latest.json and the chart. */
  report: boolean;
  databaseUrl?: string;
  /** Receives each result line as soon as it is measured. */
  emit: (line: BenchLine) => void;
  /** Progress notes (stderr). */
  note: (text: string) => void;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** Runs the benchmark suite; every figure is measured in this run, on this machine. */
export async function runBench(options: BenchOptions): Promise<BenchLine[]> {
  const lines: BenchLine[] = [];
  const emit = (line: BenchLine) => {
    lines.push(line);
    options.emit(line);
  };
  const wants = (name: string) => options.only.length === 0 || options.only.includes(name);
  const sizes = options.quick
    ? {
        engine: 20_000,
        engineLarge: undefined,
        ratio: 1_000,
        workers: 20_000,
        far: [10, 50],
        farGlazeOnly: [] as number[],
        localCurve: [10, 100, 1_000],
        farCurve: [10, 50],
        faults: 5_000,
        table: 100_000,
        provider: 2_000,
      }
    : {
        engine: 100_000,
        engineLarge: 1_000_000,
        ratio: 10_000,
        workers: 100_000,
        far: [10, 1_000],
        // Glaze alone: the per-cell design would take about half an hour here (206 s per 1,000 cells)
        farGlazeOnly: [10_000],
        localCurve: [10, 100, 1_000, 10_000],
        farCurve: [10, 100, 1_000],
        faults: 20_000,
        table: 1_000_000,
        provider: 10_000,
      };
  const poolSize = 10;
  const cluster = await startBenchCluster(options.databaseUrl);
  // Ctrl-C mid-run still drops the databases and stops the embedded Postgres.
  const interrupted = (signal: NodeJS.Signals) => {
    options.note(`${signal}: cleaning up`);
    // The scenario in progress fails as its connections close; that is expected now.
    process.on('uncaughtException', () => {});
    process.on('unhandledRejection', () => {});
    void cluster.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const db = (label: string) => cluster.database(label);
  const curve = {
    glazeLocal: [] as Point[],
    baseLocal: [] as Point[],
    glazeFar: [] as Point[],
    baseFar: [] as Point[],
  };
  try {
    // What Postgres can write here, measured first: the engine lines say how close they come to it.
    let ceiling: number | undefined;
    if (wants('ceiling') || wants('engine')) {
      options.note(`ceiling: raw batched UPDATE … FROM unnest of ${sizes.engine.toLocaleString('en')} rows`);
      const c = await benchCeiling(await db('ceiling'), sizes.engine);
      ceiling = c.rowsPerSecond;
      emit({
        scenario: 'ceiling',
        rows: c.rows,
        seconds: round(c.seconds),
        rowsPerSecond: Math.round(c.rowsPerSecond),
      });
    }
    const ofCeiling = (cellsPerSecond: number): Record<string, number> =>
      ceiling === undefined ? {} : { ofCeiling: round(cellsPerSecond / ceiling, 2) };
    if (wants('engine')) {
      for (const cells of [sizes.engine, sizes.engineLarge].filter((n) => n !== undefined)) {
        options.note(`engine: ${cells.toLocaleString('en')} mock cells at 0 ms`);
        const e = await benchEngine(await db(`engine_${cells}`), cells, { warmUp: true });
        // The chart's Glaze line goes on to 100,000 and 1,000,000 cells with these runs.
        curve.glazeLocal.push({ cells, seconds: e.seconds });
        emit({
          scenario: 'engine',
          cells: e.cells,
          seconds: round(e.seconds),
          cellsPerSecond: Math.round(e.cellsPerSecond),
          ...ofCeiling(e.cellsPerSecond),
          startSeconds: round(e.startSeconds),
          firstResultMs: round(e.firstResultMs, 1),
          peakRssMb: e.peakRssMb,
          flushes: e.flushes,
        });
      }
    }
    if (wants('e2e')) {
      for (const cells of [10, 1_000]) {
        const runs = options.quick ? 20 : 50;
        options.note(`e2e: HTTP start → last SSE change, ${cells.toLocaleString('en')} cells, ${runs} runs`);
        const e = await benchE2e(await db(`e2e_${cells}`), cells, runs);
        emit({ scenario: 'e2e', cells, p50Ms: round(e.p50Ms, 1), p99Ms: round(e.p99Ms, 1), runs: e.runs });
      }
    }
    if (wants('stream')) {
      const cells = options.quick ? 20_000 : 100_000;
      for (const viewers of [1, 100]) {
        options.note(
          `stream: a ${cells.toLocaleString('en')}-cell re-run, ${viewers} viewer(s) of 100 rows each`,
        );
        const s = await benchStream(await db(`stream_${viewers}`), cells, viewers);
        emit({
          scenario: 'stream',
          cells,
          viewers,
          bytesPerViewer: s.bytesPerViewer,
          firstProgressMs: Math.round(s.firstProgressMs),
          maxProgressGapMs: Math.round(s.maxProgressGapMs),
          runMs: Math.round(s.runMs),
          startMs: Math.round(s.startMs),
        });
      }
    }
    if (wants('fanout')) {
      // Viewers of 100-row windows (a viewport and its margin) at the size, then viewers of the
      // whole table at the quick size in both modes: every viewer gets every change, ~500 bytes a cell
      // twice (queued, done), 2 GB for 200 viewers of 20,000 cells — at 1,000 × 100,000 it would be 100 GB.
      const sizes: [number, number, number | undefined][] = [
        options.quick ? [200, 20_000, 100] : [1_000, 100_000, 100],
        [200, 20_000, undefined],
      ];
      for (const [viewers, cells, windowRows] of sizes) {
        const watching = windowRows === undefined ? 'the whole table' : `${windowRows} rows each`;
        options.note(
          `fanout: ${viewers} SSE viewers (${watching}) of a ${cells.toLocaleString('en')}-cell run`,
        );
        const f = await benchFanout(await db(`fanout_${windowRows ?? 'all'}`), cells, viewers, windowRows);
        emit({
          scenario: 'fanout',
          viewers,
          cells,
          windowRows: f.windowRows ?? 'all',
          sawEnd: f.sawEnd,
          p50LagMs: round(f.p50LagMs, 1),
          p99LagMs: round(f.p99LagMs, 1),
          maxLagMs: Math.round(f.maxLagMs),
          serverRssMb: f.serverRssMb,
          throughputRatio: round(f.throughputRatio, 2),
          cellsPerSecond: Math.round(f.cellsPerSecond),
          aloneCellsPerSecond: Math.round(f.aloneCellsPerSecond),
          megabytes: f.megabytes,
          resets: f.resets,
        });
      }
    }
    if (wants('baseline') || wants('curve')) {
      for (const cells of wants('curve') ? sizes.localCurve : [sizes.ratio]) {
        options.note(`local: Glaze and the per-cell baseline at ${cells.toLocaleString('en')} cells`);
        const g = await benchEngine(await db(`local_glaze_${cells}`), cells, { warmUp: true });
        const b = await benchBaseline(await db(`local_base_${cells}`), cells, poolSize);
        curve.glazeLocal.push({ cells, seconds: g.seconds });
        curve.baseLocal.push({ cells, seconds: b.seconds });
        if (cells === sizes.ratio) {
          emit({
            scenario: 'baseline',
            cells,
            seconds: round(b.seconds),
            cellsPerSecond: Math.round(b.cellsPerSecond),
          });
          emit({
            scenario: 'ratio',
            cells,
            ratio: round(g.cellsPerSecond / b.cellsPerSecond, 1),
            glazeCellsPerSecond: Math.round(g.cellsPerSecond),
          });
        }
      }
    }
    if (wants('far-db') || wants('curve')) {
      const farSizes = [
        ...new Set([...(wants('far-db') ? sizes.far : []), ...(wants('curve') ? sizes.farCurve : [])]),
      ].sort((a, b) => a - b);
      for (const cells of farSizes) {
        options.note(`far database (${options.rttMs} ms round trip): ${cells.toLocaleString('en')} cells`);
        const g = await benchFarGlaze(await db(`far_glaze_${cells}`), options.rttMs, cells, poolSize);
        const b = await benchFarBaseline(await db(`far_base_${cells}`), options.rttMs, cells, poolSize);
        curve.glazeFar.push({ cells, seconds: g.seconds });
        curve.baseFar.push({ cells, seconds: b.seconds });
        if (sizes.far.includes(cells) && wants('far-db')) {
          emit({
            scenario: 'far-db',
            rttMs: options.rttMs,
            cells,
            seconds: round(g.seconds),
            baselineSeconds: round(b.seconds),
            ratio: round(b.seconds / g.seconds, 1),
          });
        }
      }
    }
    if (wants('far-db')) {
      for (const cells of sizes.farGlazeOnly) {
        options.note(
          `far database (${options.rttMs} ms round trip): ${cells.toLocaleString('en')} cells, Glaze only (the per-cell design grows linearly: see the 1,000-cell line)`,
        );
        const g = await benchFarGlaze(await db(`far_glaze_${cells}`), options.rttMs, cells, poolSize);
        curve.glazeFar.push({ cells, seconds: g.seconds });
        emit({ scenario: 'far-db', rttMs: options.rttMs, cells, seconds: round(g.seconds) });
      }
    }
    if (wants('workers')) {
      for (const processes of [1, 2]) {
        options.note(
          `workers: ${processes} glaze worker process(es), ${sizes.workers.toLocaleString('en')} cells`,
        );
        const w = await benchWorkers(await db(`workers_${processes}`), processes, sizes.workers);
        emit({
          scenario: 'workers',
          processes,
          cells: w.cells,
          seconds: round(w.seconds),
          cellsPerSecond: Math.round(w.cellsPerSecond),
        });
      }
    }
    if (wants('table')) {
      options.note(
        `table: import and export ${sizes.table.toLocaleString('en')} rows × 6 inputs + 3 enrichments`,
      );
      const tdb = await db('table');
      const t = await benchTable(tdb, sizes.table);
      options.note(`table: peak RSS ${t.peakRssMb} MB during the import and the export (target ≤ 300 MB)`);
      // The query figures of issue 12 on the same line: the query scenario's measurements over a
      // table of the same size in the same database (seeded by SQL, its indexes built first).
      const q = await benchQuery(tdb.near ?? tdb.pool, sizes.table, options.note);
      emit({
        scenario: 'table',
        rows: t.rows,
        importSeconds: round(t.importSeconds, 1),
        exportSeconds: round(t.exportSeconds, 1),
        filterP95Ms: round(q.filterP95Ms, 1),
        sortP95Ms: round(q.sortP95Ms, 1),
        searchP95Ms: round(q.searchP95Ms, 1),
        jumpP95Ms: round(q.jumpP95Ms, 1),
      });
    }
    if (options.only.includes('query')) {
      // Not in the default suite: seeding a million rows and building their indexes takes minutes.
      const qdb = await db('query');
      const q = await benchQuery(qdb.near ?? qdb.pool, options.quick ? 100_000 : 1_000_000, options.note);
      emit({
        scenario: 'query',
        rows: q.rows,
        filterP95Ms: round(q.filterP95Ms, 1),
        sortP95Ms: round(q.sortP95Ms, 1),
        searchP95Ms: round(q.searchP95Ms, 1),
        jumpP95Ms: round(q.jumpP95Ms, 1),
        countP95Ms: round(q.countP95Ms, 1),
        unindexedSortMs: round(q.unindexedSortMs, 1),
        indexSeconds: round(q.indexSeconds, 1),
      });
    }
    if (wants('provider')) {
      // Both modes in the same run, against the same kind of API (a fresh one each).
      for (const mode of ['adaptive', 'fixed10'] as const) {
        options.note(`provider: ${mode}, ${sizes.provider.toLocaleString('en')} http calls at a 200/s API`);
        const p = await benchProvider(await db(`provider_${mode}`), mode, sizes.provider);
        emit({
          scenario: 'provider',
          cells: p.cells,
          limitRps: p.limitRps,
          mode: p.mode,
          achievedRps: round(p.achievedRps, 1),
          utilisation: round(p.utilisation),
          rate429: round(p.rate429, 4),
          errors: p.errors,
          seconds: round(p.seconds, 1),
        });
      }
    }
    if (wants('faults')) {
      // Each fault gets a Postgres of its own (it is stopped or killed), whatever DATABASE_URL says.
      for (const fault of faultNames) {
        options.note(`faults: ${fault} at 30 % of ${sizes.faults.toLocaleString('en')} cells`);
        emit({ scenario: 'faults', ...(await benchFault(fault, sizes.faults)) });
      }
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cluster.close();
  }
  if (options.report) await writeReport(lines, curve, options);
  return lines;
}

interface Point {
  cells: number;
  seconds: number;
}

async function writeReport(
  lines: BenchLine[],
  curve: Record<string, Point[]>,
  options: BenchOptions,
): Promise<void> {
  const docs = new URL('../../../docs/', import.meta.url);
  await mkdir(new URL('bench/', docs), { recursive: true });
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
  await writeFile(
    new URL('bench/latest.json', docs),
    `${JSON.stringify({ at: stamp, machine, quick: options.quick, lines }, null, 2)}\n`,
  );
  const series: Series[] = [
    { label: 'Glaze, local', color: '#2563eb', points: curve.glazeLocal ?? [] },
    { label: 'per-cell, local', color: '#dc2626', points: curve.baseLocal ?? [] },
    {
      label: `Glaze, ${options.rttMs} ms away`,
      color: '#2563eb',
      dashed: true,
      points: curve.glazeFar ?? [],
    },
    {
      label: `per-cell, ${options.rttMs} ms away`,
      color: '#dc2626',
      dashed: true,
      points: curve.baseFar ?? [],
    },
  ].filter((s) => s.points.length > 0);
  if (series.length > 0) {
    await writeFile(
      new URL('bench/seconds-vs-cells.svg', docs),
      renderChart('Time to enrich N cells (mock provider, 0 ms)', series),
    );
  }
  const page = new URL('BENCHMARKS.md', docs);
  const text = await readFile(page, 'utf8').catch(() => '');
  const table = `<!-- bench:begin -->\nMeasured ${stamp} UTC on ${machine}${options.quick ? ' (quick mode)' : ''}.\n\n${formatTable(lines, 'markdown')}\n<!-- bench:end -->`;
  const next = text.includes('<!-- bench:begin -->')
    ? text.replace(/<!-- bench:begin -->[\s\S]*<!-- bench:end -->/, table)
    : `${text}\n${table}\n`;
  await writeFile(page, next);
}

export type { BenchCluster };
