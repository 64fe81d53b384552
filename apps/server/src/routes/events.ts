import {
  AppError,
  eventsHeaders,
  eventsQuery,
  type FeedFrame,
  parseRowWindow,
  routeErrors,
  tableParams,
} from '@glaze/core';
import type { FeedEndReason, FeedSubscription } from '@glaze/engine';
import { z } from 'zod';
import type { Api, ServerContext } from '../context';
import { tooManyStreams } from '../open-streams';
import { batchFrames, progressFrame } from '../sse/batch-frames';
import { SseStream, sseFrame } from '../sse/sse-stream';
import { requireTable } from './require-table';

/** The 503 of a stream beyond the cap, counted (`glaze_sse_refused_total`). */
function refuseStream(ctx: ServerContext) {
  ctx.sse.metrics?.refused();
  return tooManyStreams(ctx.sse.maxStreams, ctx.openFiles);
}

/**
 * GET /tables/:id/events: the table's changes as Server-Sent Events, resumable with Last-Event-ID
 * (or `?after=` for a first connection that already holds data up to a seq); `?rows=1-100,205` narrows
 * cell changes to those rows. Events: `ready {seq}`, `changes {cells, runs, rows}`, `progress {runs,
 * cells}` (ahead of a backlog, no id), `schema`, `rowsDeleted {ids}`, `reset {reason}` (fell behind: reload
 * from REST and reconnect afresh), `tableDeleted`. See docs/API.md.
 */
export function eventRoutes(api: Api, ctx: ServerContext, streams: Set<SseStream>): void {
  api.get('/tables/:id/events', {
    schema: {
      operationId: 'streamEvents',
      tags: ['realtime'],
      summary: "The table's changes as Server-Sent Events (text/event-stream)",
      params: tableParams,
      querystring: eventsQuery,
      headers: eventsHeaders,
      response: {
        200: {
          description: 'Server-Sent Events, each `id` a seq to resume from (see docs/API.md)',
          content: { 'text/event-stream': { schema: z.string() } },
        },
        ...routeErrors,
      },
    },
    handler: async (request, reply) => {
      // before any work: most streams beyond the cap are refused here
      if (streams.size >= ctx.sse.maxStreams) throw refuseStream(ctx);
      const table = await requireTable(ctx, request, request.params.id);
      const resumeFrom = request.headers['last-event-id'] ?? request.query.after;
      const after = resumeFrom === undefined ? undefined : Number(resumeFrom);
      if (after !== undefined && !Number.isSafeInteger(after))
        throw new AppError('validation_failed', 'out of range', 'Last-Event-ID');
      const rows = request.query.rows === undefined ? undefined : parseRowWindow(request.query.rows);
      if (typeof rows === 'string') throw new AppError('validation_failed', rows, 'rows');

      // again, with nothing awaited from here to `streams.add`: streams opened meanwhile count
      if (streams.size >= ctx.sse.maxStreams) throw refuseStream(ctx);
      reply.hijack();
      const stream = new SseStream(reply.raw, ctx.sse);
      streams.add(stream);
      let subscription: FeedSubscription | undefined;
      const finish = (frame?: string) => {
        subscription?.unsubscribe();
        streams.delete(stream);
        stream.end(frame);
      };
      const reset = (reason: FeedFrame<'reset'>['reason']) => finish(sseFrame('reset', { reason }));
      reply.raw.on('close', () => {
        // A closed tab or a dropped network: routine, and the client resumes with Last-Event-ID.
        if (!reply.raw.writableEnded)
          request.log.debug({ tableId: table.id }, 'client closed the event stream');
        finish();
      });
      try {
        subscription = await ctx.hub.subscribe(
          table.id,
          {
            onStart: (seq) => stream.write(sseFrame('ready', { tableId: table.id, seq }, seq)),
            onBatch: (batch) => {
              // Frames from before are still unread: this client cannot keep up, so it reloads instead.
              if (stream.behind) return reset('slow');
              const flowing = stream.write(batchFrames(batch));
              // Only a catch-up read waits on this; live batches never hold up other watchers.
              return flowing ? undefined : stream.drained().catch(() => reset('slow'));
            },
            // Not a change with a place in the feed (no id): skipped when the client is behind anyway.
            onAhead: (ahead) => {
              if (!stream.behind) stream.write(progressFrame(ahead));
            },
            onEnd: (reason: FeedEndReason) => {
              if (reason === 'tableDeleted') finish(sseFrame('tableDeleted', { tableId: table.id }));
              else if (reason === 'overflow') reset('slow');
              else finish();
            },
          },
          after,
          { rows },
        );
        if (stream.closed) subscription.unsubscribe();
      } catch (error) {
        // The database went away between the table check and the subscription: end the stream
        // without `reset`, so the client comes back with its Last-Event-ID and misses nothing.
        if (ctx.health.failed(error)) return finish();
        request.log.warn({ err: error }, 'could not open the change stream');
        reset('unavailable');
      }
    },
  });
}
