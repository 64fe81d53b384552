import { z } from 'zod';
import { rowQuerySchema } from '../query/row-query';
import { idSchema, nameSchema, timeSchema, urlIdSchema } from './fields';

/**
 * What a view selects and in which order: the filter, sort and search of `GET /tables/:id/rows`,
 * in their JSON form (docs/API.md, "Filter, sort, search"). Column references are checked against
 * the table when the view is saved and stored as ids, so a rename keeps the view.
 */
export const viewQuerySchema = rowQuerySchema.pick({ filter: true, sort: true, q: true });
export type ViewQuery = z.output<typeof viewQuerySchema>;
export type ViewQueryInput = z.input<typeof viewQuerySchema>;

/** Column ids a view hides in the grid (at most 1,000, as many as a table's columns). */
const hiddenColumnIds = z.array(idSchema).max(1000, 'must have at most 1000 ids');

export const viewSchema = z
  .object({
    id: z.number(),
    tableId: z.number(),
    name: z.string(),
    query: viewQuerySchema,
    hiddenColumnIds: z
      .array(z.number())
      .describe('Columns the view hides (ids of columns since deleted are left out)'),
    createdAt: timeSchema,
    updatedAt: timeSchema,
  })
  .meta({ id: 'View' });
/** A saved view of a table: a name, a row query and the columns it hides. */
export type View = z.infer<typeof viewSchema>;

export const viewParams = z.object({ id: urlIdSchema, viewId: urlIdSchema });

export const createViewBody = z.object({
  name: nameSchema,
  query: viewQuerySchema.optional().describe('Filter, sort and search; none: every row in table order'),
  hiddenColumnIds: hiddenColumnIds.optional(),
});
export type CreateViewBody = z.input<typeof createViewBody>;
export const updateViewBody = z
  .object({
    name: nameSchema.optional(),
    query: viewQuerySchema.optional(),
    hiddenColumnIds: hiddenColumnIds.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one of name, query, hiddenColumnIds');
export type UpdateViewBody = z.input<typeof updateViewBody>;

export const viewReply = z.object({ view: viewSchema });
export const viewListReply = z.object({ views: z.array(viewSchema) });
export type ViewReply = z.infer<typeof viewReply>;
export type ViewListReply = z.infer<typeof viewListReply>;
