/** The realtime connection as the person sees it. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** The data must be reloaded from REST once the stream is ready again. */
  mustRefetch: boolean;
}

/**
 * - `ready`: the server's first frame on a stream; it is subscribed from here on.
 * - `error-retrying`: EventSource lost the stream and reconnects by itself, sending Last-Event-ID.
 * - `error-closed`: EventSource gave up (an HTTP error); we open a new one with `?after=<last seq>`.
 * - `reset`: the server cannot replay (we fell behind); it ends the stream, we open a fresh one.
 */
export type ConnectionSignal = 'ready' | 'error-retrying' | 'error-closed' | 'retry' | 'reset';

export function nextConnection(state: ConnectionState, signal: ConnectionSignal): ConnectionState {
  switch (signal) {
    case 'ready':
      return { status: 'live', mustRefetch: state.mustRefetch };
    case 'error-retrying':
    case 'retry':
      return { status: 'reconnecting', mustRefetch: state.mustRefetch };
    case 'error-closed':
      return { status: 'offline', mustRefetch: state.mustRefetch };
    case 'reset':
      return { status: 'reconnecting', mustRefetch: true };
  }
}

/** Delay before opening a new EventSource after the n-th failure: 1 s, 2 s, 4 s… up to 30 s. */
export function retryDelay(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failures));
}
