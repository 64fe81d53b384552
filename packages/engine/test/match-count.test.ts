import { describe, expect, it } from 'vitest';
import { compileQuery, countMatches } from '../src/index';
import { createWorkspace, tableWithCells, useTestDatabase } from './helpers';

const db = useTestDatabase();

async function compiledStatusFilter(tableId: number) {
  const { rows: columns } = await db.pool.query(
    'select id::int, name, kind from columns where table_id = $1',
    [tableId],
  );
  return compileQuery(tableId, columns, {
    filter: { column: 'Email check', op: 'status', value: ['error'] },
  });
}

describe('the match count beside another table’s cells ("N of M rows")', () => {
  it('is exact past 1,000 matches when counting is quick, and extrapolated from the first matches when not', async () => {
    const workspaceId = await createWorkspace(db);
    // The other table's 100,000 cells, all done, made the planner's estimate of the join, which the
    // count fell back on past 1,000 matches, a fraction of the truth (1,048 for 4,553 in a newcomer run).
    await tableWithCells(db, workspaceId, 'Imported', 100_000, 0);
    const small = await tableWithCells(db, workspaceId, 'Leads', 6_000, 4); // 1,500 errors
    const large = await tableWithCells(db, workspaceId, 'Contacts', 40_000, 8); // 5,000 errors
    await db.pool.query('vacuum analyze rows');
    await db.pool.query('vacuum analyze cells');

    expect(await countMatches(db.pool, await compiledStatusFilter(small.tableId))).toEqual({
      count: 1_500,
      exact: true,
    });
    // A budget no count of 40,000 rows meets: the first 1,001 errors reach row 8,008 of 40,000.
    const estimated = await countMatches(db.pool, await compiledStatusFilter(large.tableId), 1);
    expect(estimated.exact).toBe(false);
    expect(estimated.count).toBeGreaterThan(4_750);
    expect(estimated.count).toBeLessThan(5_250);
  });
});
