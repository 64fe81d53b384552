import { z } from 'zod';

/**
 * The headers of a request that may be retried safely with an `Idempotency-Key`: sent again with the
 * same request (after a 503, a timeout or a dropped connection), it answers with what the first one
 * did, marked `Idempotent-Replayed: true`, instead of doing it twice. A key is 1 to 255 visible ASCII
 * characters (a UUID, say), bare or as a quoted string. `replays` says what a retry answers with.
 */
export function idempotencyHeaders(replays: string) {
  return z.looseObject({
    'idempotency-key': z
      .string()
      .regex(
        /^(?:"[\x20-\x21\x23-\x5b\x5d-\x7e]{1,255}"|[\x21\x23-\x7e]{1,255})$/,
        'must be 1 to 255 visible ASCII characters (a UUID, say), bare or in double quotes',
      )
      .optional()
      .describe(
        `Sent again with the same request (a retry after a 503 or a dropped connection), answers with ${replays}, with \`Idempotent-Replayed: true\`; with another request, 422 \`idempotency_key_reused\``,
      ),
  });
}
