import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import {
  type GlazeConnection,
  type RealtimeSnapshot,
  RealtimeTable,
  type RowsWanted,
} from './realtime-table.js';
import { backoff, type TableFeedOptions } from './table-feed.js';

export type RealtimeEnrichmentOptions = GlazeConnection &
  TableFeedOptions & {
    /** The rows to hold and keep live: `limit` (1–1000) from `offset` in table order. Nothing else is kept. */
    rows: RowsWanted;
  };

/**
 * A table's rows (per-cell status and value) and its runs' progress, live: loaded from
 * `GET /tables/:id/rows`, kept current by `GET /tables/:id/events`, resumed without gaps after a drop.
 * A new table, connection or row range starts over; options passed inline as new objects do not.
 * Pass `baseUrl` (and `token`) or a `client` from `createGlazeClient` of @glaze/client.
 * @example const { status, rows, runs } = useRealtimeEnrichment(7, { baseUrl: '', rows: { limit: 100 } });
 */
export function useRealtimeEnrichment(tableId: number, options: RealtimeEnrichmentOptions): RealtimeSnapshot {
  const client = 'client' in options ? options.client : undefined;
  const baseUrl = 'baseUrl' in options ? options.baseUrl : undefined;
  const token = 'token' in options ? options.token : undefined;
  const { offset = 0, limit } = options.rows;
  // Read when a retry is due, so an inline function does not restart the stream on every render.
  const latest = useRef(options);
  latest.current = options;
  const table = useMemo(
    () =>
      new RealtimeTable(
        client ? { client } : { baseUrl: baseUrl ?? '', token },
        tableId,
        { offset, limit },
        { retryDelayMs: (failures) => latest.current.retryDelayMs?.(failures) ?? backoff(failures) },
      ),
    [client, baseUrl, token, tableId, offset, limit],
  );
  useEffect(() => {
    table.start();
    return () => table.stop();
  }, [table]);
  return useSyncExternalStore(table.subscribe, table.getSnapshot, table.getSnapshot);
}
