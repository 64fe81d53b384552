#!/usr/bin/env node
// The README's quick start, proved on this checkout: `npm start` with no DATABASE_URL (the embedded
// Postgres in the default data dir `.glaze`, as whoever runs this: root in CI), GET /readyz 200, a CSV
// imported through the API, an `email` column run to the end, then SIGTERM and exit 0. A failing
// step says which, prints everything Glaze printed, and exits 1.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const checkout = path.resolve(import.meta.dirname, '..');
const rowCount = 50;
let output = '';

function fail(step, detail) {
  console.error(
    `smoke: FAILED at ${step}: ${detail}\n--- glaze output (data dir ${dataDir} kept) ---\n${output}--- end ---`,
  );
  process.exit(1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const started = Date.now();
function say(line) {
  process.stdout.write(`${line} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

/** Every process under `pid`, read from /proc. */
function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const next = children.get(queue.shift()) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The README's environment: no DATABASE_URL, no GLAZE_* (so the token is printed and the data dir
// is the default). The one change is PORT, so another Glaze on :3000 on this machine cannot answer.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !['DATABASE_URL', 'WORKER_DATABASE_URL'].includes(name) && !name.startsWith('GLAZE_'),
  ),
);
env.PORT = String(await freePort());
// A `.glaze` left in the checkout holds another install's workspace (no token would be printed) and
// maybe its running Postgres: leave it alone and start in a fresh `mktemp -d` data dir instead.
let dataDir = path.join(checkout, '.glaze');
if (existsSync(dataDir)) {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'glaze-smoke-'));
  env.GLAZE_DATA_DIR = dataDir;
  say(`smoke: ${checkout}/.glaze exists; left alone, using GLAZE_DATA_DIR=${dataDir}`);
}
const base = `http://127.0.0.1:${env.PORT}`;

say(`smoke: npm start (PORT=${env.PORT}, data dir ${dataDir})`);
// Its own process group, so a failing step can end npm, Glaze and Postgres together.
const glaze = spawn('npm', ['start'], {
  cwd: checkout,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
const exited = new Promise((resolve) => glaze.on('close', (code, signal) => resolve({ code, signal })));
let gone;
exited.then((result) => {
  gone = result;
});
glaze.stdout.on('data', (chunk) => {
  output += chunk;
});
glaze.stderr.on('data', (chunk) => {
  output += chunk;
});
process.on('exit', () => {
  if (!gone) process.kill(-glaze.pid, 'SIGKILL');
});

// 1. Ready: the web app is built (prestart), Postgres initialised, migrations applied.
const readyBy = Date.now() + 300_000;
for (;;) {
  if (gone)
    fail('readyz', `npm start exited (code ${gone.code}, signal ${gone.signal}) before /readyz answered`);
  if (Date.now() > readyBy) fail('readyz', `${base}/readyz did not answer 200 within 300 s`);
  const status = await fetch(`${base}/readyz`).then(
    (response) => response.status,
    () => 0,
  );
  if (status === 200) break;
  await sleep(500);
}
const token = /Admin API token[^\n]*\n\s*\n\s+(\S+)/.exec(output)?.[1];
if (!token) fail('token', 'the first start did not print an admin API token');
say('smoke: /readyz 200; admin token printed');

async function api(step, method, url, body, contentType = 'application/json') {
  const response = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) fail(step, `${method} ${url}: ${response.status} ${text}`);
  return JSON.parse(text);
}

// 2. Import a CSV; every fifth address is malformed, which the validator reports as valid: false.
const csv = ['name,email'];
for (let i = 1; i <= rowCount; i++)
  csv.push(`Person ${i},${i % 5 === 0 ? `person${i}-at-nowhere` : `p${i}@example.com`}`);
const imported = await api('import', 'POST', '/tables/import?name=Smoke', `${csv.join('\n')}\n`, 'text/csv');
if (imported.rows !== rowCount) fail('import', `expected ${rowCount} rows, got ${JSON.stringify(imported)}`);
const tableId = imported.table.id;

// 3. Add an enrichment column and run it over every row.
const { column } = await api('add column', 'POST', `/tables/${tableId}/columns`, {
  name: 'Email check',
  kind: 'enrichment',
  provider: 'email',
  config: { input: '{{email}}' },
});
let { run } = await api('start run', 'POST', `/tables/${tableId}/columns/${column.id}/runs`, {
  scope: 'all',
});
say(`smoke: imported ${rowCount} rows into table ${tableId}; run ${run.id} started`);

// 4. Poll the run to its end and check its counts and the cells.
const doneBy = Date.now() + 120_000;
while (run.status === 'queued' || run.status === 'running') {
  if (Date.now() > doneBy)
    fail('run', `run ${run.id} still ${run.status} after 120 s: ${JSON.stringify(run)}`);
  await sleep(250);
  ({ run } = await api('poll run', 'GET', `/runs/${run.id}`));
}
const counts = run.counts;
if (run.status !== 'done' || run.total !== rowCount || counts.done !== rowCount) {
  fail('run', `expected ${rowCount} cells done, got ${JSON.stringify(run)}`);
}
const { rows } = await api('rows', 'GET', `/tables/${tableId}/rows?limit=${rowCount}`);
const invalid = rows.filter((row) => row.cells[column.id]?.value?.valid === false).length;
if (rows.length !== rowCount || invalid !== rowCount / 5) {
  fail(
    'rows',
    `expected ${rowCount} rows with ${rowCount / 5} invalid addresses, got ${rows.length} and ${invalid}`,
  );
}
say(`smoke: run ${run.id} done: ${counts.done}/${run.total} cells, ${invalid} addresses flagged invalid`);

// 5. SIGTERM to Glaze itself: npm does not pass a SIGTERM on to its script (it exits 143 and leaves
// Glaze running), so the signal goes to the `glaze start` process under it, as a supervisor's
// would. Glaze stops its server, worker and embedded Postgres and exits 0; npm exits with its code.
const glazePid = descendants(glaze.pid).find((pid) => {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  return argv.some((arg) => /glaze(\.js)?$/.test(arg)) && argv.includes('start');
});
if (glazePid === undefined) fail('stop', `no \`glaze start\` process under npm (pid ${glaze.pid})`);
process.kill(glazePid, 'SIGTERM');
const stopped = await Promise.race([
  exited,
  new Promise((resolve) => setTimeout(resolve, 60_000).unref()), // unref: a pass exits at once
]);
if (!stopped) fail('stop', 'still running 60 s after SIGTERM');
if (stopped.code !== 0) {
  fail('stop', `npm start exited with code ${stopped.code}, signal ${stopped.signal} after Glaze's SIGTERM`);
}
if (existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))) {
  fail('stop', `the embedded Postgres in ${dataDir}/postgres is still running after Glaze exited`);
}
rmSync(dataDir, { recursive: true, force: true });
say('smoke: SIGTERM → exit 0, Postgres stopped; passed');
