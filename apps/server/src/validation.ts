import { AppError, findUnsafeInput, unknownKey, zodToAppError } from '@glaze/core';
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
  ({ schema, httpPart }) =>
  (data) => {
    const unsafe = findUnsafeInput(data);
    if (unsafe) return { error: new AppError('validation_failed', unsafe.message, unsafe.path || undefined) };
    if (httpPart === 'body' || httpPart === 'querystring') {
      const unknown = unknownField(schema, data);
      if (unknown) return { error: unknown };
    }
    const parsed = schema.safeParse(data);
    return parsed.success
      ? { value: parsed.data }
      : { error: zodToAppError(parsed.error, undefined, data ?? {}) };
  };

/**
 * A field the route does not take, at the top of a body or a query string: refused, not dropped, so a
 * misspelt option (`maxAttemps`, `?filtr=`) says so instead of leaving the request to run on its
 * defaults. Only for plain objects: a `looseObject` takes anything more on purpose.
 */
function unknownField(schema: z.ZodType, data: unknown): AppError | undefined {
  const unknown = unknownKey(schema, data);
  if (!unknown) return undefined;
  const takes = unknown.known.length === 0 ? 'it takes none' : `it takes: ${unknown.known.join(', ')}`;
  return new AppError('validation_failed', `unknown field; ${takes}`, unknown.key);
}

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
