import { z } from 'zod';
import { nameLimits } from '../limits';
import { columnSchema } from './column';
import { nameSchema, timeSchema, urlIdSchema } from './fields';
import { idempotencyHeaders } from './idempotency';

export const tableSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    rowCount: z.number(),
    createdAt: timeSchema,
    updatedAt: timeSchema,
  })
  .meta({ id: 'Table' });
/** A table as lists show it. */
export type Table = z.infer<typeof tableSchema>;

export const tableParams = z.object({ id: urlIdSchema });

export const createTableBody = z.object({
  name: nameSchema,
  columns: z.array(nameSchema).max(nameLimits.maxColumns).optional(),
});
/** The headers of POST /tables: a retried creation answers with the table the first one created. */
export const createTableHeaders = idempotencyHeaders(
  'the table the first request created (as it is now) instead of creating a second',
);
export const renameTableBody = z.object({ name: nameSchema });

export const tableReply = z.object({ table: tableSchema });
export const tableListReply = z.object({ tables: z.array(tableSchema) });
/** GET /tables/:id: the table with its columns in display order. */
export const tableDetailReply = z.object({ table: tableSchema, columns: z.array(columnSchema) });
export type TableReply = z.infer<typeof tableReply>;
export type TableListReply = z.infer<typeof tableListReply>;
export type TableDetailReply = z.infer<typeof tableDetailReply>;
