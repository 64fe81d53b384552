import type { ChildProcess } from 'node:child_process';
import { startRun } from '@glaze/engine';
import type { BenchDatabase } from '../bench-database';
import { startProviderServer } from '../provider-server';
import { seedEnrichmentTable, waitForRunDone } from '../seed';
import { startWorkerProcess, stopProcess } from './workers';

/** adaptive: the workers as shipped, no limit configured; fixed10: each process ten calls at a time. */
export type ProviderMode = 'adaptive' | 'fixed10';

export interface ProviderFigures {
  mode: ProviderMode;
  cells: number;
  limitRps: number;
  /** Calls the provider accepted per second, from the first to the last it accepted. */
  achievedRps: number;
  /** Accepted calls over what the provider would have accepted in that time (its burst included). */
  utilisation: number;
  /** Share of the calls sent that were refused with a 429. */
  rate429: number;
  /** Cells that ended in error. */
  errors: number;
  /** From the run's start until every cell was written. */
  seconds: number;
}

const limitRps = 200;

/**
 * Issue #14: an `http` column over `cells` rows run by two real `glaze worker` processes against a
 * local API that allows 200 calls a second (429 + Retry-After above it, OpenAI's quota headers on
 * every answer, 300 ± 200 ms per call). Nothing is configured: the adaptive mode must find the
 * provider's rate from its headers and share it across both processes.
 */
export async function benchProvider(
  db: BenchDatabase,
  mode: ProviderMode,
  cells: number,
): Promise<ProviderFigures> {
  const near = db.near ?? db.pool;
  const api = await startProviderServer({ limitRps, latencyMs: 300, jitterMs: 200 });
  const children: ChildProcess[] = [];
  try {
    const { table, column } = await seedEnrichmentTable(near, cells, 'http', {
      url: `${api.url}/v1/enrich?q={{input}}`,
      timeoutMs: 10_000,
    });
    await near.query('vacuum analyze');
    // The SSRF guard refuses 127.0.0.1 unless the operator allows it (net/allow-list.ts).
    const env = { GLAZE_HTTP_ALLOW: '127.0.0.1' };
    const args = mode === 'fixed10' ? ['--cell-concurrency', '10'] : [];
    for (let i = 0; i < 2; i++) children.push(await startWorkerProcess(db.url, env, args));
    const started = performance.now();
    const run = await startRun(near, { columnId: column.id, scope: 'all' });
    await waitForRunDone(near, run.id, table.id, 1_800_000);
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await near.query(
      `select count(*)::int as errors from cell_states where run_id = $1 and status = 'error'`,
      [run.id],
    );
    const { accepted, refused, firstAt, lastAt } = api.counts;
    const span = (lastAt - firstAt) / 1000;
    return {
      mode,
      cells,
      limitRps,
      achievedRps: accepted / span,
      utilisation: accepted / (limitRps * span + limitRps),
      rate429: refused / (accepted + refused),
      errors: rows[0].errors,
      seconds,
    };
  } finally {
    await Promise.all(children.map(stopProcess));
    await api.close();
  }
}
