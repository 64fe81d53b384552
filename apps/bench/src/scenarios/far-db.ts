import { createPool } from '@glaze/db';
import type { BenchDatabase } from '../bench-database';
import { startLatencyProxy } from '../latency-proxy';
import { benchBaseline } from './baseline';
import { benchEngine } from './engine';

export interface FarFigures {
  rttMs: number;
  cells: number;
  seconds: number;
}

/**
 * Runs `bench` with the workers' connections going through a loopback proxy that adds `rttMs` to
 * every round trip, while the run is started and watched over a direct connection (the server sits
 * next to the database; the workers are far away).
 */
export async function withFarWorkers<T>(
  db: BenchDatabase,
  rttMs: number,
  poolSize: number,
  bench: (far: BenchDatabase) => Promise<T>,
): Promise<T> {
  const url = new URL(db.url);
  const proxy = await startLatencyProxy({ host: url.hostname, port: Number(url.port) }, rttMs);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  // the embedded cluster's URL names its Unix socket, which would bypass the proxy
  url.searchParams.delete('host');
  const farPool = createPool({
    connectionString: url.toString(),
    max: poolSize,
    applicationName: 'glaze-bench-far',
  });
  try {
    // Open every connection first: a long-running worker's pool is warm, and a connection through
    // the proxy costs several round trips (TCP, startup, SCRAM) that neither design should be billed.
    await Promise.all(Array.from({ length: poolSize }, () => farPool.query('select 1')));
    return await bench({ url: url.toString(), pool: farPool, near: db.near ?? db.pool });
  } finally {
    await farPool.end();
    await proxy.close();
  }
}

export async function benchFarGlaze(
  db: BenchDatabase,
  rttMs: number,
  cells: number,
  poolSize: number,
): Promise<FarFigures> {
  const figures = await withFarWorkers(db, rttMs, poolSize, (far) => benchEngine(far, cells));
  return { rttMs, cells, seconds: figures.seconds };
}

export async function benchFarBaseline(
  db: BenchDatabase,
  rttMs: number,
  cells: number,
  poolSize: number,
): Promise<FarFigures> {
  const figures = await withFarWorkers(db, rttMs, poolSize, (far) => benchBaseline(far, cells, poolSize));
  return { rttMs, cells, seconds: figures.seconds };
}
