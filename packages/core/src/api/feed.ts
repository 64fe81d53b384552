import { z } from 'zod';
import { feedCellSchema } from './feed-cell';
import type { FeedEventName } from './feed-events';
import { idSchema } from './fields';
import { rowChangeSchema } from './row';
import { rowWindowText } from './row-window';
import { runChangeSchema } from './run';

/**
 * The frames of a table's event stream (`GET /tables/:id/events`), by SSE event name. Only
 * `changes` carries an `id:` (the batch's last seq) and `ready` (the seq the stream starts after).
 */
export const feedFrames = {
  /** First frame of every stream: the server is subscribed from `seq` on. */
  ready: z.object({ tableId: z.number(), seq: z.number() }),
  /** Every change of a batch, each list in seq order; cells as arrays (`feedCellFields`). */
  changes: z.object({
    cells: z.array(feedCellSchema),
    runs: z.array(runChangeSchema),
    rows: z.array(rowChangeSchema),
  }),
  /**
   * Sent while the server is behind the table's changes (a run of 100,000 cells writes faster than
   * a stream reads): the runs' newest counts, and the newest state of the stream's window's cells,
   * ahead of the `changes` frames that will carry them. No `id:`; apply by seq like any change.
   */
  progress: z.object({ runs: z.array(runChangeSchema), cells: z.array(feedCellSchema) }),
  /** Columns were added, removed, renamed or reordered: refetch them. */
  schema: z.object({ tableId: z.number() }),
  rowsDeleted: z.object({ ids: z.array(idSchema) }),
  /** The server cannot replay from the client's Last-Event-ID, or it fell behind: reload from REST. */
  reset: z.object({ reason: z.enum(['slow', 'unavailable']) }),
  /** The table is gone; the stream ends. */
  tableDeleted: z.object({ tableId: z.number() }),
} satisfies Record<FeedEventName, z.ZodType>;

/** The data of one frame, by event name. */
export type FeedFrame<N extends FeedEventName> = z.infer<(typeof feedFrames)[N]>;

const seqText = z.string().regex(/^\d{1,15}$/, 'must be a seq this stream sent (an integer)');
export const eventsQuery = z.object({
  after: seqText.optional(),
  /** Cell changes only for these rows (`1-100,205`); runs, rows and schema changes always. Without it: every cell. */
  rows: rowWindowText.optional(),
});
export const eventsHeaders = z.looseObject({ 'last-event-id': seqText.optional() });
