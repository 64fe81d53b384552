import type { FeedEventName, FeedFrame } from '@glaze/core';

/** What the table's SSE stream (`GET /api/v1/tables/:id/events`) delivers, parsed: core's frames. */
export type FeedEvent =
  /** First frame of every stream: the server is subscribed from `seq` on. */
  | { type: 'ready'; seq: number }
  /** `seq` is the frame's SSE id, the batch's last seq. */
  | ({ type: 'changes'; seq?: number } & FeedFrame<'changes'>)
  /** Newer runs and window cells while the server is behind: no place in the feed, no seq of its own. */
  | ({ type: 'progress' } & FeedFrame<'progress'>)
  /** The server cannot replay from our Last-Event-ID: refetch everything from REST. */
  | { type: 'reset' }
  /** Columns were added, removed, renamed or reordered. */
  | { type: 'schema' }
  | ({ type: 'rowsDeleted' } & FeedFrame<'rowsDeleted'>)
  | { type: 'tableDeleted' };

/** What to reload from REST after an event, from least to most. */
export type Refetch = 'none' | 'rows' | 'schema' | 'all';

const refetchRank: Record<Refetch, number> = { none: 0, rows: 1, schema: 2, all: 3 };

/** The larger of two refetch needs: `all` covers `schema`, which covers `rows`. */
export function maxRefetch(a: Refetch, b: Refetch): Refetch {
  return refetchRank[a] >= refetchRank[b] ? a : b;
}

/** Parses one SSE message into a FeedEvent; event names the server does not send are ignored (undefined). */
export function parseFeedMessage(type: string, data: string, lastEventId: string): FeedEvent | undefined {
  switch (type as FeedEventName) {
    case 'changes': {
      const body = JSON.parse(data) as FeedFrame<'changes'>;
      const seq = Number(lastEventId);
      return { type: 'changes', ...body, seq: Number.isFinite(seq) && lastEventId !== '' ? seq : undefined };
    }
    case 'progress':
      return { type: 'progress', ...(JSON.parse(data) as FeedFrame<'progress'>) };
    case 'ready':
      return { type: 'ready', seq: Number((JSON.parse(data) as FeedFrame<'ready'>).seq) };
    case 'reset':
      return { type: 'reset' };
    case 'tableDeleted':
      return { type: 'tableDeleted' };
    case 'schema':
      return { type: 'schema' };
    case 'rowsDeleted':
      return { type: 'rowsDeleted', ids: (JSON.parse(data) as FeedFrame<'rowsDeleted'>).ids };
    default:
      return undefined;
  }
}
