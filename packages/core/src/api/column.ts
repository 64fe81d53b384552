import { z } from 'zod';
import { columnKinds } from '../cell';
import { idSchema, nameSchema, urlIdSchema } from './fields';
import { idempotencyHeaders } from './idempotency';

export const columnSchema = z
  .object({
    id: z.number(),
    tableId: z.number(),
    name: z.string(),
    kind: z.enum(columnKinds),
    provider: z.string().nullable(),
    config: z.record(z.string(), z.unknown()),
    position: z.number(),
  })
  .meta({ id: 'Column' });
export type Column = z.infer<typeof columnSchema>;

export const columnParams = z.object({ id: urlIdSchema, columnId: urlIdSchema });

const providerId = z.string().min(1).max(100);
export const createColumnBody = z.object({
  name: nameSchema,
  kind: z.enum(['input', 'enrichment']),
  provider: providerId.optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export type CreateColumnBody = z.input<typeof createColumnBody>;
/** The headers of POST /tables/:id/columns: a retry answers with the column the first one added. */
export const createColumnHeaders = idempotencyHeaders(
  'the column the first request added (as it is now) instead of a 409 for its name',
);
export const updateColumnBody = z
  .object({
    name: nameSchema.optional(),
    provider: providerId.optional(),
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one of name, provider, config');
export type UpdateColumnBody = z.input<typeof updateColumnBody>;
export const reorderColumnsBody = z.object({ columnIds: z.array(idSchema).min(1).max(1000) });

export const columnReply = z.object({ column: columnSchema });
export const columnListReply = z.object({ columns: z.array(columnSchema) });
export type ColumnReply = z.infer<typeof columnReply>;

/** A column config not saved yet, tried on the table's first rows ("preview" in the column form). */
export const previewColumnBody = z.object({
  provider: providerId,
  config: z.record(z.string(), z.unknown()).optional(),
  /** The column being edited, if any: its own stored values are not read back as inputs. */
  columnId: idSchema.optional(),
});
export type PreviewColumnBody = z.input<typeof previewColumnBody>;

export const previewCellSchema = z
  .object({
    rowId: z.number(),
    status: z.enum(['done', 'error', 'skipped']),
    value: z.unknown().describe('The value the cell would hold (null when none)'),
    error: z.string().nullable(),
    ms: z.number().describe('How long the call took'),
  })
  .meta({ id: 'PreviewCell' });
export type PreviewCell = z.infer<typeof previewCellSchema>;
export const previewColumnReply = z.object({ cells: z.array(previewCellSchema) });
export type PreviewColumnReply = z.infer<typeof previewColumnReply>;
