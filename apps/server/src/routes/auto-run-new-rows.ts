import { autoRunPaid, runAutoColumns } from '@glaze/engine';
import type { FastifyBaseLogger } from 'fastify';
import type { ServerContext } from '../context';

/** runAutoColumns takes at most this many row ids per call (one run per column per page). */
const pageSize = 100_000;

/**
 * Starts the table's auto-run columns (`config.autoRun`) over rows just appended, a page of ids at a
 * time. The rows are already committed, so a failure here is logged rather than answered: a 500 would
 * make a client send the same rows again, and the worker's reconciler starts what is still owed. It is
 * logged on the request's own log (`request.log`), so the line carries its `requestId`.
 * @example await autoRunNewRows(ctx, { tableId, workspaceId }, [ids], request.log);
 */
export async function autoRunNewRows(
  ctx: Pick<ServerContext, 'pool' | 'providers'>,
  target: { tableId: number; workspaceId: number },
  pages: Iterable<readonly number[]>,
  log: FastifyBaseLogger,
): Promise<void> {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  try {
    for (const ids of pages) {
      for (let from = 0; from < ids.length; from += pageSize) {
        await runAutoColumns(ctx.pool, target.tableId, ids.slice(from, from + pageSize), {
          providers: ctx.providers,
          workspaceId: target.workspaceId,
        });
      }
      for (const id of ids) {
        if (id < first) first = id;
        if (id > last) last = id;
      }
    }
    // Recorded as owed with the rows (migration 042): paid now. Had this process died before, a
    // worker's reconciler would have started them a lease later.
    if (last > 0) await autoRunPaid(ctx.pool, target.tableId, first, last);
  } catch (error) {
    log.error(
      { err: error, tableId: target.tableId },
      'rows were added but their auto-run columns could not be started',
    );
  }
}
