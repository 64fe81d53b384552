import { z } from 'zod';
import { cellStatuses } from '../cell';
import { timeSchema } from './fields';

export const cellSchema = z
  .object({
    id: z.number(),
    status: z.enum(cellStatuses),
    value: z.unknown(),
    error: z.string().nullable(),
    attempt: z.number(),
    tries: z.number(),
    runId: z.number().nullable(),
    cost: z.number().nullable(),
    meta: z.record(z.string(), z.unknown()).nullable(),
    startedAt: timeSchema.nullable(),
    finishedAt: timeSchema.nullable(),
    seq: z.number().describe('Position in the change feed; a cell with a higher seq is newer'),
  })
  .meta({ id: 'Cell' });
/** A cell as a row page shows it (its row and column are the keys around it). */
export type Cell = z.infer<typeof cellSchema>;

/** A cell as the change feed sends it: it names its row and column. */
export const cellChangeSchema = cellSchema.extend({ rowId: z.number(), columnId: z.number() });
export type CellChange = z.infer<typeof cellChangeSchema>;
