import { useEffect, useRef, useState } from 'react';
import { apiBase } from '../api/client';
import type { ConnectionStatus } from './connection-state';
import { FeedConnection, type FeedHandlers } from './feed-connection';

export type RealtimeOptions = Omit<FeedHandlers, 'onStatus'>;

/**
 * Streams a table's changes (SSE, cookie auth) into the store and reports the connection state.
 * Each event goes through the pure `planFeedEvent`, so stale or duplicate cell changes are dropped
 * by seq; drops resume with Last-Event-ID (or `?after=`); `reset` reloads from REST.
 * @example const { status } = useRealtimeEnrichment(tableId, { store, onTouched, onRefetch });
 */
export function useRealtimeEnrichment(
  tableId: number,
  options: RealtimeOptions,
): { status: ConnectionStatus } {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    const connection = new FeedConnection(
      `${apiBase}/tables/${tableId}/events`,
      () => ({ ...latest.current, onStatus: setStatus }),
      (url) => new EventSource(url, { withCredentials: true }),
    );
    connection.start();
    return () => connection.stop();
  }, [tableId]);

  return { status };
}
