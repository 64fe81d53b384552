import { expect, it } from 'vitest';
import { getRunTimeline, startRun } from '../src/index';
import { seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

it("shows how a run's cells overlapped: spans, peak in flight, latency, calls per second, samples", async () => {
  const { column, workspaceId } = await seedTable(db, { rows: 60, config: { latencyMs: 150 } });
  const worker = await startTestWorker(db, { cellConcurrency: 200 });
  let runId: number;
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 60 });
    runId = run.id;
    expect(await waitForRun(db, run.id)).toBe('done');
  } finally {
    await worker.stop();
  }
  const timeline = await getRunTimeline(db.pool, runId, { workspaceId });
  expect(timeline).toBeDefined();
  if (!timeline) return;
  expect(timeline.cells).toBe(60);
  expect(timeline.spans).toHaveLength(60);
  // Computed from the cells themselves, as a reference (in µs, as Postgres keeps them): the most
  // spans open at any one moment.
  const { rows: cells } = await db.pool.query<{ rowId: number; start: number; end: number }>(
    `select row_id as "rowId", extract(epoch from started_at)::float8 * 1e6 as start,
            extract(epoch from finished_at)::float8 * 1e6 as end
     from cells where column_id = $1`,
    [column.id],
  );
  const started = new Date(timeline.startedAt).getTime();
  let most = 0;
  for (const cell of cells) {
    const open = cells.filter((other) => other.start <= cell.start && other.end > cell.start).length;
    most = Math.max(most, open);
  }
  expect(timeline.peakConcurrency).toBe(most);
  expect(timeline.peakConcurrency).toBeGreaterThan(1); // they overlapped
  for (const span of timeline.spans) {
    expect(span.endMs).toBeGreaterThanOrEqual(span.startMs);
    expect(span.startMs).toBeGreaterThanOrEqual(-1); // ms from the run's start (rounded)
  }
  const first = cells.find((cell) => Number(cell.rowId) === timeline.spans[0]?.rowId);
  expect(Math.abs((timeline.spans[0]?.startMs ?? 0) - ((first?.start ?? 0) / 1000 - started))).toBeLessThan(
    1.5,
  );
  expect(timeline.latencyMs.p50).toBeGreaterThanOrEqual(150);
  expect(timeline.latencyMs.p95).toBeGreaterThanOrEqual(timeline.latencyMs.p50 ?? 0);
  expect(timeline).toMatchObject({ retries: 0, throttled: 0, errors: 0, cost: 0 });
  expect(timeline.callsPerSecond).toBeGreaterThan(0);

  const sampled = await getRunTimeline(db.pool, runId, { samples: 10 });
  expect(sampled?.spans).toHaveLength(10);
  expect(sampled?.cells).toBe(60);
  expect(await getRunTimeline(db.pool, runId, { workspaceId: workspaceId + 1000 })).toBeUndefined();
});
