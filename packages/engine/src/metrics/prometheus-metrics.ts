import type { DatabaseHealth, Pool } from '@glaze/db';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CellMetric, EngineMetrics } from './engine-metrics';

/** Seconds: a mock cell takes microseconds, an LLM call tens of seconds. */
const callBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const runBuckets = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400];

/** The server's realtime side, counted by its SSE streams. */
export interface StreamMetrics {
  opened(): void;
  closed(): void;
  sent(bytes: number): void;
  /** An event stream answered 503 `server_busy`: the server holds as many as it may. */
  refused(): void;
}

export interface PrometheusMetrics {
  registry: Registry;
  engine: EngineMetrics;
  streams: StreamMetrics;
}

/**
 * Every Glaze metric in one Prometheus registry (docs/OPERATIONS.md lists them): the worker's cells,
 * chunks, provider refusals and runs as they happen; queue depth and the pool's use read from
 * Postgres and the pool when scraped (one statement per scrape); SSE clients and bytes from the
 * server's streams; Node's own process metrics.
 * @example const metrics = createPrometheusMetrics({ pool, health, role: 'worker' }); … await metrics.registry.metrics()
 */
export function createPrometheusMetrics(options: {
  pool: Pool;
  health?: DatabaseHealth;
  /** `server` or `worker`: a label on every series, so one dashboard shows both. */
  role: string;
}): PrometheusMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ role: options.role });
  collectDefaultMetrics({ register: registry, prefix: 'glaze_' });

  const cells = new Counter({
    name: 'glaze_cells_finished_total',
    help: 'Cells written by this worker, by provider and status (done, error, skipped)',
    labelNames: ['provider', 'status'],
    registers: [registry],
  });
  const callSeconds = new Histogram({
    name: 'glaze_cell_call_seconds',
    help: "A cell's provider calls, first to last (retries and waits included), by provider",
    labelNames: ['provider'],
    buckets: callBuckets,
    registers: [registry],
  });
  const refused = new Counter({
    name: 'glaze_provider_refusals_total',
    help: 'Calls a provider refused for rate (HTTP 429), retried without using up attempts',
    labelNames: ['provider'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'glaze_provider_retries_total',
    help: 'Calls made again after a retryable failure (timeout, 5xx, connection), 429s not included',
    labelNames: ['provider'],
    registers: [registry],
  });
  const chunkSeconds = new Histogram({
    name: 'glaze_chunk_claim_to_flush_seconds',
    help: 'From a chunk claimed to its every result written, by provider',
    labelNames: ['provider'],
    buckets: callBuckets,
    registers: [registry],
  });
  const runSeconds = new Histogram({
    name: 'glaze_run_duration_seconds',
    help: 'Runs that ended (done or cancelled): from start to end',
    buckets: runBuckets,
    registers: [registry],
  });
  new Gauge({
    name: 'glaze_chunks',
    help: 'Chunks waiting for a worker (queued) and held by one (running), every table',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const { rows } = await options.pool.query(
        `select count(*) filter (where status = 'queued')::int as queued,
                count(*) filter (where status = 'running')::int as running
         from chunks where status <> 'done'`,
      );
      this.set({ status: 'queued' }, rows[0]?.queued ?? 0);
      this.set({ status: 'running' }, rows[0]?.running ?? 0);
    },
  });
  new Gauge({
    name: 'glaze_db_pool_connections',
    help: "This process's Postgres pool: connections open, idle, and clients waiting for one",
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, options.pool.totalCount);
      this.set({ state: 'idle' }, options.pool.idleCount);
      this.set({ state: 'waiting' }, options.pool.waitingCount);
    },
  });
  new Counter({
    name: 'glaze_db_unreachable_errors_total',
    help: 'Statements that failed because Postgres could not be reached (each outage counts its failed statements)',
    registers: [registry],
    collect() {
      if (!options.health) return;
      this.reset();
      this.inc(options.health.unreachableErrors);
    },
  });
  new Counter({
    name: 'glaze_db_writes_refused_errors_total',
    help: 'Statements whose writes Postgres refused because its disk was full or it was read-only (the work waits and resumes)',
    registers: [registry],
    collect() {
      if (!options.health) return;
      this.reset();
      this.inc(options.health.writesRefusedErrors);
    },
  });
  const sse = new Gauge({
    name: 'glaze_sse_clients',
    help: 'Event streams open now',
    registers: [registry],
  });
  const sseBytes = new Counter({
    name: 'glaze_sse_bytes_sent_total',
    help: 'Bytes written to event streams',
    registers: [registry],
  });
  const sseRefused = new Counter({
    name: 'glaze_sse_refused_total',
    help: 'Event streams refused with 503 server_busy (as many open as the open-file limit leaves room for, or GLAZE_MAX_STREAMS)',
    registers: [registry],
  });

  // A cancelled run can come back from more than one flush (its fenced-off cells): observe it once.
  const ended = new Set<number>();
  const engine: EngineMetrics = {
    cellWritten(provider: string, cell: CellMetric, callMs: number | null) {
      cells.inc({ provider, status: cell.status });
      if (callMs !== null) callSeconds.observe({ provider }, callMs / 1000);
      const throttled = typeof cell.meta?.throttled === 'number' ? cell.meta.throttled : 0;
      if (throttled > 0) refused.inc({ provider }, throttled);
      // tries counts every call, the refused ones too
      const again = cell.tries - 1 - throttled;
      if (again > 0) retries.inc({ provider }, again);
    },
    chunkWritten(provider: string, ms: number) {
      chunkSeconds.observe({ provider }, ms / 1000);
    },
    runsEnded(runIds: readonly number[]) {
      const fresh = runIds.filter((id) => !ended.has(id));
      if (fresh.length === 0) return;
      for (const id of fresh) ended.add(id);
      if (ended.size > 10_000) ended.clear();
      options.pool
        .query(
          `select extract(epoch from coalesce(finished_at, now()) - created_at)::float8 as seconds
           from runs where id = any($1::bigint[])`,
          [fresh],
        )
        .then(({ rows }) => {
          for (const row of rows) runSeconds.observe(row.seconds);
        })
        .catch(() => {}); // a metric is not worth a failure
    },
  };
  const streams: StreamMetrics = {
    opened: () => sse.inc(),
    closed: () => sse.dec(),
    sent: (bytes) => sseBytes.inc(bytes),
    refused: () => sseRefused.inc(),
  };
  return { registry, engine, streams };
}
