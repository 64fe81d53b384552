import net from 'node:net';

export interface LatencyProxy {
  /** Port on 127.0.0.1 that forwards to the target with the added delay. */
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on loopback that delays every chunk of data by half the round trip in each direction,
 * so a Postgres next door behaves like one `rttMs` away. Order is kept per direction.
 */
export async function startLatencyProxy(
  target: { host: string; port: number },
  rttMs: number,
): Promise<LatencyProxy> {
  const oneWay = rttMs / 2;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    delayPipe(client, upstream, oneWay);
    delayPipe(upstream, client, oneWay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('latency proxy: no port');
  return {
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function delayPipe(from: net.Socket, to: net.Socket, delayMs: number): void {
  const queue: Array<{ due: number; data: Buffer }> = [];
  let timer: NodeJS.Timeout | undefined;
  const drain = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.due <= now) to.write(queue.shift()!.data);
    if (queue.length > 0) timer = setTimeout(drain, queue[0]!.due - now);
  };
  from.on('data', (data) => {
    queue.push({ due: performance.now() + delayMs, data });
    timer ??= setTimeout(drain, delayMs);
  });
  from.on('end', () => {
    const finish = () => (queue.length > 0 ? setTimeout(finish, delayMs) : to.end());
    finish();
  });
}
