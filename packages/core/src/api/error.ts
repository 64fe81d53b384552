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
  '`database_unavailable`: the database cannot be reached, or cannot take writes (its disk full, read-only), right now; the message says which. `server_busy`: the server holds as many connections as its open-file limit leaves room for (an event stream beyond its cap, or any request while it has no file descriptor free). Either way retry after `Retry-After` seconds',
);

const timeoutSchema = errorSchema.describe(
  "`database_timeout`: the database cancelled a statement at a `statement_timeout` set on it or on Glaze's role; retrying will not help: lift the timeout for Glaze's role",
);

/** A route that takes an `Idempotency-Key` answers 422 when the key was sent before with another request. */
export const keyReusedSchema = errorSchema.describe(
  '`idempotency_key_reused`: the `Idempotency-Key` was sent before with another request; send a new key for a new request',
);

/**
 * Responses every authenticated route may give besides its own: the client's mistakes, a 503 while
 * the database cannot be reached or take writes (even a token is looked up in it) or the server is
 * out of file descriptors, and a 504 when a
 * `statement_timeout` the database sets cancels a statement.
 */
export const routeErrors = {
  400: errorSchema,
  401: errorSchema,
  404: errorSchema,
  503: unavailableSchema,
  504: timeoutSchema,
};
