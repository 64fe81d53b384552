import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../packages/engine/test/helpers';
import { finished, runGlaze, startGlaze, waitForLine } from './support/glaze-process';

let db: TestDatabase;
let dir: string;
let api: Server;
let apiUrl: string;
/** The Authorization headers the local API received. */
const received: string[] = [];
const secret = `sk-e2e-${randomBytes(12).toString('hex')}`;
// Nothing answers here: a command that fails on this URL did not get as far as the database.
const unreachable = { DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' };

beforeAll(async () => {
  db = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-secrets-'));
  // A private API on 127.0.0.1 that echoes what it was sent, as a careless API might.
  api = createServer((request, response) => {
    received.push(request.headers.authorization ?? '');
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ seen: request.headers.authorization, path: request.url }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => api.close(resolve));
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

describe('glaze start with GLAZE_SECRET_KEY and GLAZE_HTTP_ALLOW', () => {
  it('a secret set through the API reaches a private API from an auto-run column, and never comes back out', async () => {
    const token = randomBytes(24).toString('hex');
    const dataDir = path.join(dir, '.glaze');
    const glaze = startGlaze(['start', '--port', '0'], {
      DATABASE_URL: db.url,
      GLAZE_DATA_DIR: dataDir,
      GLAZE_ADMIN_TOKEN: token,
      GLAZE_SECRET_KEY: randomBytes(32).toString('base64'),
      GLAZE_HTTP_ALLOW: '127.0.0.1',
      GLAZE_WEB_DIR: dir,
    });
    const exited = finished(glaze);
    const bodies: string[] = [];
    try {
      const line = await waitForLine(glaze, /^glaze listening on /);
      const base = `${/http:\/\/\S+/.exec(line)?.[0]}/api/v1`;
      const call = async (method: string, url: string, body?: unknown) => {
        const response = await fetch(`${base}${url}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        bodies.push(text);
        const json = response.headers.get('content-type')?.includes('json');
        return { status: response.status, body: json ? JSON.parse(text) : text };
      };

      expect((await call('PUT', '/secrets/API_KEY', { value: secret })).status).toBe(204);
      const { body: created } = await call('POST', '/tables', { name: 'Leads', columns: ['name'] });
      const tableId = created.table.id;
      const column = await call('POST', `/tables/${tableId}/columns`, {
        name: 'Lookup',
        kind: 'enrichment',
        provider: 'http',
        config: {
          url: `${apiUrl}/lookup?name={{name}}`,
          headers: { Authorization: 'Bearer {{secret.API_KEY}}' },
          autoRun: true,
        },
      });
      expect(column.status).toBe(201);
      const added = await call('POST', `/tables/${tableId}/rows`, {
        rows: [{ name: 'Ada' }, { name: 'Grace' }],
      });
      expect(added.status).toBe(201);

      let cells: { status: string; value?: unknown; error?: string }[] = [];
      for (let i = 0; i < 200; i++) {
        const { body } = await call('GET', `/tables/${tableId}/rows`);
        cells = body.rows.map(
          (r: { cells: Record<string, unknown> }) => r.cells[column.body.column.id] ?? {},
        );
        if (cells.every((c) => c.status === 'done' || c.status === 'error')) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The worker decrypted the secret and the allow list let the call through to 127.0.0.1.
      expect(received).toEqual([`Bearer ${secret}`, `Bearer ${secret}`]);
      expect(cells.map((c) => c.status)).toEqual(['done', 'done']);
      // The API echoed the secret; the stored value holds the placeholder instead.
      expect(cells.map((c) => (c.value as { seen: string }).seen)).toEqual([
        'Bearer [secret]',
        'Bearer [secret]',
      ]);

      await call('GET', `/tables/${tableId}`);
      await call('GET', `/tables/${tableId}/runs`);
      await call('GET', '/secrets');
      await call('GET', `/tables/${tableId}/export`);
      expect(bodies.length).toBeGreaterThan(6);
      for (const body of bodies) expect(body).not.toContain(secret);
      // With GLAZE_SECRET_KEY set, no key file is generated.
      await expect(stat(path.join(dataDir, 'secret.key'))).rejects.toThrow(/ENOENT/);
    } finally {
      glaze.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
  });

  it.each([
    [['start'], { GLAZE_SECRET_KEY: 'not-a-key' }, /^glaze: GLAZE_SECRET_KEY: must be 32 random bytes/],
    [['worker'], { GLAZE_SECRET_KEY: 'ab'.repeat(31) }, /^glaze: GLAZE_SECRET_KEY: must be 32 random bytes/],
    [
      ['worker'],
      { GLAZE_HTTP_ALLOW: '127.0.0.1,10.0.0.0/33' },
      /^glaze: GLAZE_HTTP_ALLOW\[1\]: "10.0.0.0\/33"/,
    ],
    [['start'], { GLAZE_HTTP_ALLOW: 'not a host' }, /^glaze: GLAZE_HTTP_ALLOW\[0\]: /],
  ])('glaze %s with %o fails before the database, naming the variable', async (args, env, message) => {
    const result = await runGlaze(args, { ...unreachable, GLAZE_DATA_DIR: path.join(dir, 'bad'), ...env });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(message);
  });

  it('without GLAZE_SECRET_KEY, a key is generated once into the data dir with mode 0600', async () => {
    const dataDir = path.join(dir, 'generated');
    // The key is made before the database is reached, so an unreachable database still leaves it.
    const result = await runGlaze(['worker'], { ...unreachable, GLAZE_DATA_DIR: dataDir });
    expect(result.stderr).toMatch(/cannot reach the database/);
    const info = await stat(path.join(dataDir, 'secret.key'));
    expect(info.mode & 0o777).toBe(0o600);
  });
});
