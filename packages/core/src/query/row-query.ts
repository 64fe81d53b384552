import { z } from 'zod';
import { type Filter, filterSchema } from './filter';
import { type Sort, sortSchema } from './sort';

/** What a page of rows asks for: which rows (filter, search), in which order, from where. */
export const rowQuerySchema = z.strictObject({
  filter: filterSchema.optional(),
  sort: sortSchema.optional(),
  /** Searched for in every input value, ignoring case and accents. */
  q: z.string().max(200, 'must be at most 200 characters').optional(),
  offset: z.number().int().min(0).max(100_000_000).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type RowQuery = { filter?: Filter; sort?: Sort; q?: string; offset: number; limit: number };
export type RowQueryInput = z.input<typeof rowQuerySchema>;

/** True when the query narrows or reorders the rows (else the plain (position, id) pages serve it). */
export function isPlainQuery(query: Omit<RowQuery, 'offset' | 'limit'>): boolean {
  return !query.filter && !query.sort && !query.q;
}
