/**
 * Traces the bench's end-to-end scenario (`benchE2e`): every step of each run with its time after the
 * client's request, from the client's `fetch` to the SSE chunk that carries the run's last change,
 * and each statement's time inside Postgres (its own log, `log_min_duration_statement = 0`).
 *
 *   npx tsx apps/bench/scripts/trace-e2e.ts [cells=10] [runs=5]
 *   TRACE_PG='{"plan_cache_mode":"force_generic_plan"}' npx tsx apps/bench/scripts/trace-e2e.ts
 *
 * Node's side is observed from outside the code under test: `pg.Client` queries and notifications,
 * the HTTP server's requests and SSE writes, the mock provider's calls and the client's `fetch`. Each
 * run prints a table (ms after the request; `pg <backend pid>` lines are the statement's parse, bind —
 * where a custom plan is made — and execution inside Postgres). `TRACE_PG` adds Postgres settings.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { builtinProviders } from '@glaze/providers';
import pg from 'pg';
import { startBenchCluster } from '../src/bench-database';
import { benchE2e } from '../src/scenarios/e2e';

const cells = Number(process.argv[2] ?? 10);
const runs = Number(process.argv[3] ?? 5);

interface Mark {
  at: number; // epoch ms, sub-ms resolution
  what: string;
}
const marks: Mark[] = [];
const now = () => performance.timeOrigin + performance.now();
const mark = (what: string) => marks.push({ at: now(), what });

function label(config: unknown): string {
  if (typeof config === 'object' && config !== null) {
    const named = config as { name?: string; text?: string };
    if (named.name) return named.name;
    return label(named.text);
  }
  return String(config).replace(/\s+/g, ' ').slice(0, 70);
}

// Statements: sent (queued on the client) and answered.
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function traced(this: pg.Client, ...args: unknown[]) {
  const name = `${(this as unknown as { connectionParameters: { application_name?: string } }).connectionParameters.application_name ?? ''}: ${label(args[0])}`;
  mark(`sent ${name}`);
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    const callback = args[last] as (...a: unknown[]) => void;
    args[last] = (...a: unknown[]) => {
      mark(`answered ${name}`);
      callback(...a);
    };
    return query.apply(this, args);
  }
  const result = query.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === 'function')
    (result as Promise<unknown>).then(
      () => mark(`answered ${name}`),
      () => mark(`failed ${name}`),
    );
  return result;
} as typeof pg.Client.prototype.query;

const emit = pg.Client.prototype.emit;
pg.Client.prototype.emit = function traced(this: pg.Client, event: string | symbol, ...args: unknown[]) {
  if (event === 'notification') {
    const message = args[0] as { channel: string; payload?: string };
    mark(`notify heard ${message.channel} ${(message.payload ?? '').slice(0, 40)}`);
  }
  return emit.call(this, event, ...args);
} as typeof emit;

const serverEmit = http.Server.prototype.emit;
http.Server.prototype.emit = function traced(this: http.Server, event: string | symbol, ...args: unknown[]) {
  if (event === 'request') {
    const request = args[0] as http.IncomingMessage;
    if (request.method === 'POST') mark(`server received ${request.method} ${request.url}`);
    const response = args[1] as http.ServerResponse;
    response.on('finish', () => {
      if (request.method === 'POST') mark(`server response finished ${request.url}`);
    });
  }
  return serverEmit.call(this, event, ...args);
} as typeof serverEmit;

const write = http.ServerResponse.prototype.write as (...args: unknown[]) => boolean;
http.ServerResponse.prototype.write = function traced(this: http.ServerResponse, ...args: unknown[]) {
  const chunk = args[0];
  const text =
    typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8', 0, 200) : '';
  if (text.includes('event: changes')) mark(`SSE write ${text.match(/id: (\d+)/)?.[0] ?? ''}`);
  return write.apply(this, args);
} as typeof http.ServerResponse.prototype.write;

const fetchOriginal = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = String(input);
  const method = init?.method ?? 'GET';
  if (method === 'POST' && url.endsWith('/runs')) mark('client POST /runs');
  const response = await fetchOriginal(input, init);
  if (method === 'POST' && url.endsWith('/runs')) mark('client has the POST reply headers');
  if (!url.endsWith('/events') || !response.body) return response;
  // Chunks off the SSE wire, as the client reads them.
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        const text = Buffer.from(chunk).toString('utf8', 0, 200);
        if (text.includes('event: changes')) mark(`client read SSE ${text.match(/id: (\d+)/)?.[0] ?? ''}`);
        out.enqueue(chunk);
      },
    }),
  );
  return new Response(body, { status: response.status, headers: response.headers });
};

const mock = builtinProviders.get('mock')!;
(builtinProviders as Map<string, typeof mock>).set('mock', {
  ...mock,
  async enrich(...args: Parameters<typeof mock.enrich>) {
    mark('provider call');
    try {
      return await mock.enrich(...args);
    } finally {
      mark('provider answered');
    }
  },
} as typeof mock);

const cluster = await startBenchCluster(undefined, {
  log_min_duration_statement: '0',
  log_line_prefix: '%n [%p] %a ',
  ...(process.env.TRACE_PG ? (JSON.parse(process.env.TRACE_PG) as Record<string, string>) : {}),
});
let log: string;
try {
  const db = await cluster.database('trace');
  marks.length = 0;
  const figures = await benchE2e(db, cells, runs);
  console.log(JSON.stringify(figures));
  // Postgres's own times: `<epoch> [pid] app LOG:  duration: X ms  execute name: …` (logged at its end).
  log = await readFile(path.join(cluster.dataDir as string, 'postgres.log'), 'utf8');
} finally {
  await cluster.close();
}
for (const line of log.split('\n')) {
  const found = line.match(/^(\d+\.\d+) \[(\d+)\] (\S*) LOG:\s+duration: ([\d.]+) ms\s+(.*)$/);
  if (!found) continue;
  const [, end, pid, application, ms, rest] = found;
  const app = `${application}[${pid}]`;
  // parse and bind are logged apart from execute: a named statement's bind makes its custom plan
  // (the first five executions on each connection, and every one whose generic plan looks dearer)
  const phase = rest!.match(/^(parse|bind) ([^:<]+|<unnamed>)/);
  if (phase) {
    marks.push({
      at: Number(end) * 1000 - Number(ms),
      what: `pg ${app}: ${phase[1]} ${phase[2]} (${Number(ms).toFixed(2)} ms)`,
    });
    continue;
  }
  const named = rest!.match(/^execute ([^:<]+):/);
  const what = named ? named[1]! : label(rest!.replace(/^(execute <unnamed>|statement): /, ''));
  marks.push({
    at: Number(end) * 1000 - Number(ms),
    what: `pg ${app}: ${what} (${Number(ms).toFixed(2)} ms)`,
  });
}
marks.sort((a, b) => a.at - b.at);

// One table per run: from the client's POST to the next run's POST.
const starts = marks.flatMap((m, i) => (m.what === 'client POST /runs' ? [i] : []));
starts.forEach((start, n) => {
  const end = starts[n + 1] ?? marks.length;
  const t0 = marks[start]!.at;
  console.log(`\n# run ${n + 1}`);
  for (const m of marks.slice(start, end)) {
    if (m.at - t0 > (cells > 100 ? 1500 : 300)) break;
    console.log(`${(m.at - t0).toFixed(2).padStart(8)}  ${m.what}`);
  }
});

// Medians over the runs (the first two warm up): each step's time after the client's request.
const steps: Array<[string, RegExp, 'first' | 'last']> = [
  ['server received the request', /^server received POST/, 'first'],
  ['start statement sent', /^sent .*glaze_start_run/, 'first'],
  ['start statement answered', /^answered .*glaze_start_run/, 'first'],
  ['worker heard glaze_run_started', /^notify heard glaze_run_started/, 'first'],
  ['claim sent', /^sent .*glaze_claim_chunk/, 'first'],
  ['claim answered (last)', /^answered .*glaze_claim_chunk/, 'last'],
  ['first provider call', /^provider call/, 'first'],
  ['last provider answer', /^provider answered/, 'last'],
  ['flush sent (last)', /^sent .*glaze_flush_results/, 'last'],
  ['flush answered (last)', /^answered .*glaze_flush_results/, 'last'],
  ['server heard the last NOTIFY', /^notify heard glaze_table_/, 'last'],
  ['feed read sent (last)', /^sent .*glaze_table_(feed_upto|seq)/, 'last'],
  ['feed read answered (last)', /^answered .*glaze_table_(feed_upto|seq)/, 'last'],
  ['SSE write (last)', /^SSE write/, 'last'],
  ['client read the last frame', /^client read SSE/, 'last'],
];
const perStep = steps.map(() => [] as number[]);
const pgTimes = new Map<string, number[]>();
starts.forEach((start, n) => {
  if (n < 2) return;
  const end = starts[n + 1] ?? marks.length;
  const t0 = marks[start]!.at;
  const run = marks.slice(start, end).filter((m) => m.at - t0 <= (cells > 100 ? 1500 : 300));
  steps.forEach(([, pattern, which], i) => {
    const hits = run.filter((m) => pattern.test(m.what));
    const hit = which === 'first' ? hits[0] : hits.at(-1);
    if (hit) perStep[i]!.push(hit.at - t0);
  });
  for (const m of run) {
    const found = m.what.match(/^pg [^:]*: (.*) \(([\d.]+) ms\)$/);
    if (!found) continue;
    const name =
      found[1]!.startsWith('with b as') || found[1]!.startsWith('select glaze_table_feed')
        ? 'feed read'
        : found[1]!.startsWith('select (set_config')
          ? 'start durability barrier'
          : found[1]!.slice(0, 40);
    pgTimes.set(name, [...(pgTimes.get(name) ?? []), Number(found[2])]);
  }
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
console.log(`\n# medians over runs 3-${starts.length} (ms after the client's request)`);
for (const [i, [name]] of steps.entries())
  console.log(`${median(perStep[i]!).toFixed(2).padStart(8)}  ${name} (${perStep[i]!.length} runs)`);
console.log('\n# statements inside Postgres: median ms (count)');
for (const [name, times] of [...pgTimes].sort((a, b) => b[1].length - a[1].length).slice(0, 14))
  console.log(`${median(times).toFixed(2).padStart(8)}  ${name} (${times.length})`);
