import { z } from 'zod';
import { nameLimits } from '../limits';

/** An id in a JSON body: a number, never a string to coerce. */
export const idSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * An id in a URL: plain decimal digits, nothing JavaScript's Number() would also read — `0x2bc`,
 * `700e0`, `0700`, ` 700` and `700.0` all name no table (a 404), so one resource has one URL.
 */
export const urlIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer in plain decimal digits')
  .transform(Number)
  .pipe(idSchema);

/** A point in time as the API writes it. */
export const timeSchema = z.string().describe('ISO 8601, UTC');

/** Values by column: input values in a row, or a row to insert (by column name). */
export const valuesSchema = z.record(z.string(), z.unknown());

/** A table or column name. */
export const nameSchema = z.string().trim().min(1).max(nameLimits.maxNameChars);
