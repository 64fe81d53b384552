import { expect, it } from 'vitest';
import { createTable, indexBuildsSettled, queryRows } from '../src/index';
import { createWorkspace, interceptQueries, useTestDatabase } from './helpers';

const db = useTestDatabase();

/**
 * A `contains` of a term few rows hold outlasts the walk in table order (ordered-probe.ts) and runs
 * again through the trigram index. The planner, guessing a LIKE matches 0.5 % of the rows, would walk
 * the table in order again (767 ms for a term no row holds over a million rows, 5.4 ms through the
 * index), so the second run turns index scans off.
 */
it('finds a rare term through the trigram index once the walk in table order gives up', async () => {
  const workspaceId = await createWorkspace(db);
  const table = await createTable(db.pool, { workspaceId, name: 'People', inputColumns: ['Name'] });
  const { rows: columns } = await db.pool.query(
    'select id::int, name, kind from columns where table_id = $1',
    [table.id],
  );
  const nameId = String(columns[0].id);
  await db.pool.query(
    `insert into rows (table_id, position, data)
     select $1, i, jsonb_build_object($2::text, case when i = 199000 then 'Zoë Qwxjkv' else 'Person ' || i end)
     from generate_series(1, 200000) i`,
    [table.id, nameId],
  );
  await db.pool.query('analyze rows');
  const query = { filter: { column: 'Name', op: 'contains' as const, value: 'QWXJKV' }, limit: 100 };
  await queryRows(db.pool, { tableId: table.id, query }); // asks for the trigram index
  await indexBuildsSettled();

  // the page's statements and their settings (set_config's values) as they go out
  const sent: Array<{ text: string; values: unknown[] }> = [];
  const stop = interceptQueries(db.pool, (send, args) => {
    const first = args[0] as string | { text: string; values?: unknown[] };
    sent.push(
      typeof first === 'string'
        ? { text: first, values: (args[1] as unknown[] | undefined) ?? [] }
        : { text: first.text, values: first.values ?? [] },
    );
    return send(...args);
  });
  const page = await queryRows(db.pool, { tableId: table.id, query });
  stop();
  expect(page.rows.map((row) => row.values[nameId])).toEqual(['Zoë Qwxjkv']);
  const settings = sent.filter((s) => s.text.includes('set_config')).map((s) => s.values);
  // the walk in table order, under its timeout (200,000 rows outlast it), then through the index
  expect(settings).toHaveLength(2);
  expect(settings[0]).toEqual(expect.arrayContaining(['statement_timeout', 'enable_seqscan']));
  expect(settings[1]).toEqual(expect.arrayContaining(['enable_indexscan', 'off']));
  expect(settings[1]).not.toContain('statement_timeout');

  const counted = await queryRows(db.pool, { tableId: table.id, query, count: true });
  expect(counted.matched).toEqual({ count: 1, exact: true });
});
