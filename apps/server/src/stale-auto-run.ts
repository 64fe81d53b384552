import type { AnyProvider } from '@glaze/core';
import type { Logger, Pool } from '@glaze/db';
import { runStaleAutoColumns } from '@glaze/engine';

/** Schedules the re-run of a table's stale auto-run cells; a burst of edits makes one run per column. */
export interface StaleAutoRun {
  /** An input of this table changed (PATCH rows, CSV upsert): re-run its auto-run columns' stale cells soon. */
  schedule(target: { tableId: number; workspaceId: number }): void;
  /** Starts what is scheduled now (tests, shutdown) and resolves when those runs are started. */
  flush(): Promise<void>;
  close(): void;
}

/**
 * Auto-run columns re-run their stale cells by themselves: an edit schedules the table, and once
 * edits to it have been quiet for `quietMs` (at most `maxWaitMs` after the first), one `stale` run
 * per auto-run column starts. A person fixing ten typos in a second costs one run per column, not
 * ten, and a script patching rows all day still sees its cells re-run every `maxWaitMs`. The
 * edits are committed before this runs, so a failure is logged, not answered.
 */
export function createStaleAutoRun(
  ctx: { pool: Pool; providers: ReadonlyMap<string, AnyProvider>; logger: Logger },
  options: { quietMs?: number; maxWaitMs?: number } = {},
): StaleAutoRun {
  const quietMs = options.quietMs ?? 300;
  const maxWaitMs = options.maxWaitMs ?? 2_000;
  const pending = new Map<number, { workspaceId: number; first: number; timer: NodeJS.Timeout }>();
  const inFlight = new Set<Promise<void>>();

  const start = (tableId: number) => {
    const entry = pending.get(tableId);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(tableId);
    const run = runStaleAutoColumns(ctx.pool, ctx.providers, { tableId, workspaceId: entry.workspaceId })
      .then(() => undefined)
      .catch((error) =>
        ctx.logger.error(
          { err: error, tableId },
          'inputs changed but the stale auto-run cells could not be re-run',
        ),
      )
      .finally(() => inFlight.delete(run));
    inFlight.add(run);
  };

  return {
    schedule({ tableId, workspaceId }) {
      const now = Date.now();
      const entry = pending.get(tableId);
      if (entry) clearTimeout(entry.timer);
      const first = entry?.first ?? now;
      const wait = Math.max(0, Math.min(quietMs, first + maxWaitMs - now));
      const timer = setTimeout(() => start(tableId), wait);
      timer.unref();
      pending.set(tableId, { workspaceId, first, timer });
    },
    async flush() {
      for (const tableId of [...pending.keys()]) start(tableId);
      await Promise.all(inFlight);
    },
    close() {
      for (const { timer } of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}
