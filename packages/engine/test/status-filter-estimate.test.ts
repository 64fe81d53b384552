import { describe, expect, it } from 'vitest';
import { createWorkspace, tableWithCells, useTestDatabase } from './helpers';

const db = useTestDatabase();

describe('a status filter beside other tables’ cells', () => {
  it('is estimated from the column’s own cells (migration 036), not from the share of all cells in that status', async () => {
    const workspaceId = await createWorkspace(db);
    // 150,000 cells of another table, all done; this column's 30,000 cells, one in 20 an error (1,500)
    await tableWithCells(db, workspaceId, 'Imported', 150_000, 0);
    const { columnId } = await tableWithCells(db, workspaceId, 'Leads', 30_000, 20);
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
