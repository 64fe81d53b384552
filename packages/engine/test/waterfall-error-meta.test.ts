import type { AnyProvider } from '@glaze/core';
import { createWaterfallProvider } from '@glaze/providers';
import { expect, it } from 'vitest';
import { startRun } from '../src/index';
import { scriptedProvider, seedTable, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

it("an error cell keeps the provider's meta: a waterfall whose steps all failed says why each did", async () => {
  const gone = scriptedProvider('gone', async () => ({ kind: 'permanent', message: 'HTTP 410 Gone' }));
  const refused = scriptedProvider('refused', async () => ({ kind: 'permanent', message: 'HTTP 403' }));
  const lookup = new Map<string, AnyProvider>([
    ['gone', gone],
    ['refused', refused],
  ]);
  const providers = new Map<string, AnyProvider>([
    ...lookup,
    ['waterfall', createWaterfallProvider((id) => lookup.get(id))],
  ]);
  const { rowIds, column } = await seedTable(db, {
    rows: 2,
    provider: 'waterfall',
    config: { steps: [{ provider: 'gone' }, { provider: 'refused' }] },
    providers,
  });
  const worker = await startTestWorker(db, { providers });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', maxAttempts: 1 });
    expect(await waitForRun(db, run.id)).toBe('done');
  } finally {
    await worker.stop();
  }
  const { rows } = await db.pool.query(
    'select status, error, meta from cells where row_id = any($1) and column_id = $2',
    [rowIds, column.id],
  );
  expect(rows).toHaveLength(2);
  for (const row of rows) {
    expect(row).toEqual({
      status: 'error',
      error: 'steps[0] (gone): HTTP 410 Gone; steps[1] (refused): HTTP 403',
      meta: {
        attempts: [
          { step: 0, provider: 'gone', outcome: 'failed', message: 'HTTP 410 Gone' },
          { step: 1, provider: 'refused', outcome: 'failed', message: 'HTTP 403' },
        ],
      },
    });
  }
});
