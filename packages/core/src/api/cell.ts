import { z } from 'zod';
import { cellStatuses } from '../cell';
import { timeSchema, urlIdSchema } from './fields';

/**
 * A value over this many bytes of JSON is left out of listings (row pages, the change feed): one
 * web page read by an \`http\` column is megabytes, and a page of 2,000 of them is more than Postgres
 * holds in one text (1 GB) or a browser wants in one frame.
 */
export const largeValueBytes = 65_536;

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
    largeValueBytes: z
      .number()
      .nullable()
      .describe(
        `Set when this answer leaves the value out because it is over ${largeValueBytes / 1024} KB of JSON (row pages and the change feed do): \`value\` is null and this is its size in bytes. GET /tables/{id}/cells/{cellId} returns the value whole`,
      ),
  })
  .meta({ id: 'Cell' });
/** A cell as a row page shows it (its row and column are the keys around it). */
export type Cell = z.infer<typeof cellSchema>;

/** A cell as the change feed sends it: it names its row and column. */
export const cellChangeSchema = cellSchema.extend({ rowId: z.number(), columnId: z.number() });
export type CellChange = z.infer<typeof cellChangeSchema>;

export const cellParams = z.object({ id: urlIdSchema, cellId: urlIdSchema });
export const cellReply = z.object({ cell: cellChangeSchema });
