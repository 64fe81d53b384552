import { z } from 'zod';
import { cellStatuses } from '../cell';

/**
 * A column as a query names it: its id, or its name (`"Email"`), or an enrichment column's name with a
 * path into its value (`"Email check.valid"`). Names are resolved to ids before any SQL is written.
 */
export const columnRefSchema = z.union([
  z.number().int().positive(),
  z.string().min(1, 'must name a column').max(300, 'must be at most 300 characters'),
]);
export type ColumnRef = z.infer<typeof columnRefSchema>;

/** A path into an enrichment value: `["valid"]`, `["contacts", "0", "email"]`. */
export const valuePathSchema = z
  .array(z.string().regex(/^[A-Za-z0-9_ -]{1,64}$/, 'must be 1 to 64 letters, digits, spaces, "_" or "-"'))
  .max(8, 'must have at most 8 parts');

const ref = { column: columnRefSchema, path: valuePathSchema.optional() };
const text = z.string().max(1000, 'must be at most 1000 characters');

/** One condition on one column. Text comparisons `contains` and `startsWith` ignore case and accents. */
export const conditionSchema = z.discriminatedUnion('op', [
  z.strictObject({ ...ref, op: z.enum(['eq', 'neq']), value: z.union([text, z.number(), z.boolean()]) }),
  z.strictObject({ ...ref, op: z.enum(['contains', 'startsWith']), value: text.min(1, 'must not be empty') }),
  z.strictObject({ ...ref, op: z.enum(['empty', 'notEmpty']) }),
  /** Numeric comparisons: values that do not read as numbers (`n/a`) never match. */
  z.strictObject({ ...ref, op: z.enum(['lt', 'lte', 'gt', 'gte']), value: z.number() }),
  /** Date comparisons on ISO 8601 values (UTC when no offset); other values never match. */
  z.strictObject({
    ...ref,
    op: z.enum(['before', 'after']),
    value: z
      .string()
      .regex(/^\d{4}-\d\d-\d\d([T ][0-9:.]+)?(Z|[+-]\d\d(:?\d\d)?)?$/, 'must be an ISO 8601 date'),
  }),
  /** An enrichment cell's status (`idle` also matches rows the column never ran on). */
  z.strictObject({
    column: columnRefSchema,
    op: z.literal('status'),
    value: z.array(z.enum(cellStatuses)).min(1),
  }),
]);
export type Condition = z.infer<typeof conditionSchema>;

export type Filter = Condition | { and: Filter[] } | { or: Filter[] } | { not: Filter };

const andSchema = z.strictObject({
  and: z
    .array(z.lazy(() => filterSchema))
    .min(1)
    .max(100),
});
const orSchema = z.strictObject({
  or: z
    .array(z.lazy(() => filterSchema))
    .min(1)
    .max(100),
});
const notSchema = z.strictObject({ not: z.lazy(() => filterSchema) });

/**
 * The filter language: conditions combined with `and`, `or` and `not`. The branch is chosen by the
 * object's key (a plain union would answer "Invalid input" for any mistake), so an error names the
 * field: `filter.and[1].value: expected number`.
 * @example { and: [{ column: 'Email check', op: 'status', value: ['error'] }, { column: 'City', op: 'contains', value: 'zur' }] }
 */
export const filterSchema: z.ZodType<Filter> = z.unknown().superRefine((value, ctx) => {
  const keys = value !== null && typeof value === 'object' ? Object.keys(value) : [];
  const schema = keys.includes('and')
    ? andSchema
    : keys.includes('or')
      ? orSchema
      : keys.includes('not')
        ? notSchema
        : conditionSchema;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: undefined } as never);
  }
}) as unknown as z.ZodType<Filter>;
