import { createLogger } from '@glaze/db';
import { describe, expect, it } from 'vitest';
import { startRun } from '../src/index';
import { seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

/**
 * A worker's lines about a chunk name the chunk, its run and its table (and the worker), so one
 * grep for a runId follows a run through every worker that touched it.
 */
const db = useTestDatabase();

describe("a chunk's log lines", () => {
  it('carry runId, chunkId and tableId', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('debug', { write: (line: string) => lines.push(JSON.parse(line)) });
    const { table, column } = await seedTable(db, { rows: 300 });
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', chunkSize: 100 });
    const worker = await startTestWorker(db, { logger });
    try {
      expect(await waitForRun(db, run.id)).toBe('done');
    } finally {
      await worker.stop();
    }
    const { rows } = await db.pool.query<{ id: string }>(
      'select id from chunks where run_id = $1 order by id',
      [run.id],
    );
    expect(rows).toHaveLength(3);
    for (const { id } of rows) {
      const about = lines.filter((line) => line.chunkId === Number(id));
      expect(about.map((line) => line.msg)).toEqual(
        expect.arrayContaining(['claimed chunk', 'chunk written']),
      );
      for (const line of about) {
        expect(line).toMatchObject({ runId: run.id, tableId: table.id, component: 'worker' });
        expect(line.worker).toEqual(expect.any(String));
      }
    }
  });
});
