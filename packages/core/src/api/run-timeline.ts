import { z } from 'zod';
import { timeSchema } from './fields';

const ms = z.number().nullable();

export const cellSpanSchema = z
  .object({
    rowId: z.number(),
    status: z.string(),
    tries: z.number().int().describe('Provider calls the cell took, retries and 429s included'),
    startMs: z.number().describe("Its first call's start, in ms from the run's start"),
    endMs: z.number().describe("When its result was written, in ms from the run's start"),
  })
  .meta({ id: 'CellSpan' });
export type CellSpan = z.infer<typeof cellSpanSchema>;

export const runTimelineSchema = z
  .object({
    runId: z.number(),
    startedAt: timeSchema,
    finishedAt: timeSchema.nullable(),
    cells: z.number().int().describe('Cells of the run that were called (not skipped, cancelled or waiting)'),
    latencyMs: z.object({ p50: ms, p95: ms, max: ms }),
    peakConcurrency: z.number().int().describe('Most cells in flight at one moment'),
    callsPerSecond: z
      .number()
      .nullable()
      .describe('Provider calls per second from the first start to the last finish'),
    retries: z.number().int().describe('Calls beyond each cell’s first'),
    throttled: z.number().int().describe('Calls the provider refused for rate (HTTP 429)'),
    errors: z.number().int(),
    cost: z.number(),
    spans: z.array(cellSpanSchema).describe('At most `samples` spans, evenly spread in order of start'),
  })
  .meta({ id: 'RunTimeline' });
/** How a run's cells overlapped in time (GET /runs/:runId/timeline). */
export type RunTimeline = z.infer<typeof runTimelineSchema>;

export const runTimelineQuery = z.object({
  samples: z.coerce.number().int().min(1).max(5000).default(500),
});
export const runTimelineReply = z.object({ timeline: runTimelineSchema });
