import { useCallback, useEffect, useRef, useState } from 'react';
import { apiBase } from '../api/client';
import type { ConnectionStatus } from './connection-state';
import { FeedConnection, type FeedHandlers } from './feed-connection';

export type RealtimeOptions = Omit<FeedHandlers, 'onStatus'>;

/**
 * Streams a table's changes (SSE, cookie auth) into the store and reports the connection state.
 * Each event goes through the pure `planFeedEvent`, so stale or duplicate cell changes are dropped
 * by seq; drops resume with Last-Event-ID (or `?after=`); `reset` reloads from REST. `setWindow`
 * narrows the stream's cell changes to the rows the grid holds near its viewport.
 * @example const { status } = useRealtimeEnrichment(tableId, { store, onTouched, onRefetch });
 */
export function useRealtimeEnrichment(
  tableId: number,
  options: RealtimeOptions,
): { status: ConnectionStatus; setWindow: (rows: string, after: number) => void } {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const latest = useRef(options);
  latest.current = options;
  const connection = useRef<FeedConnection | undefined>(undefined);

  useEffect(() => {
    const current = new FeedConnection(
      `${apiBase}/tables/${tableId}/events`,
      () => ({ ...latest.current, onStatus: setStatus }),
      (url) => new EventSource(url, { withCredentials: true }),
    );
    connection.current = current;
    current.start();
    return () => current.stop();
  }, [tableId]);

  const setWindow = useCallback(
    (rows: string, after: number) => connection.current?.setWindow(rows, after),
    [],
  );
  return { status, setWindow };
}
