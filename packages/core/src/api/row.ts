import { z } from 'zod';
import { cellSchema } from './cell';
import { idSchema, valuesSchema } from './fields';
import { idempotencyHeaders } from './idempotency';

export const rowSchema = z
  .object({
    id: z.number(),
    position: z.number(),
    values: valuesSchema.describe('Input values by column id'),
    cells: z.record(z.string(), cellSchema).describe('Enrichment cells by column id'),
  })
  .meta({ id: 'Row' });
export type Row = z.infer<typeof rowSchema>;

/** A row as the change feed sends it: new input values, no cells (those come as cell changes). */
export const rowChangeSchema = rowSchema.omit({ cells: true }).extend({ seq: z.number() });
export type RowChange = z.infer<typeof rowChangeSchema>;

export const rowsQuery = z.object({
  limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, 'must be an integer from 1 to 1000')
    .default('100')
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000)),
  cursor: z.string().max(200).optional(),
  filter: z
    .string()
    .max(20_000)
    .optional()
    .describe('The filter language as JSON (docs/API.md, "Filter, sort, search")'),
  sort: z.string().max(400).optional().describe('`Column[:asc|desc][:text|number|date]`, or JSON'),
  q: z.string().max(200).optional().describe('Searched for in every input value, ignoring case and accents'),
  offset: z
    .string()
    .regex(/^[0-9]{1,9}$/, 'must be an integer from 0 to 999999999')
    .transform(Number)
    .optional(),
  count: z.enum(['true', 'false']).optional().describe('`true`: also count the matching rows'),
});
/** How many rows a filter or search matches. */
const matchCountSchema = z
  .object({ count: z.number().int(), exact: z.boolean() })
  .describe('Exact when counting takes at most 150 ms, else estimated from a sample spread over the table')
  .meta({ id: 'MatchCount' });
const indexingSchema = z
  .array(z.string())
  .describe('Indexes this query will use once built; until then it scans');
/** A page of rows by filter, sort, search or offset (GET /tables/:id/rows with any of those). */
export const rowQueryPage = z
  .object({
    rows: z.array(rowSchema),
    offset: z.number().int(),
    matched: matchCountSchema.optional().describe('With `count=true`: how many rows match'),
    indexing: indexingSchema,
  })
  .meta({ id: 'RowQueryPage' });
export type RowQueryPage = z.infer<typeof rowQueryPage>;
/** GET /tables/:id/rows/count: the filter and search of a row query (its sort changes no count). */
export const countRowsQuery = rowsQuery.pick({ filter: true, q: true });
/** How many rows match, asked on its own: a grid shows its first page without waiting for it. */
export const rowCountReply = z
  .object({ matched: matchCountSchema, indexing: indexingSchema })
  .meta({ id: 'RowCount' });
export type RowCount = z.infer<typeof rowCountReply>;
/** A page of rows; pass `nextCursor` back as `cursor` for the next one (null after the last). */
export const rowPageReply = z.object({ rows: z.array(rowSchema), nextCursor: z.string().nullable() });
export type RowPage = z.infer<typeof rowPageReply>;

export const insertRowsBody = z.object({ rows: z.array(valuesSchema).min(1).max(10_000) });
/** The headers of an append of rows: a retried append answers with the rows the first one added. */
export const insertRowsHeaders = idempotencyHeaders(
  'the ids of the rows the first request appended instead of appending them again',
);
export const updateRowsBody = z.object({
  rows: z
    .array(z.object({ id: idSchema, values: valuesSchema }))
    .min(1)
    .max(10_000),
});
export const deleteRowsBody = z.object({ ids: z.array(idSchema).min(1).max(100_000) });
/** Rows deleted in the last 24 hours, by id: they come back with their cells. */
export const restoreRowsBody = z.object({ ids: z.array(idSchema).min(1).max(100_000) });
export type InsertRowsBody = z.input<typeof insertRowsBody>;
export type UpdateRowsBody = z.input<typeof updateRowsBody>;
export type DeleteRowsBody = z.input<typeof deleteRowsBody>;
export type RestoreRowsBody = z.input<typeof restoreRowsBody>;

export const insertedRowsReply = z.object({ ids: z.array(z.number()) });
export const updatedRowsReply = z.object({ updated: z.number() });
export const deletedRowsReply = z.object({ deleted: z.number() });
export const restoredRowsReply = z.object({
  restored: z.number().describe('Rows that came back; ids not in the trash are skipped'),
});
