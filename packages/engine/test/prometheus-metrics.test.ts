import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { createPrometheusMetrics, serveMetrics, startRun } from '../src/index';
import { scriptedProvider, seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

/** The value of one series in Prometheus text, by its name and labels as printed. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const printed = line.slice(name.length).match(/^\{([^}]*)\}/)?.[1] ?? '';
    const has = Object.entries(labels).every(([key, value]) => printed.includes(`${key}="${value}"`));
    if (has) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

it('counts a run: cells by provider and status, refusals and retries, call and chunk times, the run, queue and pool', async () => {
  // every third cell is refused once (429), every fifth fails once and then answers, the 7th fails for good
  const provider = scriptedProvider('scripted', async (input, attempt) => {
    const n = Number(input.split('-')[1]);
    if (n === 7) return { kind: 'permanent', message: 'no such thing' };
    if (n % 3 === 0 && attempt === 1) return { kind: 'retryable', message: 'HTTP 429', throttled: true };
    if (n % 5 === 0 && attempt <= 2 - (n % 3 === 0 ? 0 : 1))
      return { kind: 'retryable', message: 'HTTP 503' };
    return { kind: 'ok', value: { n } };
  });
  const providers = new Map([['scripted', provider]]);
  const { column } = await seedTable(db, { rows: 30, provider: 'scripted', providers });
  const metrics = createPrometheusMetrics({ pool: db.pool, role: 'worker' });
  const worker = await startTestWorker(db, { providers, metrics: metrics.engine });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 10 });
    expect(await waitForRun(db, run.id)).toBe('done');
  } finally {
    await worker.stop();
  }
  const served = await serveMetrics(metrics.registry, { port: 0 });
  let text: string;
  try {
    const response = await fetch(served.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    text = await response.text();
    expect((await fetch(served.url.replace('/metrics', '/other'))).status).toBe(404);
  } finally {
    await served.close();
  }
  const of = { provider: 'scripted', role: 'worker' };
  expect(series(text, 'glaze_cells_finished_total', { ...of, status: 'done' })).toBe(29);
  expect(series(text, 'glaze_cells_finished_total', { ...of, status: 'error' })).toBe(1);
  // rows 3, 6, … 30 refused once each
  expect(series(text, 'glaze_provider_refusals_total', of)).toBe(10);
  expect(series(text, 'glaze_provider_retries_total', of)).toBeGreaterThan(0);
  expect(series(text, 'glaze_cell_call_seconds_count', of)).toBe(30);
  expect(series(text, 'glaze_chunk_claim_to_flush_seconds_count', of)).toBe(3);
  await expect
    .poll(async () => series(await metrics.registry.metrics(), 'glaze_run_duration_seconds_count'))
    .toBe(1);
  expect(series(text, 'glaze_chunks', { status: 'queued' })).toBe(0);
  expect(series(text, 'glaze_chunks', { status: 'running' })).toBe(0);
  expect(series(text, 'glaze_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
  expect(series(text, 'glaze_process_resident_memory_bytes')).toBeGreaterThan(0);
});

it('the Grafana dashboard and docs/OPERATIONS.md name only metrics Glaze serves, and the docs list every one', async () => {
  const metrics = createPrometheusMetrics({ pool: db.pool, role: 'server' });
  const served = new Set((await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name));
  const base = (name: string) => name.replace(/_(bucket|count|sum)$/, '');
  const root = new URL('../../../', import.meta.url);
  const dashboard = await readFile(new URL('docs/grafana/glaze-dashboard.json', root), 'utf8');
  const used = [...dashboard.matchAll(/glaze_[a-z0-9_]+/g)].map((match) => base(match[0]));
  expect(used.length).toBeGreaterThan(10);
  expect(used.filter((name) => !served.has(name))).toEqual([]);
  const docs = await readFile(new URL('docs/OPERATIONS.md', root), 'utf8');
  const own = [...served].filter((name) => !/^glaze_(process|nodejs)_/.test(name));
  expect(own.filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
});
