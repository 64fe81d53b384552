import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  assertSameImport,
  findKeyedImport,
  type ImportAnswer,
  type ImportedCsv,
  type ImportIdempotency,
  lostImportKeyRace,
} from '@glaze/engine';
import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import { idempotencyKeyOf } from '../idempotency';
import { withBody } from './csv-body';

/** An import done now (`imported`), or the answer of the one an earlier request with its key did. */
export type KeyedImport =
  | { imported: ImportedCsv; replayed: false }
  | { answer: ImportAnswer; replayed: true };

/**
 * Runs `run` on the request's CSV at most once per `Idempotency-Key` in the workspace: a retry of an
 * import whose answer was lost (a 503 although it committed, a dropped connection) is answered with
 * the first import's answer instead of a second table or a second copy of the rows. The request's
 * hash covers its route, path, query and the CSV's bytes; a retry reads its body to compare them
 * (422 `idempotency_key_reused` when they differ) and imports nothing. Without a key, `run` alone.
 */
export async function keyedImport(
  ctx: ServerContext,
  request: FastifyRequest,
  workspaceId: number,
  run: (stream: Readable, idempotency?: ImportIdempotency) => Promise<ImportedCsv>,
): Promise<KeyedImport> {
  const key = idempotencyKeyOf(request);
  if (key === undefined) {
    return { imported: await withBody(request, ctx.csvLimit, (stream) => run(stream)), replayed: false };
  }
  const route = JSON.stringify([request.method, request.routeOptions.url, request.params, request.query]);
  const bytes = createHash('sha256');
  let hashed: string | undefined;
  // called once the body has been read whole
  const requestHash = () => {
    hashed ??= createHash('sha256').update(route).update(bytes.digest()).digest('base64url');
    return hashed;
  };
  const earlier = await findKeyedImport(ctx.pool, workspaceId, key);
  if (earlier) {
    await withBody(request, ctx.csvLimit, drain, bytes);
    assertSameImport(earlier, requestHash());
    return { answer: earlier.answer, replayed: true };
  }
  try {
    const imported = await withBody(
      request,
      ctx.csvLimit,
      (stream) => run(stream, { key, request: requestHash }),
      bytes,
    );
    return { imported, replayed: false };
  } catch (error) {
    if (!lostImportKeyRace(error)) throw error;
    // another import with this key committed first: this one's table and rows rolled back
    const won = await findKeyedImport(ctx.pool, workspaceId, key);
    if (!won) throw error;
    assertSameImport(won, requestHash());
    return { answer: won.answer, replayed: true };
  }
}

/** Reads a stream to its end, keeping nothing. */
async function drain(stream: Readable): Promise<void> {
  for await (const _chunk of stream);
}
