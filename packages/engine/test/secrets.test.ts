import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyProvider } from '@glaze/core';
import { createProviderRegistry } from '@glaze/providers';
import { expect, it } from 'vitest';
import {
  addColumn,
  createSecretsLoader,
  deleteSecret,
  listSecretNames,
  setSecret,
  startRun,
  updateColumn,
} from '../src/index';
import {
  createWorkspace,
  scriptedProvider,
  seedTable,
  startTestWorker,
  useTestDatabase,
  waitForRun,
} from './helpers';

const db = useTestDatabase();

const key = randomBytes(32);
const secretValue = 'sk-live-7c1d9e0f2a';

it('stores secrets encrypted, lists names only, replaces and deletes them', async () => {
  const workspaceId = await createWorkspace(db);
  const other = await createWorkspace(db);
  await setSecret(db.pool, key, { workspaceId, name: 'API_KEY', value: secretValue });
  await setSecret(db.pool, key, { workspaceId, name: 'OTHER', value: 'first' });
  await setSecret(db.pool, key, { workspaceId, name: 'OTHER', value: 'second' });
  await setSecret(db.pool, key, { workspaceId: other, name: 'API_KEY', value: 'theirs' });

  const names = await listSecretNames(db.pool, workspaceId);
  expect(names.map((s) => s.name)).toEqual(['API_KEY', 'OTHER']);
  expect(names[0]?.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(JSON.stringify(names)).not.toContain(secretValue);

  const { rows } = await db.pool.query('select ciphertext from secrets where workspace_id = $1', [
    workspaceId,
  ]);
  for (const row of rows) {
    expect(row.ciphertext).toMatch(/^v1:/);
    expect(row.ciphertext).not.toContain(secretValue);
  }

  const secretsFor = createSecretsLoader(db.pool, key, { ttlMs: 0 });
  const { rows: tables } = await db.pool.query(
    `insert into tables (workspace_id, name) values ($1, 'a'), ($2, 'b') returning id`,
    [workspaceId, other],
  );
  expect(await secretsFor(tables[0].id)).toEqual({ API_KEY: secretValue, OTHER: 'second' });
  expect(await secretsFor(tables[1].id)).toEqual({ API_KEY: 'theirs' });
  // A ciphertext moved to another workspace's row does not decrypt there (bound to its row).
  await db.pool.query(
    `update secrets set ciphertext = (select ciphertext from secrets where workspace_id = $1 and name = 'API_KEY')
     where workspace_id = $2`,
    [workspaceId, other],
  );
  expect(await secretsFor(tables[1].id)).toEqual({});
  // Another key reads nothing rather than garbage.
  expect(await createSecretsLoader(db.pool, randomBytes(32), { ttlMs: 0 })(tables[0].id)).toEqual({});

  expect(await deleteSecret(db.pool, workspaceId, 'OTHER')).toBe(true);
  expect(await deleteSecret(db.pool, workspaceId, 'OTHER')).toBe(false);
  expect((await listSecretNames(db.pool, workspaceId)).map((s) => s.name)).toEqual(['API_KEY']);
});

it('refuses bad names and empty values, naming the field', async () => {
  const workspaceId = await createWorkspace(db);
  await expect(setSecret(db.pool, key, { workspaceId, name: '1abc', value: 'x' })).rejects.toThrow(
    /^name: "1abc" is not a valid secret name/,
  );
  await expect(setSecret(db.pool, key, { workspaceId, name: 'a-b', value: 'x' })).rejects.toThrow(/^name: /);
  await expect(setSecret(db.pool, key, { workspaceId, name: 'OK', value: '' })).rejects.toThrow(
    'value: must be a non-empty string',
  );
});

it('workers use the workspace secrets and keep them out of cell values and errors', async () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    res.writeHead(req.url?.includes('fail') ? 401 : 200, { 'content-type': 'application/json' });
    // A careless API that echoes the credential back, in both answers.
    res.end(
      JSON.stringify({ echo: req.headers.authorization, error: `bad key ${req.headers.authorization}` }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const thrower = scriptedProvider('thrower', async () => {
    throw new Error(`connect failed for token ${secretValue}`);
  });
  const providers = new Map<string, AnyProvider>([
    ...createProviderRegistry({ httpAllow: ['127.0.0.1'] }),
    ['thrower', thrower],
  ]);
  const { workspaceId, table, rowIds } = await seedTable(db, { rows: 2 });
  await setSecret(db.pool, key, { workspaceId, name: 'API_KEY', value: secretValue });
  const headers = { authorization: 'Bearer {{secret.API_KEY}}' };
  const ok = await addColumn(db.pool, providers, {
    tableId: table.id,
    name: 'ok',
    kind: 'enrichment',
    provider: 'http',
    config: { url: `${origin}/ok?q={{input}}`, headers },
  });
  const fail = await addColumn(db.pool, providers, {
    tableId: table.id,
    name: 'fail',
    kind: 'enrichment',
    provider: 'http',
    config: { url: `${origin}/fail?q={{input}}`, headers },
  });
  const thrown = await addColumn(db.pool, providers, {
    tableId: table.id,
    name: 'thrown',
    kind: 'enrichment',
    provider: 'thrower',
    config: {},
  });
  const worker = await startTestWorker(db, {
    providers,
    secretsFor: createSecretsLoader(db.pool, key),
    backoffMs: 1,
  });
  try {
    for (const column of [ok, fail, thrown]) {
      const run = await startRun(db.pool, { columnId: column.id, scope: 'all', maxAttempts: 1 });
      expect(await waitForRun(db, run.id)).toBe('done');
    }
  } finally {
    await worker.stop();
    server.close();
  }
  expect(seen.length).toBe(4);
  expect(seen.every((h) => h === `Bearer ${secretValue}`)).toBe(true);
  const { rows } = await db.pool.query(
    `select column_id as "columnId", status, value, error from cells where row_id = any($1) order by column_id, row_id`,
    [rowIds],
  );
  expect(rows.length).toBe(6);
  expect(JSON.stringify(rows)).not.toContain(secretValue);
  expect(rows.find((r) => r.columnId === ok.id)?.value).toMatchObject({ echo: 'Bearer [secret]' });
  expect(rows.find((r) => r.columnId === fail.id)?.error).toContain('[secret]');
  expect(rows.find((r) => r.columnId === thrown.id)).toMatchObject({
    status: 'error',
    error: expect.stringContaining('connect failed for token [secret]'),
  });
});

it('redacts every form of a secret in meta and value, keys included, as results leave the provider', async () => {
  const forms = [
    secretValue,
    secretValue.toUpperCase(),
    encodeURIComponent(`${secretValue}/`),
    Buffer.from(secretValue).toString('base64'),
    Buffer.from(`user:${secretValue}`).toString('base64url'),
  ];
  // Reads the key from its secret-bearing field, as a provider sending it as a credential would.
  const echo: AnyProvider = {
    ...scriptedProvider('echo', async () => ({ kind: 'empty' })),
    secretFields: ['input'],
    async enrich({ config, render }) {
      const key = render((config as { input: string }).input);
      if (key === '') return { kind: 'empty' };
      const text = forms.map((f) => f.replace(secretValue, key)).join(' ');
      return { kind: 'ok', value: { text, [key]: 1 }, meta: { model: text, nested: [{ deep: text }] } };
    },
  };
  const providers = new Map<string, AnyProvider>([['echo', echo]]);
  const { workspaceId, table, rowIds } = await seedTable(db, { rows: 3 });
  await setSecret(db.pool, key, { workspaceId, name: 'API_KEY', value: secretValue });
  const column = await addColumn(db.pool, providers, {
    tableId: table.id,
    name: 'echo',
    kind: 'enrichment',
    provider: 'echo',
    config: { input: '{{secret.API_KEY}}' },
  });
  const worker = await startTestWorker(db, { providers, secretsFor: createSecretsLoader(db.pool, key) });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', maxAttempts: 1 });
    expect(await waitForRun(db, run.id)).toBe('done');
  } finally {
    await worker.stop();
  }
  const { rows } = await db.pool.query(
    `select status, value::text as value, meta::text as meta from cells where row_id = any($1) and column_id = $2`,
    [rowIds, column.id],
  );
  expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done']);
  const text = JSON.stringify(rows);
  for (const form of forms) expect(text).not.toContain(form);
  expect(JSON.parse(rows[0].value)).toEqual({ '[secret]': 1, text: expect.stringMatching(/^\[secret\] /) });
  expect(JSON.parse(rows[0].meta).nested[0].deep).toMatch(/^\[secret\] \[secret\] \[secret\]/);
});

it('a column saved with a secret outside its secret-bearing fields fails its cells without a call', async () => {
  const calls: string[] = [];
  const providers = new Map<string, AnyProvider>([
    [
      'mockish',
      scriptedProvider('mockish', async (input) => {
        calls.push(input);
        return { kind: 'ok', value: input };
      }),
    ],
  ]);
  const { workspaceId, column } = await seedTable(db, { rows: 2, provider: 'mockish', providers });
  await setSecret(db.pool, key, { workspaceId, name: 'API_KEY', value: secretValue });
  // As a column saved before the rule: written directly, bypassing validateColumnConfig.
  await db.pool.query(`update columns set config = $2 where id = $1`, [
    column.id,
    JSON.stringify({ input: 'x {{secret.API_KEY}}' }),
  ]);
  const worker = await startTestWorker(db, { providers, secretsFor: createSecretsLoader(db.pool, key) });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', maxAttempts: 1 });
    expect(await waitForRun(db, run.id)).toBe('done');
  } finally {
    await worker.stop();
  }
  expect(calls).toEqual([]);
  const { rows } = await db.pool.query(`select status, error from cells where column_id = $1`, [column.id]);
  expect(rows).toEqual([
    {
      status: 'error',
      error: expect.stringMatching(/^config\.input: \{\{secret\.API_KEY\}\} may only be used/),
    },
    { status: 'error', error: expect.stringMatching(/^config\.input: /) },
  ]);
});

it('refuses a column naming a secret the workspace lacks, listing the ones it has', async () => {
  const providers = createProviderRegistry({ httpAllow: ['127.0.0.1'] });
  const { workspaceId, table } = await seedTable(db, { rows: 1 });
  const column = (authorization: string) => ({
    tableId: table.id,
    name: `c${Math.random()}`,
    kind: 'enrichment' as const,
    provider: 'http',
    config: { url: 'http://127.0.0.1:9/x?q={{input}}', headers: { authorization } },
  });
  await expect(addColumn(db.pool, providers, column('Bearer {{secret.NOPE}}'))).rejects.toThrow(
    'config.headers.authorization: {{secret.NOPE}} is not a secret of this workspace; it has none',
  );
  await setSecret(db.pool, key, { workspaceId, name: 'API_KEY', value: secretValue });
  await setSecret(db.pool, key, { workspaceId, name: 'BACKUP_KEY', value: 'other' });
  await expect(addColumn(db.pool, providers, column('Bearer {{secret.NOPE}}'))).rejects.toMatchObject({
    status: 400,
    path: 'config.headers.authorization',
    message: expect.stringContaining('its secrets: API_KEY, BACKUP_KEY'),
  });
  // A waterfall step is held to the same rule, with its own path.
  await expect(
    addColumn(db.pool, providers, {
      ...column(''),
      provider: 'waterfall',
      config: { steps: [{ provider: 'http', config: column('{{secret.API_KEY}} {{secret.TYPO}}').config }] },
    }),
  ).rejects.toThrow('config.steps[0].config.headers.authorization: {{secret.TYPO}} is not a secret');
  const saved = await addColumn(db.pool, providers, column('Bearer {{secret.API_KEY}}'));
  // Editing the config is checked the same way.
  await expect(
    updateColumn(db.pool, providers, {
      tableId: table.id,
      columnId: saved.id,
      config: column('Bearer {{secret.API_KEY_2}}').config,
    }),
  ).rejects.toThrow('{{secret.API_KEY_2}} is not a secret of this workspace');
});

it('fails the cells of a run whose secret was deleted since the column was saved, sending nothing', async () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    res.end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const providers = createProviderRegistry({ httpAllow: ['127.0.0.1'] });
  const { workspaceId, table, rowIds } = await seedTable(db, { rows: 3 });
  await setSecret(db.pool, key, { workspaceId, name: 'GONE_KEY', value: secretValue });
  const column = await addColumn(db.pool, providers, {
    tableId: table.id,
    name: 'gone',
    kind: 'enrichment',
    provider: 'http',
    config: { url: `${origin}/x?q={{input}}`, headers: { authorization: 'Bearer {{secret.GONE_KEY}}' } },
  });
  await deleteSecret(db.pool, workspaceId, 'GONE_KEY');
  const worker = await startTestWorker(db, { providers, secretsFor: createSecretsLoader(db.pool, key) });
  try {
    const run = await startRun(db.pool, { columnId: column.id, scope: 'all', maxAttempts: 1 });
    expect(await waitForRun(db, run.id)).toBe('done');
  } finally {
    await worker.stop();
    server.close();
  }
  expect(seen).toEqual([]);
  const { rows } = await db.pool.query(
    'select status, error from cells where row_id = any($1) and column_id = $2',
    [rowIds, column.id],
  );
  expect(rows).toHaveLength(3);
  for (const row of rows) {
    expect(row).toEqual({
      status: 'error',
      error:
        'secret GONE_KEY is not set (config.headers.authorization); add it with PUT /api/v1/secrets/GONE_KEY',
    });
  }
});
