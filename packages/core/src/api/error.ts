import { z } from 'zod';

/** The one error body: every 4xx and 5xx answer has this shape. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe('Stable code: validation_failed, not_found, unauthorized, payload_too_large…'),
      message: z.string(),
      path: z.string().nullable().describe('The offending field, e.g. `config.url`'),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof errorSchema>;

const unavailableSchema = errorSchema.describe(
  '`database_unavailable`: the database cannot be reached right now; retry after `Retry-After` seconds',
);

/**
 * Responses every authenticated route may give besides its own: the client's mistakes, and a 503
 * while the database cannot be reached (even a token is looked up in it).
 */
export const routeErrors = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 503: unavailableSchema };
