import { useEffect, useRef, useState } from 'react';
import { apiBase } from '../api/client';
import type { TableStore, Touched } from '../store/table-store';
import {
  type ConnectionSignal,
  type ConnectionState,
  type ConnectionStatus,
  nextConnection,
  retryDelay,
} from './connection-state';
import { type FeedEvent, parseFeedMessage, type Refetch } from './feed-event';
import { planFeedEvent } from './reduce-feed';

export interface RealtimeOptions {
  store: TableStore;
  /** Cells and rows the event changed in the store: repaint them. */
  onTouched(touched: Touched): void;
  /** Something must be reloaded from REST (`reset`, a schema change, rows added or removed). */
  onRefetch(what: Exclude<Refetch, 'none'>): void;
  /** The stream is subscribed (its `ready` frame); `first` is true once per mount. */
  onReady?(first: boolean): void;
  onTableDeleted?(): void;
}

const eventNames = ['ready', 'changes', 'reset', 'schema', 'rowsDeleted', 'tableDeleted'];

/**
 * Streams a table's changes (SSE, cookie auth) into the store. Each event goes through the pure
 * `planFeedEvent`, so stale or duplicate cell changes are dropped by seq. After a drop EventSource
 * reconnects by itself with Last-Event-ID; if it gives up we reopen with `?after=<last seq>`; on
 * `reset` (the server cannot replay) we reopen afresh and reload from REST once it is ready.
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
    let state: ConnectionState = { status: 'connecting', mustRefetch: false };
    let source: EventSource | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let readyOnce = false;
    const signal = (s: ConnectionSignal) => {
      state = nextConnection(state, s);
      setStatus(state.status);
    };

    const apply = (event: FeedEvent) => {
      const { store, onTouched, onRefetch } = latest.current;
      const plan = planFeedEvent(store, event);
      onTouched(store.commit(plan));
      if (event.type === 'ready') {
        failures = 0;
        signal('ready');
        latest.current.onReady?.(!readyOnce);
        readyOnce = true;
        if (state.mustRefetch) {
          state = { ...state, mustRefetch: false };
          onRefetch('all');
        }
      } else if (event.type === 'reset') {
        // Reload only once the fresh stream is subscribed, so no change slips between the two.
        signal('reset');
        connect();
      } else if (event.type === 'tableDeleted') {
        source?.close();
        latest.current.onTableDeleted?.();
      } else if (plan.refetch !== 'none') {
        onRefetch(plan.refetch);
      }
    };

    const connect = (after?: number) => {
      source?.close();
      const query = after ? `?after=${after}` : '';
      const current = new EventSource(`${apiBase}/tables/${tableId}/events${query}`, {
        withCredentials: true,
      });
      source = current;
      current.onerror = () => {
        if (current.readyState !== EventSource.CLOSED) return signal('error-retrying');
        signal('error-closed');
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => {
          signal('retry');
          connect(latest.current.store.lastSeq || undefined);
        }, retryDelay(failures++));
      };
      const handle = (event: Event) => {
        if (source !== current) return;
        const message = event as MessageEvent<string>;
        let parsed: FeedEvent | undefined;
        try {
          parsed = parseFeedMessage(message.type, message.data, message.lastEventId);
        } catch (error) {
          console.warn('glaze: unreadable realtime event', message.type, error);
        }
        if (parsed) apply(parsed);
      };
      for (const name of eventNames) current.addEventListener(name, handle);
    };

    connect();
    return () => {
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [tableId]);

  return { status };
}
