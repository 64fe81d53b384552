import { z } from 'zod';

/** `stale`: the cell's value was computed from inputs that changed since (see the run scope `stale`). */
export const cellStatuses = [
  'idle',
  'queued',
  'running',
  'done',
  'error',
  'skipped',
  'cancelled',
  'stale',
] as const;
export type CellStatus = (typeof cellStatuses)[number];

/** States a cell reaches at the end of a run. */
export const finalStatuses = ['done', 'error', 'skipped', 'cancelled'] as const;
export type FinalStatus = (typeof finalStatuses)[number];

export const runStatuses = ['running', 'done', 'cancelled'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const runScopeSchema = z.union([
  z.literal('all'),
  z.literal('empty'),
  z.literal('errors'),
  z.literal('stale'),
  z.object({ rowIds: z.array(z.number().int().positive()).min(1).max(100_000) }),
]);
/**
 * Which cells of a column a run covers. `empty`: cells without a value; `errors`: cells that failed;
 * `stale`: cells whose inputs changed after they ran.
 */
export type RunScope = z.infer<typeof runScopeSchema>;

export const columnKinds = ['input', 'enrichment', 'formula'] as const;
export type ColumnKind = (typeof columnKinds)[number];
