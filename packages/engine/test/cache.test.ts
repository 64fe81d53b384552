import { randomBytes } from 'node:crypto';
import { type AnyProvider, defineProvider } from '@glaze/core';
import { builtinProviders } from '@glaze/providers';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { addColumn, createTable, insertRows, setSecret, startRun } from '../src/index';
import { createWorkspace, recordStatements, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

const calls: string[] = [];
/** A cacheable provider that echoes its rendered input (with a key header it never reveals). */
function lookupProvider(id: string, cacheable: boolean): AnyProvider {
  return defineProvider({
    id,
    group: 'testing',
    description: 'test lookup',
    cacheable,
    secretFields: ['key'],
    configSchema: z.object({ input: z.string().default('{{input}}'), key: z.string().default('') }),
    templates: (config) => [config.input, config.key],
    async enrich({ config, render }) {
      const input = render(config.input);
      calls.push(input.trim());
      await new Promise((r) => setTimeout(r, 20));
      if (input.trim() === 'nothing') return { kind: 'empty', cost: 1 };
      return { kind: 'ok', value: { answer: input.trim().toUpperCase() }, cost: 1, meta: { tokens: 5 } };
    },
  });
}
const providers = new Map<string, AnyProvider>([
  ...builtinProviders,
  ['lookup', lookupProvider('lookup', true)],
  ['plain', lookupProvider('plain', false)],
]);

// Twins sit in different chunks of 3 too: [acme, globex, nothing] [ acme, globex, acme  ] [initech]
const inputs = ['acme', 'globex', 'nothing', ' acme', 'globex', 'acme  ', 'initech'];

async function table() {
  const workspaceId = await createWorkspace(db);
  const created = await createTable(db.pool, { workspaceId, name: 't', inputColumns: ['input'] });
  await insertRows(
    db.pool,
    created.id,
    inputs.map((input) => ({ input })),
  );
  return created.id;
}

async function cells(columnId: number) {
  const { rows } = await db.pool.query(
    `select c.status, c.value, c.meta, c.cost, c.tries from cells c join rows r on r.id = c.row_id
     where c.column_id = $1 order by r.position`,
    [columnId],
  );
  return rows;
}

async function run(columnId: number, options: { chunkSize?: number } = {}) {
  const worker = await startTestWorker(db, { providers });
  try {
    const started = await startRun(db.pool, { columnId, scope: 'all', chunkSize: options.chunkSize ?? 3 });
    expect(await waitForRun(db, started.id)).toBe('done');
  } finally {
    await worker.stop();
  }
}

it('calls once per distinct (trimmed) input in a run, then serves the next run from the cache', async () => {
  const tableId = await table();
  const column = await addColumn(db.pool, providers, {
    tableId,
    name: 'company',
    kind: 'enrichment',
    provider: 'lookup',
    config: { input: '{{input}}' },
  });
  calls.length = 0;
  await run(column.id);
  expect(calls.sort()).toEqual(['acme', 'globex', 'initech', 'nothing']);
  const first = await cells(column.id);
  expect(first.every((c) => c.status === 'done')).toBe(true);
  expect(first.map((c) => c.value)).toEqual([
    { answer: 'ACME' },
    { answer: 'GLOBEX' },
    null,
    { answer: 'ACME' },
    { answer: 'GLOBEX' },
    { answer: 'ACME' },
    { answer: 'INITECH' },
  ]);
  // Exactly one cell per distinct input paid for a call; its twins say where their value came from.
  expect(first.filter((c) => c.cost === 1).length).toBe(4);
  expect(first.filter((c) => c.meta?.cached === true).length).toBe(3);
  const { rows: stored } = await db.pool.query(
    `select key, value, empty from provider_cache where provider = 'lookup'`,
  );
  expect(stored.length).toBe(4);
  expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.key))).toBe(true);
  expect(stored.filter((r) => r.empty).length).toBe(1);

  calls.length = 0;
  await run(column.id);
  expect(calls).toEqual([]);
  const second = await cells(column.id);
  expect(second.map((c) => c.value)).toEqual(first.map((c) => c.value));
  expect(second.every((c) => c.meta?.cached === true && c.cost === null && c.tries === 0)).toBe(true);
  expect(second[2].meta).toEqual({ cached: true, empty: true });
});

it('looks the cache up once per chunk, not once per cell', async () => {
  const tableId = await table();
  const column = await addColumn(db.pool, providers, {
    tableId,
    name: 'company',
    kind: 'enrichment',
    provider: 'lookup',
    config: { input: '{{input}}' },
  });
  const { statements, stop } = recordStatements(db.pool);
  try {
    await run(column.id, { chunkSize: 3 }); // 7 cells: 3 chunks
  } finally {
    stop();
  }
  expect(statements.filter((s) => s.includes('from provider_cache')).length).toBe(3);
  expect(statements.filter((s) => s.includes('insert into provider_cache')).length).toBeLessThanOrEqual(3);
});

it('a cacheTtlSeconds of 0, an expired entry, or a provider that is not cacheable all call again', async () => {
  const tableId = await table();
  const noCache = await addColumn(db.pool, providers, {
    tableId,
    name: 'fresh',
    kind: 'enrichment',
    provider: 'lookup',
    config: { input: '{{input}}', key: 'other', cacheTtlSeconds: 0 },
  });
  const plain = await addColumn(db.pool, providers, {
    tableId,
    name: 'plain',
    kind: 'enrichment',
    provider: 'plain',
    config: { input: '{{input}}' },
  });
  const stored = async () =>
    (await db.pool.query('select count(*)::int as n from provider_cache')).rows[0].n as number;
  const before = await stored();
  calls.length = 0;
  await run(noCache.id);
  await run(noCache.id);
  expect(calls.length).toBe(2 * inputs.length); // no dedupe or cache at all with a TTL of 0
  calls.length = 0;
  await run(plain.id);
  expect(calls.length).toBe(inputs.length);
  expect(await stored()).toBe(before); // neither wrote an entry

  // An entry older than the column's TTL is not used.
  const short = await addColumn(db.pool, providers, {
    tableId,
    name: 'short',
    kind: 'enrichment',
    provider: 'lookup',
    config: { input: '{{input}}', key: 'short', cacheTtlSeconds: 60 },
  });
  await run(short.id);
  await db.pool.query(`update provider_cache set created_at = created_at - interval '2 minutes'`);
  calls.length = 0;
  await run(short.id);
  expect(calls.sort()).toEqual(['acme', 'globex', 'initech', 'nothing']);
});

it("the TTL is the reader's: an answer written by a 2 s column serves an 8 s column 3 s later", async () => {
  const tableId = await table();
  const column = (name: string, cacheTtlSeconds: number) =>
    addColumn(db.pool, providers, {
      tableId,
      name,
      kind: 'enrichment',
      provider: 'lookup',
      config: { input: '{{input}}', key: 'ttl', cacheTtlSeconds },
    });
  const writer = await column('two', 2);
  const reader = await column('eight', 8);
  await run(writer.id);
  // Three seconds pass, without waiting them out.
  await db.pool.query(
    `update provider_cache set created_at = created_at - interval '3 seconds', expires_at = expires_at - interval '3 seconds'`,
  );
  calls.length = 0;
  await run(reader.id);
  expect(calls).toEqual([]);
  expect((await cells(reader.id)).every((c) => c.meta?.cached === true)).toBe(true);
  // For the 2 s column the same entries are too old.
  await run(writer.id);
  expect(calls.sort()).toEqual(['acme', 'globex', 'initech', 'nothing']);
});

it('keys include secret values only hashed: a changed secret misses, the stored key never shows it', async () => {
  const tableId = await table();
  // A column may only name a secret the workspace has (the worker's values come from secretsFor below).
  const owner = await db.pool.query('select workspace_id as id from tables where id = $1', [tableId]);
  await setSecret(db.pool, randomBytes(32), {
    workspaceId: owner.rows[0].id,
    name: 'API_KEY',
    value: 'stored',
  });
  const column = await addColumn(db.pool, providers, {
    tableId,
    name: 'keyed',
    kind: 'enrichment',
    provider: 'lookup',
    config: { input: '{{input}}', key: 'Bearer {{secret.API_KEY}}' },
  });
  const runWith = async (secret: string) => {
    const worker = await startTestWorker(db, { providers, secretsFor: async () => ({ API_KEY: secret }) });
    try {
      const started = await startRun(db.pool, { columnId: column.id, scope: 'all' });
      expect(await waitForRun(db, started.id)).toBe('done');
    } finally {
      await worker.stop();
    }
  };
  calls.length = 0;
  await runWith('sk-first-secret');
  await runWith('sk-first-secret');
  expect(calls.length).toBe(4);
  await runWith('sk-second-secret');
  expect(calls.length).toBe(8);
  const { rows } = await db.pool.query(`select key, value::text from provider_cache`);
  for (const row of rows) expect(`${row.key} ${row.value}`).not.toMatch(/sk-(first|second)-secret/);
});
