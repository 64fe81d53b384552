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
  it('is exact past 1,000 matches when counting is quick, and estimated from a sample spread over the table when not', async () => {
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
    // A budget no count of 40,000 rows meets: estimated from 20 windows of 500 rows spread over the table.
    const estimated = await countMatches(db.pool, await compiledStatusFilter(large.tableId), 1);
    expect(estimated.exact).toBe(false);
    expect(estimated.count).toBeGreaterThan(4_750);
    expect(estimated.count).toBeLessThan(5_250);
  });

  it('weighs matches bunched at the start of the table by the share of the table they span', async () => {
    const workspaceId = await createWorkspace(db);
    // 4,000 errors, all in the first 4,000 of 40,000 rows (the rows a run reached first): the first
    // 1,001 matches reach row 1,001, which extrapolated to 40,000
    const { tableId, columnId } = await tableWithCells(db, workspaceId, 'Bunched', 40_000, 0);
    await db.pool.query(
      `update cells c set status = 'error', value = null, error = 'mailbox unreachable'
       from rows r where r.id = c.row_id and c.column_id = $1 and r.position <= 4000`,
      [columnId],
    );
    await db.pool.query('vacuum analyze cells');
    const estimated = await countMatches(db.pool, await compiledStatusFilter(tableId), 1);
    expect(estimated.exact).toBe(false);
    expect(estimated.count).toBeGreaterThan(3_000);
    expect(estimated.count).toBeLessThan(5_000);
  });

  it('counts a filter too rare for the sample from its first matches', async () => {
    const workspaceId = await createWorkspace(db);
    // 10 errors in 40,000 rows: none or one in the sample; all 10 among the first matches
    const { tableId } = await tableWithCells(db, workspaceId, 'Rare', 40_000, 4_000);
    await db.pool.query('vacuum analyze cells');
    expect(await countMatches(db.pool, await compiledStatusFilter(tableId), 1)).toEqual({
      count: 10,
      exact: true,
    });
  });
});
