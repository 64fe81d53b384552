import { builtinProviders } from '@glaze/providers';
import { describe, expect, it } from 'vitest';
import { addColumn, createTable } from '../src/index';
import { createWorkspace, useTestDatabase } from './helpers';

const db = useTestDatabase();

/** A table of `rows` rows and one enrichment column whose cells are written by SQL: every `errorEvery`-th an error. */
async function tableWithCells(workspaceId: number, name: string, rows: number, errorEvery: number) {
  const table = await createTable(db.pool, { workspaceId, name, inputColumns: ['Email'] });
  const column = await addColumn(db.pool, builtinProviders, {
    tableId: table.id,
    name: 'Email check',
    kind: 'enrichment',
    provider: 'mock',
    config: {},
  });
  await db.pool.query(
    `insert into rows (table_id, position, data) select $1, i, '{}'::jsonb from generate_series(1, $2::int) i`,
    [table.id, rows],
  );
  await db.pool.query(
    `insert into cells (table_id, row_id, column_id, status, value, error)
     select r.table_id, r.id, $2,
            case when $3::int > 0 and r.position::int % $3::int = 0 then 'error' else 'done' end,
            case when $3::int > 0 and r.position::int % $3::int = 0 then null else '{"valid": true}'::jsonb end,
            case when $3::int > 0 and r.position::int % $3::int = 0 then 'mailbox unreachable' end
     from rows r where r.table_id = $1`,
    [table.id, column.id, errorEvery],
  );
  return { tableId: table.id, columnId: column.id };
}

describe('a status filter beside other tables’ cells', () => {
  it('is estimated from the column’s own cells (migration 036), not from the share of all cells in that status', async () => {
    const workspaceId = await createWorkspace(db);
    // 150,000 cells of another table, all done; this column's 30,000 cells, one in 20 an error (1,500)
    await tableWithCells(workspaceId, 'Imported', 150_000, 0);
    const { columnId } = await tableWithCells(workspaceId, 'Leads', 30_000, 20);
    await db.pool.query('vacuum analyze rows');
    await db.pool.query('vacuum analyze cells');

    const plan = await db.pool.query(
      `explain (format json) select 1 from cells where column_id = ${columnId} and status = 'error'`,
    );
    const estimate = Number(plan.rows[0]['QUERY PLAN'][0].Plan['Plan Rows']);
    // independent shares would give 30k/180k × 1.5k/180k × 180k = 250 (6× under); at a million rows
    // such an estimate made the page read and sort every match (see the migration)
    expect(estimate).toBeGreaterThan(750);
    expect(estimate).toBeLessThan(3_000);
  });
});
