import { DatabaseHealth, silentLogger } from '@glaze/db';
import { expect, it } from 'vitest';
import { ClaimOnStart } from '../src/worker/claim-on-start';
import type { ChunkPayload } from '../src/worker/run-chunk';

/** A ClaimOnStart whose chunk task records its calls and answers `written` for each. */
function claimsWith(written: (chunkId: number) => boolean) {
  const ran: Array<[number, string]> = [];
  const health = new DatabaseHealth({ query: async () => ({ rows: [] }) } as never, silentLogger, {
    name: 'test',
  });
  const claims = new ClaimOnStart({
    url: undefined,
    logger: silentLogger,
    health,
    runChunk: async (payload: ChunkPayload, jobId: string) => {
      ran.push([payload.chunkId, jobId]);
      return written(payload.chunkId);
    },
    expand: async () => undefined,
  });
  // what a run start's NOTIFY hands it (the LISTEN connection is not needed for this)
  const notify = (runId: number, chunkIds: number[]) =>
    (claims as unknown as { notified(payload: string): void }).notified(JSON.stringify({ runId, chunkIds }));
  return { claims, ran, notify, health };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

it('the job of a chunk written on start ends without running it, once: a later job of that chunk runs it', async () => {
  const { claims, ran, notify, health } = claimsWith(() => true);
  notify(7, [31, 32]);
  await settle();
  expect(ran).toEqual([
    [31, 'on start'],
    [32, 'on start'],
  ]);
  await claims.job({ chunkId: 31, runId: 7 }, 'job-1');
  await claims.job({ chunkId: 32, runId: 7 }, 'job-2');
  expect(ran).toHaveLength(2);
  // sent back to the queue since (a reconciler's reopen), with a new job: it runs
  await claims.job({ chunkId: 31, runId: 7 }, 'job-3');
  expect(ran.at(-1)).toEqual([31, 'job-3']);
  health.close();
});

it('the job of a chunk claimed on start but not written (handed back, not claimed) runs it', async () => {
  const { claims, ran, notify, health } = claimsWith(() => false);
  notify(7, [41]);
  await settle();
  await claims.job({ chunkId: 41, runId: 7 }, 'job-1');
  expect(ran).toEqual([
    [41, 'on start'],
    [41, 'job-1'],
  ]);
  health.close();
});
