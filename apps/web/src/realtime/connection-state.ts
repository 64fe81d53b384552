/** The realtime connection as the person sees it. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export type ConnectionSignal = 'open' | 'error-retrying' | 'error-closed' | 'retry';

/**
 * EventSource reconnects by itself (sending Last-Event-ID) while its readyState is CONNECTING;
 * when it gives up (CLOSED, e.g. the server answered with an error) we open a new one, which
 * cannot send Last-Event-ID, so the data is refetched from REST on the next open.
 */
export function nextConnection(
  state: { status: ConnectionStatus; mustRefetch: boolean },
  signal: ConnectionSignal,
): { status: ConnectionStatus; mustRefetch: boolean } {
  switch (signal) {
    case 'open':
      return { status: 'live', mustRefetch: state.mustRefetch };
    case 'error-retrying':
      return { status: 'reconnecting', mustRefetch: state.mustRefetch };
    case 'error-closed':
      return { status: 'offline', mustRefetch: true };
    case 'retry':
      return { status: 'reconnecting', mustRefetch: state.mustRefetch };
  }
}

/** Delay before opening a new EventSource after the n-th failure: 1 s, 2 s, 4 s… up to 30 s. */
export function retryDelay(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failures));
}
