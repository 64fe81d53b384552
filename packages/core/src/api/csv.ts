import { z } from 'zod';
import { nameSchema } from './fields';
import { tableSchema } from './table';

export const importQuery = z.object({ name: nameSchema });
export const exportQuery = z.object({
  raw: z
    .enum(['true', 'false'])
    .default('false')
    .describe(
      "`true` writes every field as stored. By default a field or header that starts with = + - @ (after any spaces), tab, CR or LF gets a leading ' so a spreadsheet shows it as text instead of running it as a formula; plain numbers such as -12.5 are left alone. Raw output is for programs, not spreadsheets: a value like =HYPERLINK(…) becomes a live formula when the file is opened.",
    ),
});
/** POST /tables/import: the new table and how many rows it got. */
export const importReply = z.object({ table: tableSchema, rows: z.number() });
export type ImportReply = z.infer<typeof importReply>;
/** POST /tables/:id/import: how many rows were appended. */
export const appendReply = z.object({ rows: z.number() });
export type AppendReply = z.infer<typeof appendReply>;
