import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The connections of `server` that have not sent a request yet (a browser's speculative preconnect,
 * a pooled socket its client never used). Node's `server.close()` waits for them, and not only until
 * `headersTimeout`: `glaze start` was still running 90 s after SIGTERM with one such socket open.
 * `closeAll()` hangs them up; one that would send its first request after it is cut at once.
 */
export function unusedConnections(server: Server): { closeAll(): void } {
  const unused = new Set<Socket>();
  let closing = false;
  server.on('connection', (socket: Socket) => {
    if (closing) return void socket.destroy();
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  server.on('request', (request) => unused.delete(request.socket));
  return {
    closeAll() {
      closing = true;
      for (const socket of unused) socket.destroy();
      unused.clear();
    },
  };
}
