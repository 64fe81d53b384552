import type { Pool } from '@glaze/db';
import type { RunChange } from './change-batch';
import { toRunChange } from './read-changes';
import { feedStatements } from './statements';
import { type WireCell, wireCells } from './wire-cell';

/** The newest state of a table's runs, and of some rows' cells, past the seq a feed has read up to. */
export interface AheadRead {
  runs: RunChange[];
  cells: WireCell[];
}

/**
 * Reads past a lagging feed's position, in one statement: the runs changed after `after` (their
 * counts, so progress moves while the feed pages through 100,000 queued cells at ~10,000 a second)
 * and the newest state of `rowIds`' cells (so the rows people look at turn queued and running now,
 * not when the feed reaches them). What it returns comes again later in order, with the same seqs;
 * a client keeps the higher seq, so nothing goes back.
 */
export async function readAhead(
  pool: Pool,
  tableId: number,
  after: number,
  rowIds: readonly number[],
): Promise<AheadRead> {
  const { rows } = await pool.query({ ...feedStatements.readAhead, values: [tableId, after, rowIds] });
  const runs = rows[0].runs as Record<string, unknown>[];
  return { runs: runs.map(toRunChange), cells: wireCells(rows[0].cells) };
}
