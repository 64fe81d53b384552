import { describe, expect, it } from 'vitest';
import { createGlazeClient } from '../src/index';

/**
 * How subscribe() waits between connections, against a stand-in server (a fetch that answers each
 * request with the next scripted stream): a backoff function gets the number of failures in a row,
 * a stream that reached `ready` starts the count again, and the fresh stream after a `reset` is
 * opened at once. The real server's drops are in subscribe-resume.test.ts.
 */
const sse = (...frames: string[]) =>
  new Response(new Blob(frames.map((frame) => `${frame}\n\n`)).stream(), {
    headers: { 'content-type': 'text/event-stream' },
  });
const ready = (seq: number) => `event: ready\ndata: {"tableId":7,"seq":${seq}}`;
const unavailable = () =>
  new Response('{"error":{"code":"unavailable","message":"database away"}}', { status: 503 });

function scripted(answers: (() => Response)[]) {
  const requests: { at: number; lastEventId: string | null; credentials: RequestCredentials }[] = [];
  const started = Date.now();
  const stop = new AbortController();
  const glaze = createGlazeClient({
    baseUrl: 'http://glaze.test',
    credentials: 'include',
    fetch: async (request) => {
      requests.push({
        at: Date.now() - started,
        lastEventId: request.headers.get('last-event-id'),
        credentials: request.credentials,
      });
      const answer = answers.shift();
      if (!answer) stop.abort();
      return answer ? answer() : unavailable();
    },
  });
  return { glaze, requests, stop };
}

describe('subscribe() retries', () => {
  it('asks the backoff function with the failures in a row, and starts again after a ready', async () => {
    const { glaze, requests, stop } = scripted([
      unavailable,
      unavailable,
      () => sse(ready(5), 'id: 6\nevent: changes\ndata: {"cells":[],"runs":[],"rows":[]}'),
      unavailable,
    ]);
    const asked: number[] = [];
    await glaze.subscribe(7, {
      signal: stop.signal,
      onChanges: () => {},
      retryMs: (failures) => {
        asked.push(failures);
        return 10;
      },
    });
    expect(asked).toEqual([0, 1, 2, 0, 1]);
    expect(requests.map((r) => r.lastEventId)).toEqual([null, null, null, '6', '6']);
    expect(requests.every((r) => r.credentials === 'include')).toBe(true);
  });

  it('opens the fresh stream at once after a reset, without Last-Event-ID', async () => {
    const changes = 'id: 9\nevent: changes\ndata: {"cells":[],"runs":[],"rows":[]}';
    const { glaze, requests, stop } = scripted([
      () => sse(ready(5), changes, 'event: reset\ndata: {"reason":"slow"}'),
      () => sse(ready(40)),
    ]);
    const disconnects: unknown[] = [];
    await glaze.subscribe(7, {
      signal: stop.signal,
      onChanges: () => {},
      onEvent: (event) => {
        if (event.event === 'ready' && event.data.seq === 40) stop.abort();
      },
      onDisconnect: (error) => disconnects.push(error),
      retryMs: 5_000,
    });
    expect(requests.map((r) => r.lastEventId)).toEqual([null, null]);
    expect(requests[1]?.at).toBeLessThan(1_000);
    expect(disconnects).toEqual([]);
  });
});
