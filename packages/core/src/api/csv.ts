import { z } from 'zod';
import { nameSchema } from './fields';
import { idempotencyHeaders } from './idempotency';
import { rowsQuery } from './row';
import { tableSchema } from './table';

export const importQuery = z.object({ name: nameSchema });
/** The headers of an import: a retried import answers with what the first one imported. */
export const importHeaders = idempotencyHeaders(
  "the first request's answer (its table, its counts) instead of importing the CSV again; the CSV must be the same bytes",
);
export const exportQuery = z
  .object({
    excel: z
      .enum(['true', 'false'])
      .default('false')
      .describe(
        '`true` writes the file for Excel: a UTF-8 byte-order mark first (without it Excel reads the file in the local code page and mangles accented names) and CRLF line ends. Values are the same either way.',
      ),
    raw: z
      .enum(['true', 'false'])
      .default('false')
      .describe(
        "`true` writes every field as stored. By default a field or header that starts with = + - @ (after any spaces), tab, CR or LF gets a leading ' so a spreadsheet shows it as text instead of running it as a formula; plain numbers such as -12.5 are left alone. Raw output is for programs, not spreadsheets: a value like =HYPERLINK(…) becomes a live formula when the file is opened.",
      ),
  })
  .extend({
    // The filter language of GET /tables/:id/rows, spelled the same way: one definition.
    ...rowsQuery.pick({ filter: true, sort: true, q: true }).shape,
  });
/** POST /tables/import: the new table and how many rows it got. */
export const importReply = z.object({ table: tableSchema, rows: z.number() });
export type ImportReply = z.infer<typeof importReply>;
export const appendQuery = z.object({
  key: nameSchema
    .optional()
    .describe(
      'Upsert by this input column (it must be in the CSV): a line whose value there a row already holds updates that row (the columns the file has; others keep theirs), other lines are appended. Cells computed from a changed input become `stale`; run them with scope `stale`.',
    ),
});
/** POST /tables/:id/import: how many rows were appended, and with `key` what the upsert did. */
export const appendReply = z.object({
  rows: z.number().describe('rows appended'),
  inserted: z.number().optional().describe('with key: rows appended (same as rows)'),
  updated: z.number().optional().describe('with key: rows whose values changed'),
  unchanged: z.number().optional().describe('with key: rows matched whose values were already those'),
  stale: z.number().optional().describe('with key: cells marked stale'),
});
export type AppendReply = z.infer<typeof appendReply>;
