import { AppError, findUnsafeInput, zodToAppError } from '@glaze/core';
import type { FastifyRequest } from 'fastify';
import type { FastifySchemaCompiler } from 'fastify/types/schema';
import type { z } from 'zod';

/**
 * Validates a request part with its zod schema; a failure is an AppError naming the field
 * (`rows[2].id: Row 3 ID must be a number`), which the error handler turns into a 400 (a 404 for URL ids).
 * Before the schema, every part (body, query, params, headers) is checked for what no field may
 * hold: U+0000 and lone surrogates (Postgres text and jsonb refuse the first, UTF-8 cannot carry
 * the second) and nesting deeper than 64 levels (zod and JSON.stringify recurse, and 5,000 levels
 * overflow the stack).
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const unsafe = findUnsafeInput(data);
    if (unsafe) return { error: new AppError('validation_failed', unsafe.message, unsafe.path || undefined) };
    const parsed = schema.safeParse(data);
    return parsed.success
      ? { value: parsed.data }
      : { error: zodToAppError(parsed.error, undefined, data ?? {}) };
  };

/** JSON bodies: an empty body is no body (a POST with nothing to say), invalid JSON a 400 naming the place. */
export function jsonParser(
  _request: FastifyRequest,
  body: string | Buffer,
  done: (error: Error | null, value?: unknown) => void,
) {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') return done(null, undefined);
  try {
    done(null, JSON.parse(text));
  } catch (error) {
    done(new AppError('invalid_json', `the body is not valid JSON: ${(error as Error).message}`));
  }
}
