import type { ServerResponse } from 'node:http';
import type { FeedEventName, FeedFrame } from '@glaze/core';
import type { StreamMetrics } from '@glaze/engine';

export interface SseOptions {
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  heartbeatMs: number;
  /** Bytes a client may leave unread before it is reset: a slow client must not hold memory. */
  maxBufferBytes: number;
  /** How long a paced writer waits for a slow client to read before giving up. */
  drainTimeoutMs?: number;
  /** Counts open streams and bytes sent (GLAZE_METRICS_PORT). */
  metrics?: StreamMetrics;
}

/**
 * One Server-Sent Events frame, its data the shape core's `feedFrames` gives that event. JSON never
 * contains a raw newline, so data fits on one line.
 */
export function sseFrame<N extends FeedEventName>(event: N, data: FeedFrame<N>, id?: number): string {
  return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}

/**
 * The write side of one SSE connection: headers that stop proxies from buffering, heartbeats,
 * and a bound on what may sit unread in the socket's buffer.
 */
export class SseStream {
  private readonly heartbeat: NodeJS.Timeout;
  private ended = false;

  constructor(
    private readonly raw: ServerResponse,
    private readonly options: SseOptions,
    headers: Record<string, string> = {},
  ) {
    raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 2000\n\n');
    options.metrics?.opened();
    this.heartbeat = setInterval(() => {
      if (!this.behind) raw.write(': ping\n\n');
    }, options.heartbeatMs);
    this.heartbeat.unref();
    raw.on('close', () => this.stop());
  }

  get closed(): boolean {
    return this.ended || this.raw.destroyed || this.raw.writableEnded;
  }

  /** More is buffered than the client may leave unread. */
  get behind(): boolean {
    return this.raw.writableLength > this.options.maxBufferBytes;
  }

  /** Writes frames (a Buffer shared by many streams is copied by none); false when the socket's buffer is past its high-water mark. */
  write(frames: string | Buffer): boolean {
    if (this.closed) return false;
    this.options.metrics?.sent(Buffer.byteLength(frames));
    return this.raw.write(frames);
  }

  /** Resolves once the client has read what is buffered (or the stream closed); rejects after the timeout. */
  drained(): Promise<void> {
    if (this.closed || this.raw.writableLength === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.raw.off('drain', done);
        this.raw.off('close', done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.raw.off('drain', done);
        this.raw.off('close', done);
        reject(new Error('the client stopped reading'));
      }, this.options.drainTimeoutMs ?? 30_000);
      this.raw.once('drain', done);
      this.raw.once('close', done);
    });
  }

  /** Ends the stream, after a last frame if given; a client that never reads it is cut off after 10 s. */
  end(lastFrame?: string): void {
    if (this.closed) return;
    this.stop();
    this.raw.end(lastFrame);
    setTimeout(() => {
      if (!this.raw.writableFinished) this.raw.destroy();
    }, 10_000).unref();
  }

  private stop(): void {
    if (!this.ended) this.options.metrics?.closed();
    this.ended = true;
    clearInterval(this.heartbeat);
  }
}
