import { describe, expect, it } from 'vitest';
import { readSse, type SseMessage } from '../src/read-sse';

/** A body delivered in the given chunks, as a socket may cut it anywhere. */
function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function read(stream: ReadableStream<Uint8Array>): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const message of readSse(stream)) messages.push(message);
  return messages;
}

describe('readSse', () => {
  it('reads events cut anywhere, skips heartbeats, joins data lines, keeps ids', async () => {
    const messages = await read(
      body(
        ': ping\n\nevent: rea',
        'dy\nid: 4\ndata: {"seq":4}\n',
        '\nevent: changes\r',
        '\nid: 9\r\ndata: a\ndata: b\n\n',
      ),
    );
    expect(messages).toEqual([
      { event: 'ready', id: '4', data: '{"seq":4}' },
      { event: 'changes', id: '9', data: 'a\nb' },
    ]);
  });

  it('drops an event the stream ended before finishing', async () => {
    expect(await read(body('event: changes\nid: 3\ndata: {}\n\nevent: changes\nid: 5\ndata: {'))).toEqual([
      { event: 'changes', id: '3', data: '{}' },
    ]);
  });

  it('ends when its signal aborts, though the body never ends (fetch may not pass the abort on)', async () => {
    const stop = new AbortController();
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('event: ready\ndata: {}\n\n'));
      },
    });
    const seen: string[] = [];
    for await (const message of readSse(endless, stop.signal)) {
      seen.push(message.event);
      stop.abort();
    }
    expect(seen).toEqual(['ready']);
  });
});
