import { z } from 'zod';
import { columnRefSchema, valuePathSchema } from './filter';

/**
 * One sort key. `as` says how values compare: input values are text unless `number` or `date` is
 * asked; enrichment values compare as JSON (numbers as numbers, then booleans) unless told. Values
 * that are missing, or do not read as the `as` type, come last in both directions; ties go by row id.
 */
export const sortSchema = z.strictObject({
  column: columnRefSchema,
  path: valuePathSchema.optional(),
  direction: z.enum(['asc', 'desc']).default('asc'),
  as: z.enum(['text', 'number', 'date']).optional(),
});
export type Sort = z.infer<typeof sortSchema>;
export type SortInput = z.input<typeof sortSchema>;
