import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { GlazeConnection, RowsWanted } from './glaze-http';
import { type RealtimeSnapshot, RealtimeTable, type RealtimeTableOptions } from './realtime-table';

export interface RealtimeEnrichmentOptions extends GlazeConnection, RealtimeTableOptions {
  /** The rows to hold and keep live: `limit` (1–1000) from `offset` in table order. Nothing else is kept. */
  rows: RowsWanted;
}

/**
 * A table's rows (per-cell status and value) and its runs' progress, live: loaded from
 * `GET /tables/:id/rows`, kept current by `GET /tables/:id/events`, resumed without gaps after a drop.
 * A new table, connection or row range starts over; options passed inline as new objects do not.
 * @example const { status, rows, runs } = useRealtimeEnrichment(7, { baseUrl: '/api/v1', rows: { limit: 100 } });
 */
export function useRealtimeEnrichment(tableId: number, options: RealtimeEnrichmentOptions): RealtimeSnapshot {
  const { baseUrl, token } = options;
  const { offset = 0, limit } = options.rows;
  // Read when a retry is due, so an inline function does not restart the stream on every render.
  const latest = useRef(options);
  latest.current = options;
  const table = useMemo(
    () =>
      new RealtimeTable(
        { baseUrl, token },
        tableId,
        { offset, limit },
        { retryDelayMs: (failures) => latest.current.retryDelayMs?.(failures) ?? defaultRetry(failures) },
      ),
    [baseUrl, token, tableId, offset, limit],
  );
  useEffect(() => {
    table.start();
    return () => table.stop();
  }, [table]);
  return useSyncExternalStore(table.subscribe, table.getSnapshot, table.getSnapshot);
}

/** 1 s, 2 s, 4 s… up to 30 s. */
function defaultRetry(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** failures);
}
