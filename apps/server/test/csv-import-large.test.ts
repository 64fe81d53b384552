import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from './helpers';

let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await testServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => server.close());

/** 100,000 CSV lines, generated as they are sent: the upload is a stream on both sides. */
function* csvLines(rows: number) {
  yield 'name,email,company\n';
  for (let i = 1; i <= rows; i++) yield `Lead ${i},lead${i}@example.com,Company ${i % 977}\n`;
}

describe('a large CSV import', () => {
  it('takes 100,000 rows in one streamed request', { timeout: 60_000 }, async () => {
    const body = Readable.toWeb(Readable.from(csvLines(100_000))) as ReadableStream;
    const response = await fetch(`${base}/tables/import?name=Big`, {
      method: 'POST',
      headers: { ...server.auth, 'content-type': 'text/csv' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(201);
    const imported = await response.json();
    expect(imported).toMatchObject({ rows: 100_000, table: { name: 'Big', rowCount: 100_000 } });
    const page = await (
      await fetch(`${base}/tables/${imported.table.id}/rows?limit=1`, { headers: server.auth })
    ).json();
    expect(Object.values(page.rows[0].values)).toEqual(['Lead 1', 'lead1@example.com', 'Company 1']);
  });
});
