import type { Hash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { AppError } from '@glaze/core';
import type { FastifyRequest } from 'fastify';

/**
 * Runs `use` on the request's CSV body, counting bytes against the limit (and feeding them to `hash`
 * when given); on failure stops reading.
 */
export async function withBody<T>(
  request: FastifyRequest,
  limit: number,
  use: (stream: Readable) => Promise<T>,
  hash?: Hash,
): Promise<T> {
  const body = request.body as Readable | undefined;
  if (!body || typeof body.pipe !== 'function') {
    throw new AppError(
      'unsupported_media_type',
      'send the CSV as the request body with Content-Type: text/csv',
    );
  }
  const declared = Number(request.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      hash?.update(chunk);
      callback(seen > limit ? tooLarge(limit) : null, chunk);
    },
  });
  body.on('error', (error) => counted.destroy(error));
  try {
    return await use(body.pipe(counted));
  } catch (error) {
    // Stop reading a body we gave up on; the client sees the error, not a stalled upload.
    body.unpipe(counted);
    body.resume();
    throw error;
  }
}

function tooLarge(limit: number): AppError {
  return new AppError(
    'payload_too_large',
    `the CSV is larger than the ${limit}-byte limit (GLAZE_CSV_LIMIT)`,
  );
}
