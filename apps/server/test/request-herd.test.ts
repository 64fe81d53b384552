import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordStatements } from '../../../packages/engine/test/helpers';
import { type TestServer, testServer } from './helpers';

/**
 * Many requests at once (every tab reconnecting after a restart: 1,000 event streams waited 4–6 s
 * for their `ready`, now ~0.5 s). A token's look-up updates its row (`last_used_at`): requests that
 * miss the cache together must share one, or they queue on that row one commit at a time. And a
 * table route checks its table by key, without counting the table's rows.
 */
let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

describe('requests arriving together', () => {
  it('looks a token up once for 200 requests that arrive together', async () => {
    const recorded = recordStatements(server.db.pool);
    try {
      const replies = await Promise.all(
        Array.from({ length: 200 }, () =>
          server.app.inject({ method: 'GET', url: '/api/v1/tables', headers: server.auth }),
        ),
      );
      expect(replies.map((r) => r.statusCode)).toEqual(Array(200).fill(200));
      expect(recorded.statements.filter((text) => text.includes('update api_tokens'))).toHaveLength(1);
      // an unknown token is still refused, each time
      const refused = await Promise.all(
        Array.from({ length: 3 }, () =>
          server.app.inject({
            method: 'GET',
            url: '/api/v1/tables',
            headers: { authorization: 'Bearer nope' },
          }),
        ),
      );
      expect(refused.map((r) => r.statusCode)).toEqual([401, 401, 401]);
    } finally {
      recorded.stop();
    }
  });

  it('check their table without counting its rows; GET /tables/:id reads the count the table keeps', async () => {
    const imported = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tables/import?name=Herd',
      headers: { ...server.auth, 'content-type': 'text/csv' },
      payload: 'name\nAda\nGrace\n',
    });
    const tableId = imported.json().table.id as number;
    const recorded = recordStatements(server.db.pool);
    const counts = () => recorded.statements.filter((text) => /count\(\*\) from rows/.test(text));
    try {
      for (const url of [`/tables/${tableId}/rows`, `/tables/${tableId}/views`, `/tables/${tableId}/runs`]) {
        const reply = await server.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: server.auth });
        expect(reply.statusCode, url).toBe(200);
      }
      expect(counts()).toEqual([]);
      const detail = await server.app.inject({
        method: 'GET',
        url: `/api/v1/tables/${tableId}`,
        headers: server.auth,
      });
      expect(detail.json().table.rowCount).toBe(2);
      // the count is the table's own (migration 033), not a count of its rows
      expect(counts()).toEqual([]);
      const missing = await server.app.inject({
        method: 'GET',
        url: '/api/v1/tables/987654',
        headers: server.auth,
      });
      expect(missing.statusCode).toBe(404);
    } finally {
      recorded.stop();
    }
  });
});
