import {
  type AnyProvider,
  type CellChange,
  decodeFeedCell,
  defineProvider,
  type FeedCell,
} from '@glaze/core';
import { silentLogger } from '@glaze/db';
import { createTestDatabase, type TestDatabase } from '@glaze/db/testing';
import { builtinProviders } from '@glaze/providers';
import { afterAll, beforeAll, inject } from 'vitest';
import { z } from 'zod';
import {
  addColumn,
  createTable,
  createWorker,
  type GlazeWorker,
  insertRows,
  type WireCell,
  type WorkerOptions,
} from '../src/index';

export async function testDatabase(): Promise<TestDatabase> {
  return createTestDatabase(inject('adminUrl'), inject('templateName'));
}

/**
 * A database of the file's own, made in `beforeAll` and dropped in `afterAll`; the object it returns
 * stands for it from `beforeAll` on (read before then, it throws).
 * @example const db = useTestDatabase(); it('…', async () => { await db.pool.query('select 1'); });
 */
export function useTestDatabase(): TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await testDatabase();
  });
  afterAll(() => current?.drop());
  return new Proxy({} as TestDatabase, {
    get(_, key) {
      if (!current) throw new Error('the test database is made in beforeAll: read it inside a test or hook');
      const value = Reflect.get(current, key);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}

export async function createWorkspace(db: TestDatabase): Promise<number> {
  const { rows } = await db.pool.query(`insert into workspaces (name) values ('test') returning id`);
  return rows[0].id;
}

/** A table with an `input` column holding `value-1…value-n` and an enrichment column. */
export async function seedTable(
  db: TestDatabase,
  options: {
    rows: number;
    provider?: string;
    config?: Record<string, unknown>;
    providers?: ReadonlyMap<string, AnyProvider>;
  },
) {
  const workspaceId = await createWorkspace(db);
  const table = await createTable(db.pool, { workspaceId, name: 'test', inputColumns: ['input'] });
  const rowIds = await insertRows(
    db.pool,
    table.id,
    Array.from({ length: options.rows }, (_, i) => ({ input: `value-${i + 1}` })),
  );
  const column = await addColumn(db.pool, options.providers ?? builtinProviders, {
    tableId: table.id,
    name: 'out',
    kind: 'enrichment',
    provider: options.provider ?? 'mock',
    config: options.config ?? {},
  });
  return { workspaceId, table, column, rowIds };
}

export async function startTestWorker(
  db: TestDatabase,
  options: Partial<WorkerOptions> = {},
): Promise<GlazeWorker> {
  return createWorker({
    pool: db.pool,
    providers: builtinProviders,
    logger: silentLogger,
    backoffMs: 10,
    sweepIntervalMs: 200,
    ...options,
  });
}

/** Polls until the run leaves `running` (runs finish by themselves; this only watches). */
export async function waitForRun(db: TestDatabase, runId: number, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await db.pool.query('select status from runs where id = $1', [runId]);
    if (rows[0]?.status !== 'running') return rows[0]?.status;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`run ${runId} still running after ${timeoutMs} ms`);
}

export async function cellsOf(db: TestDatabase, columnId: number) {
  const { rows } = await db.pool.query(
    `select id, row_id as "rowId", status, value, error, attempt, tries, started_at as "startedAt", seq,
            finished_at as "finishedAt" from cell_states where column_id = $1 order by row_id`,
    [columnId],
  );
  return rows;
}

/** A provider whose behaviour a test scripts per call. */
export function scriptedProvider(
  id: string,
  answer: (input: string, attempt: number, signal: AbortSignal) => ReturnType<AnyProvider['enrich']>,
): AnyProvider {
  return defineProvider({
    id,
    group: 'testing',
    description: 'scripted for a test',
    configSchema: z.object({ input: z.string().default('{{input}}') }),
    templates: (config) => [config.input],
    enrich: ({ config, render }, ctx) => answer(render(config.input), ctx.attempt, ctx.signal),
  });
}

/** The chunk ids of a run, in order. */
export async function chunksOf(db: TestDatabase, runId: number): Promise<number[]> {
  const { rows } = await db.pool.query('select id from chunks where run_id = $1 order by ordinal', [runId]);
  return rows.map((r) => r.id);
}

/**
 * Records the text of every statement any client of the pool sends (ours and graphile-worker's)
 * until `stop()`; clients already wrapped are not wrapped twice.
 */
export function recordStatements(pool: TestDatabase['pool']): { statements: string[]; stop(): void } {
  const statements: string[] = [];
  const stop = interceptQueries(pool, (query, args) => {
    const first = args[0] as string | { text?: string };
    statements.push(typeof first === 'string' ? first : (first.text ?? ''));
    return query(...args);
  });
  return { statements, stop };
}

/**
 * Routes every query of the pool's clients through `around` (which calls `query` to send it) until
 * the returned function is called.
 */
export function interceptQueries(
  pool: TestDatabase['pool'],
  around: (query: (...args: unknown[]) => unknown, args: unknown[]) => unknown,
): () => void {
  const wrapped = new WeakSet<object>();
  let active = true;
  const wrap = (client: { query: (...args: unknown[]) => unknown }) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client);
    client.query = (...args: unknown[]) => (active ? around(query, args) : query(...args));
  };
  pool.on('acquire', wrap as never);
  return () => {
    active = false;
    pool.off('acquire', wrap as never);
  };
}

/** The most arrivals inside any closed window of `ms` (every window starting at an arrival). */
export function busiestWindow(arrivals: readonly number[], ms: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && (sorted[end] as number) - (sorted[start] as number) <= ms) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

/** A batch's cells as the API's `CellChange`s: what a client decodes from the stream's arrays. */
export function decodeCells(cells: readonly WireCell[]): CellChange[] {
  return cells.map((cell) => decodeFeedCell(JSON.parse(cell.text) as FeedCell));
}

/** A table of `rows` rows and one enrichment column whose cells are written by SQL: every `errorEvery`-th an error. */
export async function tableWithCells(
  db: TestDatabase,
  workspaceId: number,
  name: string,
  rows: number,
  errorEvery: number,
) {
  const table = await createTable(db.pool, { workspaceId, name, inputColumns: ['Email'] });
  const column = await addColumn(db.pool, builtinProviders, {
    tableId: table.id,
    name: 'Email check',
    kind: 'enrichment',
    provider: 'mock',
    config: {},
  });
  await db.pool.query(
    `insert into rows (table_id, position, data) select $1, i, '{}'::jsonb from generate_series(1, $2::int) i`,
    [table.id, rows],
  );
  await db.pool.query(
    `insert into cells (table_id, row_id, column_id, status, value, error)
     select r.table_id, r.id, $2,
            case when $3::int > 0 and r.position::int % $3::int = 0 then 'error' else 'done' end,
            case when $3::int > 0 and r.position::int % $3::int = 0 then null else '{"valid": true}'::jsonb end,
            case when $3::int > 0 and r.position::int % $3::int = 0 then 'mailbox unreachable' end
     from rows r where r.table_id = $1`,
    [table.id, column.id, errorEvery],
  );
  return { tableId: table.id, columnId: column.id };
}
