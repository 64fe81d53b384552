import type { AnyProvider } from '@glaze/core';
import { builtinProviders } from '@glaze/providers';
import { describe, expect, it } from 'vitest';
import {
  addColumn,
  createTable,
  findCycle,
  insertRows,
  runAutoColumns,
  startRun,
  updateColumn,
} from '../src/index';
import {
  createWorkspace,
  interceptQueries,
  scriptedProvider,
  startTestWorker,
  useTestDatabase,
  waitForRun,
} from './helpers';

const db = useTestDatabase();

describe('findCycle', () => {
  it('finds no cycle in a chain or a diamond', () => {
    expect(findCycle([])).toBeUndefined();
    expect(
      findCycle([
        { name: 'A', reads: ['B', 'C'] },
        { name: 'B', reads: ['D'] },
        { name: 'C', reads: ['D'] },
        { name: 'D', reads: ['input'] },
      ]),
    ).toBeUndefined();
  });

  it('names the cycle from the first column back to itself', () => {
    expect(
      findCycle([
        { name: 'A', reads: ['B'] },
        { name: 'B', reads: ['A'] },
      ]),
    ).toEqual(['A', 'B', 'A']);
    expect(
      findCycle([
        { name: 'C', reads: ['A'] },
        { name: 'A', reads: ['B'] },
        { name: 'B', reads: ['C', 'x'] },
      ]),
    ).toEqual(['C', 'A', 'B', 'C']);
    expect(findCycle([{ name: 'S', reads: ['S'] }])).toEqual(['S', 'S']);
    // the cycle is found wherever it sits, not only through the first column
    expect(
      findCycle([
        { name: 'X', reads: ['Y'] },
        { name: 'Y', reads: [] },
        { name: 'P', reads: ['Q'] },
        { name: 'Q', reads: ['P'] },
      ]),
    ).toEqual(['P', 'Q', 'P']);
  });

  it('handles a long chain without overflowing the stack', () => {
    const columns = Array.from({ length: 20_000 }, (_, i) => ({ name: `c${i}`, reads: [`c${i + 1}`] }));
    expect(findCycle(columns)).toBeUndefined();
    columns.push({ name: 'c20000', reads: ['c0'] });
    expect(findCycle(columns)?.length).toBe(20_002);
  });
});

// `up` answers `UP(<input>)` once the test releases it; `down` records what it was given.
let release: () => void = () => {};
let gate = new Promise<void>((resolve) => (release = resolve));
const downInputs: string[] = [];
const up = scriptedProvider('up', async (input) => {
  await gate;
  return { kind: 'ok', value: `UP(${input})` };
});
const down = scriptedProvider('down', async (input) => {
  downInputs.push(input);
  return { kind: 'ok', value: `DOWN(${input})` };
});
const providers = new Map<string, AnyProvider>([...builtinProviders, ['up', up], ['down', down]]);

async function table(rows: number) {
  const workspaceId = await createWorkspace(db);
  const created = await createTable(db.pool, { workspaceId, name: 't', inputColumns: ['input'] });
  const rowIds = await insertRows(
    db.pool,
    created.id,
    Array.from({ length: rows }, (_, i) => ({ input: `v${i + 1}` })),
  );
  return { tableId: created.id, rowIds };
}

const enrichment = (tableId: number, name: string, provider: string, config: Record<string, unknown>) =>
  addColumn(db.pool, providers, { tableId, name, kind: 'enrichment', provider, config });

describe('cycles', () => {
  it('refuses a column save that closes a cycle, naming it', async () => {
    const { tableId } = await table(1);
    await enrichment(tableId, 'A', 'down', { input: '{{B}}' }); // B does not exist yet: no cycle
    await expect(enrichment(tableId, 'B', 'down', { input: '{{A.value}}' })).rejects.toThrow(
      'config: column "B" → "A" → "B" forms a cycle',
    );
    const c = await enrichment(tableId, 'C', 'down', { input: '{{A}}' });
    await expect(updateColumn(db.pool, providers, { tableId, columnId: c.id, name: 'B' })).rejects.toThrow(
      'config: column "B" → "A" → "B" forms a cycle',
    );
    // a runIf counts as reading the column too
    await expect(
      enrichment(tableId, 'B', 'down', { input: '{{input}}', runIf: 'C != null' }),
    ).rejects.toThrow('config: column "B" → "C" → "A" → "B" forms a cycle');
    const self = enrichment(tableId, 'S', 'down', { input: '{{S}}' });
    await expect(self).rejects.toThrow('config: column "S" → "S" forms a cycle');
    // nothing of the refused saves was stored
    const { rows } = await db.pool.query('select name from columns where table_id = $1 order by position', [
      tableId,
    ]);
    expect(rows.map((r) => r.name)).toEqual(['input', 'A', 'C']);
  });
});

describe('running downstream columns', () => {
  it('a downstream cell waits while its upstream cell is queued or running, then runs with its value', async () => {
    const { tableId } = await table(6);
    const a = await enrichment(tableId, 'A', 'up', { input: '{{input}}' });
    const b = await enrichment(tableId, 'B', 'down', { input: '{{A}}' });
    gate = new Promise<void>((resolve) => (release = resolve));
    downInputs.length = 0;
    const worker = await startTestWorker(db, { providers, jobConcurrency: 4 });
    try {
      const upRun = await startRun(db.pool, { columnId: a.id, scope: 'all', chunkSize: 3 });
      // Wait until A's cells are held by the worker (running), then ask for B.
      for (let i = 0; i < 200; i++) {
        const { rows } = await db.pool.query(
          `select count(*)::int as n from cell_states where column_id = $1 and status = 'running'`,
          [a.id],
        );
        if (rows[0].n === 6) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const downRun = await startRun(db.pool, { columnId: b.id, scope: 'all', chunkSize: 3 });
      // B's chunks are claimed meanwhile and find A still running: none of B may have run.
      await new Promise((r) => setTimeout(r, 300));
      expect(downInputs).toEqual([]);
      const { rows: waiting } = await db.pool.query(`select status from cell_states where column_id = $1`, [
        b.id,
      ]);
      expect(waiting.every((c) => c.status === 'queued' || c.status === 'running')).toBe(true);
      // ...because they were claimed and moved to later chunks, not because nobody looked at them
      const { rows: chunks } = await db.pool.query(
        'select count(*)::int as n from chunks where run_id = $1',
        [downRun.id],
      );
      expect(chunks[0].n).toBeGreaterThan(2);
      release();
      expect(await waitForRun(db, upRun.id)).toBe('done');
      expect(await waitForRun(db, downRun.id)).toBe('done');
    } finally {
      release();
      await worker.stop();
    }
    expect(downInputs.sort()).toEqual(['UP(v1)', 'UP(v2)', 'UP(v3)', 'UP(v4)', 'UP(v5)', 'UP(v6)']);
    const { rows } = await db.pool.query(
      `select c.status, c.value from cells c join rows r on r.id = c.row_id where c.column_id = $1 order by r.position`,
      [b.id],
    );
    expect(rows.map((r) => r.status)).toEqual(Array(6).fill('done'));
    expect(rows[0].value).toBe('DOWN(UP(v1))');
  });

  it('a downstream cell reads the upstream value written between its claim and its wait check', async () => {
    const { tableId } = await table(3);
    const a = await enrichment(tableId, 'A', 'up', { input: '{{input}}' });
    const b = await enrichment(tableId, 'B', 'down', { input: '{{A}}' });
    gate = new Promise<void>((resolve) => (release = resolve));
    downInputs.length = 0;
    // The race, made certain: A finishes right before B's chunk checks whether A is settled, i.e.
    // after B's chunk was claimed. A value read with the claim would miss A's.
    let upRunId = 0;
    let raced = false;
    const stopIntercepting = interceptQueries(db.pool, (query, args) => {
      if ((args[0] as { name?: string }).name !== 'glaze_blocked_rows' || raced) return query(...args);
      raced = true;
      release();
      return waitForRun(db, upRunId).then(() => query(...args));
    });
    const worker = await startTestWorker(db, { providers, jobConcurrency: 4 });
    try {
      upRunId = (await startRun(db.pool, { columnId: a.id, scope: 'all' })).id;
      const downRun = await startRun(db.pool, { columnId: b.id, scope: 'all' });
      expect(await waitForRun(db, downRun.id)).toBe('done');
    } finally {
      stopIntercepting();
      release();
      await worker.stop();
    }
    expect(raced).toBe(true);
    expect(downInputs.sort()).toEqual(['UP(v1)', 'UP(v2)', 'UP(v3)']);
  });

  it('queues auto-run downstream columns for the rows an upstream column finished, one run per chunk', async () => {
    const { tableId } = await table(8);
    const a = await enrichment(tableId, 'A', 'up', { input: '{{input}}' });
    const b = await enrichment(tableId, 'B', 'down', { input: '{{A}}', autoRun: true });
    const manual = await enrichment(tableId, 'M', 'down', { input: '{{A}}' }); // no autoRun: left idle
    release();
    const worker = await startTestWorker(db, { providers });
    try {
      const upRun = await startRun(db.pool, { columnId: a.id, scope: 'all', chunkSize: 4 });
      expect(await waitForRun(db, upRun.id)).toBe('done');
      // B's runs were started by the worker as A's chunks finished: wait for them.
      for (let i = 0; i < 500; i++) {
        const { rows } = await db.pool.query(
          `select count(*) filter (where status = 'done')::int as done from cells where column_id = $1`,
          [b.id],
        );
        if (rows[0].done === 8) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await worker.stop();
    }
    const { rows: runs } = await db.pool.query(
      `select scope, total, status from runs where column_id = $1 order by id`,
      [b.id],
    );
    expect(runs.length).toBe(2); // one per finished chunk of A, not one per cell
    expect(runs.reduce((n, r) => n + r.total, 0)).toBe(8);
    const { rows: cells } = await db.pool.query(
      `select c.value from cells c join rows r on r.id = c.row_id where c.column_id = $1 order by r.position`,
      [b.id],
    );
    expect(cells.map((c) => c.value)).toEqual(Array.from({ length: 8 }, (_, i) => `DOWN(UP(v${i + 1}))`));
    const { rows: idle } = await db.pool.query('select count(*)::int as n from cells where column_id = $1', [
      manual.id,
    ]);
    expect(idle[0].n).toBe(0);
  });

  it('runAutoColumns starts auto-run columns for new rows; a dependent one follows its upstream', async () => {
    const { tableId } = await table(0);
    const a = await enrichment(tableId, 'A', 'up', { input: '{{input}}', autoRun: true });
    const b = await enrichment(tableId, 'B', 'down', { input: '{{A}}', autoRun: true });
    const off = await enrichment(tableId, 'Off', 'up', { input: '{{input}}' });
    release();
    const worker = await startTestWorker(db, { providers });
    try {
      const rowIds = await insertRows(db.pool, tableId, [{ input: 'n1' }, { input: 'n2' }, { input: 'n3' }]);
      const started = await runAutoColumns(db.pool, tableId, rowIds, { providers });
      expect(started.map((r) => r.columnId)).toEqual([a.id]); // B starts when A finishes its rows
      expect(started[0]?.total).toBe(3);
      expect(await waitForRun(db, started[0]?.id as number)).toBe('done');
      for (let i = 0; i < 500; i++) {
        const { rows } = await db.pool.query(
          `select count(*) filter (where status = 'done')::int as done from cells where column_id = $1`,
          [b.id],
        );
        if (rows[0].done === 3) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await worker.stop();
    }
    const { rows } = await db.pool.query(
      `select c.column_id as "columnId", c.status, c.value from cells c join rows r on r.id = c.row_id
       where c.table_id = $1 order by c.column_id, r.position`,
      [tableId],
    );
    expect(rows.filter((r) => r.columnId === b.id).map((r) => r.value)).toEqual([
      'DOWN(UP(n1))',
      'DOWN(UP(n2))',
      'DOWN(UP(n3))',
    ]);
    expect(rows.filter((r) => r.columnId === off.id)).toEqual([]); // autoRun is off by default
    // without providers every auto-run column starts; B's cells then wait for A's
    expect(await runAutoColumns(db.pool, tableId, [])).toEqual([]);
  });
});
