import { z } from 'zod';
import { runScopeSchema, runStatuses } from '../cell';
import { idSchema, timeSchema, urlIdSchema } from './fields';
import { idempotencyHeaders } from './idempotency';

const count = z.number().int();
const finishedCounts = { done: count, error: count, skipped: count, cancelled: count };

export const runSchema = z
  .object({
    id: z.number(),
    tableId: z.number(),
    columnId: z.number(),
    status: z.enum(runStatuses),
    total: count,
    counts: z.object({ queued: count, running: count, ...finishedCounts }),
    cost: z.number(),
    budget: z.number().nullable(),
    cancelReason: z.string().nullable(),
    createdAt: timeSchema,
    finishedAt: timeSchema.nullable(),
    elapsedSeconds: z.number().describe('From start to finish, or to now while running'),
  })
  .meta({ id: 'Run' });
/** A run as REST answers show it: cells of the run in each state right now. */
export type Run = z.infer<typeof runSchema>;

/**
 * A run as the change feed sends it: its counters, without the per-state count of live cells
 * (`pending` is total minus the finished counts), and the seq that orders its snapshots.
 */
export const runChangeSchema = runSchema.omit({ counts: true, elapsedSeconds: true }).extend({
  counts: z.object(finishedCounts),
  pending: count,
  seq: z.number(),
});
export type RunChange = z.infer<typeof runChangeSchema>;

/** What a client may hold of a run: the latest REST answer or feed snapshot. */
export type RunSnapshot = Run | RunChange;

export const runParams = z.object({ runId: urlIdSchema });
export const startRunBody = z.object({
  // {filter}: the rows the filter selects now (checked by the engine, which names the field);
  // {view}: the rows a saved view of this table matches now (its filter and search)
  scope: z.union([
    runScopeSchema,
    z.strictObject({ filter: z.unknown() }),
    z.strictObject({ view: idSchema.describe('A view of this table (GET /tables/:id/views)') }),
  ]),
  maxAttempts: z.number().int().min(1).max(20).optional(),
  budget: z.number().positive().nullable().optional(),
});
export type StartRunBody = z.input<typeof startRunBody>;
export const runsQuery = z.object({ status: z.enum(runStatuses).optional() });
export const cellRunBody = z.object({ rowId: idSchema, columnId: idSchema });

/** The headers of a request that starts runs: a retried start answers with the runs the first one started. */
export const startRunHeaders = idempotencyHeaders(
  'the runs the first request started instead of starting more',
);
export type CellRunBody = z.input<typeof cellRunBody>;

export const runReply = z.object({ run: runSchema });
export const runListReply = z.object({ runs: z.array(runSchema) });
export type RunReply = z.infer<typeof runReply>;
export type RunListReply = z.infer<typeof runListReply>;
