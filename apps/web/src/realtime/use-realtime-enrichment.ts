import { useEffect, useRef, useState } from 'react';
import { apiBase } from '../api/client';
import type { TableStore, Touched } from '../store/table-store';
import { type ConnectionStatus, nextConnection, retryDelay } from './connection-state';
import { parseFeedMessage, type Refetch } from './feed-event';
import { planFeedEvent } from './reduce-feed';

export interface RealtimeOptions {
  store: TableStore;
  /** Cells and rows the event changed in the store: repaint them. */
  onTouched(touched: Touched): void;
  /** Something must be reloaded from REST (`reset`, a schema change, rows added or removed). */
  onRefetch(what: Exclude<Refetch, 'none'>): void;
  /** The stream is open; `first` is true once per mount. */
  onOpen?(first: boolean): void;
}

const eventNames = ['changes', 'message', 'reset', 'schema', 'rowsDeleted', 'rows-deleted'];

/**
 * Streams a table's changes (SSE, cookie auth) into the store. Applies each event through the
 * pure `planFeedEvent`, so stale or duplicate cell changes are dropped by seq; resumes with
 * Last-Event-ID after a drop (EventSource sends it); on `reset` asks for a REST refetch.
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
    let state = { status: 'connecting' as ConnectionStatus, mustRefetch: false };
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let opened = false;
    const signal = (s: Parameters<typeof nextConnection>[1]) => {
      state = nextConnection(state, s);
      setStatus(state.status);
    };

    const connect = () => {
      source = new EventSource(`${apiBase}/tables/${tableId}/events`, { withCredentials: true });
      source.onopen = () => {
        failures = 0;
        const refetch = state.mustRefetch;
        signal('open');
        state.mustRefetch = false;
        latest.current.onOpen?.(!opened);
        opened = true;
        if (refetch) latest.current.onRefetch('all');
      };
      source.onerror = () => {
        if (source?.readyState !== EventSource.CLOSED) return signal('error-retrying');
        signal('error-closed');
        source.close();
        retryTimer = setTimeout(() => {
          signal('retry');
          connect();
        }, retryDelay(failures++));
      };
      const handle = (event: Event) => {
        const message = event as MessageEvent<string>;
        let parsed: ReturnType<typeof parseFeedMessage>;
        try {
          parsed = parseFeedMessage(message.type, message.data, message.lastEventId);
        } catch (error) {
          console.warn('glaze: unreadable realtime event', message.type, error);
          return;
        }
        if (!parsed) return;
        const { store, onTouched, onRefetch } = latest.current;
        const plan = planFeedEvent(store, parsed);
        onTouched(store.commit(plan));
        if (plan.refetch !== 'none') onRefetch(plan.refetch);
      };
      for (const name of eventNames) source.addEventListener(name, handle);
    };

    connect();
    return () => {
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [tableId]);

  return { status };
}
