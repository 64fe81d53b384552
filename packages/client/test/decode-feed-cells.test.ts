import { type CellChange, feedCellFields as coreFields, encodeFeedCell } from '@glaze/core';
import { expect, it } from 'vitest';
import { feedCellFields } from '../src/generated/feed-cell-fields';
import { createGlazeClient, type FeedFrames } from '../src/index';

/**
 * The stream sends cells as arrays in core's order; subscribe() hands them on as objects. A stand-in
 * server (a fetch answering one scripted stream) sends cells core encoded.
 */
const cell: CellChange = {
  id: 31,
  rowId: 4,
  columnId: 9,
  status: 'done',
  value: { company: 'Acme', employees: 12 },
  error: null,
  attempt: 1,
  tries: 2,
  runId: 5,
  cost: 0.002,
  meta: { provider: 'mock' },
  startedAt: '2026-12-01T07:31:34.120Z',
  finishedAt: '2026-12-01T07:31:34.456Z',
  seq: 812,
  largeValueBytes: null,
};
const running: CellChange = {
  ...cell,
  id: 32,
  rowId: 5,
  status: 'running',
  value: null,
  finishedAt: null,
  seq: 813,
};

it("the client's generated field order is core's", () => {
  expect([...feedCellFields]).toEqual([...coreFields]);
});

it('subscribe() decodes the cells of `changes` and `progress` frames', async () => {
  const frames = [
    'event: ready\ndata: {"tableId":7,"seq":800}',
    `event: progress\ndata: ${JSON.stringify({ runs: [], cells: [encodeFeedCell(running)] })}`,
    `id: 812\nevent: changes\ndata: ${JSON.stringify({ cells: [encodeFeedCell(cell)], runs: [], rows: [] })}`,
  ];
  const stop = new AbortController();
  const glaze = createGlazeClient({
    baseUrl: 'http://glaze.test',
    fetch: async () =>
      new Response(new Blob(frames.map((frame) => `${frame}\n\n`)).stream(), {
        headers: { 'content-type': 'text/event-stream' },
      }),
  });
  const changes: FeedFrames['changes'][] = [];
  const progress: FeedFrames['progress'][] = [];
  await glaze.subscribe(7, {
    signal: stop.signal,
    onChanges: (batch) => {
      changes.push(batch);
      stop.abort();
    },
    onEvent: (event) => {
      if (event.event === 'progress') progress.push(event.data);
    },
  });
  expect(progress).toEqual([{ runs: [], cells: [running] }]);
  expect(changes).toEqual([{ cells: [cell], runs: [], rows: [] }]);
});
