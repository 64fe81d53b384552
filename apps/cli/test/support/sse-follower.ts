import { decodeFeedCell, type FeedFrame } from '@glaze/core';

/** What a resuming event-stream client saw of one table. */
export interface Followed {
  /** Each cell's last status, by cell id. */
  cells: Map<number, string>;
  /** Each run's last status, by run id. */
  runs: Map<number, string>;
  /** `reset` events (the client would have had to reload: a gap). */
  resets: number;
  /** Times the stream was re-opened with Last-Event-ID. */
  reconnects: number;
  /** Event ids that went backwards (must stay 0). */
  outOfOrder: number;
  close(): void;
}

/**
 * Follows `GET …/tables/:id/events` as a browser's EventSource would: when the stream ends or a
 * reconnect is refused (503 while the database is away), it tries again every 250 ms with
 * `Last-Event-ID`, so nothing between two connections may be missed.
 */
export function followTable(url: string, headers: Record<string, string>): Followed {
  const followed: Followed = {
    cells: new Map(),
    runs: new Map(),
    resets: 0,
    reconnects: 0,
    outOfOrder: 0,
    close: () => controller.abort(),
  };
  const controller = new AbortController();
  let lastId: string | undefined;
  const onEvent = (event: string, id: string | undefined, data: string) => {
    if (id !== undefined) {
      if (lastId !== undefined && Number(id) < Number(lastId)) followed.outOfOrder++;
      lastId = id;
    }
    if (event === 'reset') followed.resets++;
    if (event !== 'changes') return;
    const batch = JSON.parse(data) as FeedFrame<'changes'>;
    for (const cell of batch.cells.map(decodeFeedCell)) followed.cells.set(cell.id, cell.status);
    for (const run of batch.runs) followed.runs.set(run.id, run.status);
  };
  void (async () => {
    for (let first = true; !controller.signal.aborted; first = false) {
      if (!first) {
        followed.reconnects++;
        await new Promise((r) => setTimeout(r, 250));
      }
      try {
        const response = await fetch(url, {
          headers: {
            ...headers,
            accept: 'text/event-stream',
            ...(lastId ? { 'last-event-id': lastId } : {}),
          },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) continue;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            let id: string | undefined;
            const data: string[] = [];
            for (const line of block.split('\n')) {
              const colon = line.indexOf(':');
              if (colon <= 0) continue;
              const field = line.slice(0, colon);
              const text = line.slice(colon + 1).replace(/^ /, '');
              if (field === 'event') event = text;
              else if (field === 'id') id = text;
              else if (field === 'data') data.push(text);
            }
            onEvent(event, id, data.join('\n'));
          }
        }
      } catch {
        // dropped or refused: try again (unless closed)
      }
    }
  })();
  return followed;
}
