import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@glaze/db';
import { builtinProviders, createProviderRegistry } from '@glaze/providers';
import { expect, it } from 'vitest';
import { RateLimits } from '../src/limits/rate-limits';
import { previewColumn } from '../src/worker/preview-column';
import { scriptedProvider, seedTable, useTestDatabase } from './helpers';

/** previewColumn: a config tried on a table's first rows through runCell, writing nothing. */
const db = useTestDatabase();

/** A provider that never answers until its call is aborted, then reports why. */
const hanging = scriptedProvider(
  'hang',
  (_input, _attempt, signal) =>
    new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
);
const providers = new Map([...builtinProviders, ['hang', hanging]]);

it('ends a call that hangs at the deadline as an error naming it, and writes nothing', async () => {
  const { table } = await seedTable(db, { rows: 3, providers });
  const before = await db.pool.query('select count(*)::int as n from cells');
  const cells = await previewColumn(db.pool, providers, {
    tableId: table.id,
    provider: 'hang',
    timeoutMs: 200,
  });
  expect(cells.map((c) => [c.status, c.error])).toEqual([
    ['error', 'timed out after 200 ms (gave up after 1 try)'],
    ['error', 'timed out after 200 ms (gave up after 1 try)'],
    ['error', 'timed out after 200 ms (gave up after 1 try)'],
  ]);
  expect((await db.pool.query('select count(*)::int as n from cells')).rows).toEqual(before.rows);
});

it('reads values of other enrichment columns, but not the column being edited', async () => {
  const { table, column } = await seedTable(db, {
    rows: 2,
    provider: 'formula',
    config: { expression: '"x"' },
  });
  await db.pool.query(`update cells set status = 'done', value = '"old"' where column_id = $1`, [column.id]);
  await db.pool.query(
    `insert into cells (table_id, row_id, column_id, status, value, seq)
     select $1, id, $2, 'done', '"kept"', nextval('glaze_seq') from rows where table_id = $1`,
    [table.id, column.id],
  );
  const reading = await previewColumn(db.pool, providers, {
    tableId: table.id,
    provider: 'formula',
    config: { expression: 'input + "/" + out' },
  });
  expect(reading.map((c) => c.value)).toEqual(['value-1/kept', 'value-2/kept']);
  const editing = await previewColumn(db.pool, providers, {
    tableId: table.id,
    provider: 'formula',
    config: { expression: 'isEmpty(out)' },
    columnId: column.id,
  });
  expect(editing.map((c) => c.value)).toEqual([true, true]);
});

it("keys what a call's answer says about rates by its host, as a run does, not by the whole provider", async () => {
  const api = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-ratelimit-limit-requests': '200',
      'x-ratelimit-remaining-requests': '160',
      'x-ratelimit-reset-requests': '200ms',
    });
    res.end('{"q":"ok"}');
  });
  api.listen(0, '127.0.0.1');
  await once(api, 'listening');
  const host = `127.0.0.1:${(api.address() as AddressInfo).port}`;
  const http = createProviderRegistry({ httpAllow: ['127.0.0.1'] });
  const { workspaceId, table } = await seedTable(db, { rows: 3, providers: http });
  const rateLimits = new RateLimits(db.pool, silentLogger);
  try {
    const cells = await previewColumn(db.pool, http, {
      tableId: table.id,
      provider: 'http',
      config: { url: `http://${host}/x?q={{input}}`, fields: { q: 'q' } },
      limits: { rateLimits, workspaceId },
    });
    expect(cells.map((c) => c.status)).toEqual(['done', 'done', 'done']);
  } finally {
    await rateLimits.close();
    api.close();
  }
  // The learned rate is stored in the background: wait for it.
  let learned: Array<{ provider: string }> = [];
  for (let i = 0; i < 100 && learned.length === 0; i++) {
    ({ rows: learned } = await db.pool.query(
      'select provider from rate_limits where workspace_id = $1 and learned_requests_per_second is not null',
      [workspaceId],
    ));
    if (learned.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(learned).toEqual([{ provider: `http:${host}` }]);
});
