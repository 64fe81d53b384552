import { GlazeError } from '@glaze/client';
import { type ConnectionStatus, planFeedEvent, type Refetch, TableFeed } from '@glaze/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { answered, glaze } from '../api/client';
import type { FeedTarget, Touched } from './feed-target';

export interface TableFeedOptions {
  store: FeedTarget;
  /** Cells and rows the event changed in the store: repaint them. */
  onTouched(touched: Touched): void;
  /** Something must be reloaded from REST (after a `reset`, a schema change, rows added or removed). */
  onRefetch(what: Exclude<Refetch, 'none'>): void;
  /** The stream is subscribed (every `ready`): pages read from now on miss no change. */
  onReady?(): void;
  onTableDeleted?(): void;
}

/**
 * Streams a table's changes into the store through @glaze/react's TableFeed (the session cookie,
 * Last-Event-ID resume, retries) and reports the connection state. Each event goes through the pure
 * `planFeedEvent`, so stale or duplicate cell changes are dropped by seq; a `reset` reloads
 * everything once the fresh stream is ready. `setWindow` narrows the stream's cell changes to the
 * rows the grid holds near its viewport.
 * @example const { status, setWindow } = useTableFeed(tableId, { store, onTouched, onRefetch });
 */
export function useTableFeed(
  tableId: number,
  options: TableFeedOptions,
): { status: ConnectionStatus; setWindow: (rows: string, after: number) => void } {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const latest = useRef(options);
  latest.current = options;
  const feed = useRef<TableFeed | undefined>(undefined);

  useEffect(() => {
    const current = new TableFeed(glaze, tableId, {
      onEvent: (event) => {
        const { store, onTouched, onRefetch } = latest.current;
        const plan = planFeedEvent(store, event);
        onTouched(store.commit(plan));
        // A reset's reload waits for the fresh stream's `ready`, so no change falls between.
        if (plan.refetch !== 'none' && event.event !== 'reset') onRefetch(plan.refetch);
      },
      onReady: (cause) => {
        latest.current.onReady?.();
        if (cause === 'reset') latest.current.onRefetch('all');
      },
      onStatus: (next, error) => {
        setStatus(next);
        if (next === 'deleted') latest.current.onTableDeleted?.();
        // The session ended (a 401 on the stream): the sign-in form, as for any other call.
        if (error instanceof GlazeError) answered(error.status);
      },
    });
    feed.current = current;
    current.start();
    return () => current.stop();
  }, [tableId]);

  const setWindow = useCallback((rows: string, after: number) => feed.current?.setWindow(rows, after), []);
  return { status, setWindow };
}
