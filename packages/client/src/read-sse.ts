/** One Server-Sent Event: its name, its `id:` if it had one, its `data:` lines joined. */
export interface SseMessage {
  event: string;
  id?: string;
  data: string;
}

/** CRLF, LF or CR; a CR that ends the buffer waits for the next chunk, which may start with its LF. */
const lineEnd = /\r\n|\r(?!$)|\n/;

/**
 * The events of a `text/event-stream` body, as the SSE spec parses them: `field: value` lines,
 * a blank line ends an event, `:` lines are comments (the server's heartbeats). Works on any
 * fetch body (Node 20's and browsers'), which EventSource cannot: it sends no Authorization header.
 * `signal` ends the read itself: fetch does not always carry an abort to a body being read (Node's
 * undici follows a Request's signal through a WeakRef, so once the Request is garbage-collected the
 * abort is lost and the read waits until the server hangs up).
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const stop = () => void reader.cancel(signal?.reason).catch(() => {});
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  const decoder = new TextDecoder();
  let buffer = '';
  let message: { event?: string; id?: string; data: string[] } = { data: [] };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.search(lineEnd);
      while (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
        end = buffer.search(lineEnd);
        if (line === '') {
          if (message.data.length > 0)
            yield { event: message.event ?? 'message', id: message.id, data: message.data.join('\n') };
          message = { data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') message.event = value;
        else if (field === 'id') message.id = value;
        else if (field === 'data') message.data.push(value);
      }
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    reader.releaseLock();
    await body.cancel().catch(() => {});
  }
}
