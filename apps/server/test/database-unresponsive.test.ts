import net from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, createPool } from '@glaze/db';
import { FeedHub } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import { describe, expect, it } from 'vitest';
import { createServer } from '../src/index';

/**
 * A database that accepts connections and never answers (hung, or a network that drops packets
 * after the handshake) must not hang the server: a refused connection fails in a millisecond, but
 * this one would wait forever. /readyz answers 503 within its 3 s budget, then at once; an API call
 * gets 503 `database_unavailable` once the pool's 10 s connect timeout fires.
 */
describe('a database that never answers', () => {
  it('gets 503s in bounded time, never a hang', async () => {
    const sockets = new Set<net.Socket>();
    const tarpit = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve));
    const { port } = tarpit.address() as net.AddressInfo;
    const lines: { level: number; msg: string }[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(String(chunk)));
          done();
        },
      }),
    );
    const pool = createPool({ connectionString: `postgres://postgres@127.0.0.1:${port}/glaze` });
    const hub = await FeedHub.start({ pool, logger, mode: 'poll' });
    const app = await createServer({ pool, providers: builtinProviders, hub, logger, webDir: null });
    try {
      const timed = async (url: string) => {
        const started = Date.now();
        const response = await app.inject({ url, headers: { authorization: 'Bearer a-token-of-16-chars' } });
        return { response, ms: Date.now() - started };
      };
      const first = await timed('/readyz');
      expect(first.response.statusCode).toBe(503);
      expect(first.ms).toBeLessThan(4000);
      const second = await timed('/readyz');
      expect(second.response.statusCode).toBe(503);
      expect(second.ms).toBeLessThan(200);
      expect((await timed('/healthz')).response.statusCode).toBe(200);

      const api = await timed('/api/v1/tables');
      expect(api.response.statusCode).toBe(503);
      expect(api.response.headers['retry-after']).toBe('5');
      expect(api.response.json().error.code).toBe('database_unavailable');
      expect(api.ms).toBeLessThan(12_000);
      expect(lines.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([
        'database unreachable; work waits and resumes when it is back',
      ]);
    } finally {
      await app.close();
      await hub.close();
      for (const socket of sockets) socket.destroy();
      tarpit.close();
      await pool.end();
    }
  }, 30_000);
});
