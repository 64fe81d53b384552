export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/**
 * A minimal SSE reader over fetch (Node has no EventSource): calls `onEvent` for every event until
 * `close()`; used by the end-to-end and stream benchmarks, which must see exactly what a browser would.
 */
export async function openSse(
  url: string,
  headers: Record<string, string>,
  onEvent: (event: SseEvent) => void,
  /** Told the size of every chunk read off the wire, before decoding. */
  onBytes?: (bytes: number) => void,
): Promise<{ close(): void }> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { ...headers, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (!response.ok || !response.body) throw new Error(`SSE ${url}: HTTP ${response.status}`);
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        onBytes?.(chunk.byteLength);
        out.enqueue(chunk);
      },
    }),
  );
  const reader = counted
    .pipeThrough(new TextDecoderStream() as ReadableWritablePair<string, Uint8Array>)
    .getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event.event = text;
            else if (field === 'id') event.id = text;
            else if (field === 'data') data.push(text);
          }
          event.data = data.join('\n');
          if (data.length > 0 || event.id !== undefined) onEvent(event);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { close: () => controller.abort() };
}
