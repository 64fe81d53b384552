import { builtinProviders } from '@glaze/providers';
import { describe, expect, it } from 'vitest';
import { addColumn, columnReads, createTable, insertRows, startRun, updateColumn } from '../src/index';
import { cellsOf, createWorkspace, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

const providers = builtinProviders;

/** A table whose enrichment columns read `Web` in every form, next to `Website` (`Web` is its prefix). */
async function seed() {
  const workspaceId = await createWorkspace(db);
  const table = await createTable(db.pool, {
    workspaceId,
    name: 'rename',
    inputColumns: ['Web', 'Website', 'Company.domain', 'Company'],
  });
  await insertRows(db.pool, table.id, [
    { Web: 'acme', Website: 'acme.io', 'Company.domain': 'x.io', Company: 'Acme' },
    { Web: '', Website: 'blank.io', 'Company.domain': '', Company: 'Blank' },
  ]);
  const add = (name: string, provider: string, config: Record<string, unknown>) =>
    addColumn(db.pool, providers, { tableId: table.id, name, kind: 'enrichment', provider, config });
  const formula = await add('Joined', 'formula', {
    expression: `Web + "|" + row["Web"] + "|" + row['Web'] + "|" + row.Web + "|" + row?.Web + "|" + Website + "|" + ({ Web: 1 }).Web + "|" + "Web" + "|" + Company.length`,
    runIf: 'Web != "x" && row["Website"] != ""',
  });
  const http = await add('Lookup', 'http', {
    url: 'https://api.example.com/lookup?q={{Web}}&site={{Website}}&d={{Company.domain}}',
    headers: { 'X-Site': '{{ Web }}', 'X-Co': '{{Company}}' },
    body: { site: '{{Web}}', nested: ['{{Web.sub}}', '{{Website}}'] },
    method: 'POST',
  });
  const llm = await add('Summary', 'llm', {
    prompt: 'Summarise {{Web}} ({{Website}})',
    system: 'About {{Web}}',
    apiKey: 'test-key',
  });
  const waterfall = await add('First', 'waterfall', {
    steps: [
      { provider: 'formula', config: { expression: 'lower(Web)' } },
      { provider: 'mock', config: { input: '{{Web}} via {{Website}}' } },
    ],
  });
  const untouched = await add('Other', 'mock', { input: '{{Website}} {{Company.domain}}', runIf: 'Website' });
  return { table, formula, http, llm, waterfall, untouched };
}

async function configOf(id: number) {
  const { rows } = await db.pool.query('select config from columns where id = $1', [id]);
  return rows[0].config;
}

async function columnsOf(tableId: number) {
  const { rows } = await db.pool.query(
    'select id, name, provider, config from columns where table_id = $1 order by position',
    [tableId],
  );
  return rows;
}

describe('renaming a column rewrites what reads it', () => {
  it('rewrites templates, formulas, runIf and waterfall steps, leaving prefixes, strings and keys alone', async () => {
    const { table, formula, http, llm, waterfall, untouched } = await seed();
    const web = (await columnsOf(table.id)).find((c) => c.name === 'Web');
    const beforeOther = await configOf(untouched.id);
    await updateColumn(db.pool, providers, { tableId: table.id, columnId: web.id, name: 'Home page' });

    expect((await configOf(formula.id)).expression).toBe(
      `row["Home page"] + "|" + row["Home page"] + "|" + row["Home page"] + "|" + row["Home page"] + "|" + row?.["Home page"] + "|" + Website + "|" + ({ Web: 1 }).Web + "|" + "Web" + "|" + Company.length`,
    );
    expect((await configOf(formula.id)).runIf).toBe('row["Home page"] != "x" && row["Website"] != ""');
    expect(await configOf(http.id)).toMatchObject({
      url: 'https://api.example.com/lookup?q={{Home page}}&site={{Website}}&d={{Company.domain}}',
      headers: { 'X-Site': '{{ Home page }}', 'X-Co': '{{Company}}' },
      body: { site: '{{Home page}}', nested: ['{{Home page.sub}}', '{{Website}}'] },
      method: 'POST',
    });
    expect(await configOf(llm.id)).toMatchObject({
      prompt: 'Summarise {{Home page}} ({{Website}})',
      system: 'About {{Home page}}',
    });
    expect((await configOf(waterfall.id)).steps).toEqual([
      { provider: 'formula', config: { expression: 'lower(row["Home page"])' } },
      { provider: 'mock', config: expect.objectContaining({ input: '{{Home page}} via {{Website}}' }) },
    ]);
    expect(await configOf(untouched.id)).toEqual(beforeOther);

    // Dependency detection sees the same reads under the new name.
    const columns = await columnsOf(table.id);
    const names = columns.map((c: { name: string }) => c.name);
    for (const id of [formula.id, http.id, llm.id, waterfall.id]) {
      const column = columns.find((c: { id: number }) => c.id === id);
      expect(columnReads(providers, column, names)).toContain('Home page');
      expect(columnReads(providers, column, names)).not.toContain('Web');
    }
  });

  it('keeps a bare name when the new name is an identifier, and renames a dotted column whole', async () => {
    const { table, formula, http } = await seed();
    const columns = await columnsOf(table.id);
    const web = columns.find((c: { name: string }) => c.name === 'Web');
    await updateColumn(db.pool, providers, { tableId: table.id, columnId: web.id, name: 'Site' });
    expect((await configOf(formula.id)).expression).toMatch(
      /^Site \+ "\|" \+ row\["Site"\] \+ .* row\.Site .* row\?\.Site/,
    );
    const dotted = columns.find((c: { name: string }) => c.name === 'Company.domain');
    await updateColumn(db.pool, providers, { tableId: table.id, columnId: dotted.id, name: 'Domain' });
    expect((await configOf(http.id)).url).toBe(
      'https://api.example.com/lookup?q={{Site}}&site={{Website}}&d={{Domain}}',
    );
    expect((await configOf(http.id)).headers['X-Co']).toBe('{{Company}}');
  });

  it('does not touch cells: done stays done, and the dependant runs with the right values after', async () => {
    const { table, formula } = await seed();
    const worker = await startTestWorker(db);
    try {
      const first = await startRun(db.pool, { columnId: formula.id, scope: 'all' });
      await waitForRun(db, first.id);
      const before = await cellsOf(db, formula.id);
      expect(before.map((c) => c.status)).toEqual(['done', 'done']);

      const web = (await columnsOf(table.id)).find((c: { name: string }) => c.name === 'Web');
      await updateColumn(db.pool, providers, { tableId: table.id, columnId: web.id, name: 'Home page' });
      const after = await cellsOf(db, formula.id);
      expect(after.map((c) => [c.status, c.seq])).toEqual(before.map((c) => [c.status, c.seq]));

      const second = await startRun(db.pool, { columnId: formula.id, scope: 'all' });
      await waitForRun(db, second.id);
      const cells = await cellsOf(db, formula.id);
      expect(cells.map((c) => c.status)).toEqual(['done', 'done']);
      expect(cells[0].value).toBe('acme|acme|acme|acme|acme|acme.io|1|Web|4');
      expect(cells[1].value).toBe('|||||blank.io|1|Web|5');
    } finally {
      await worker.stop();
    }
  });

  it('refuses a rename it cannot rewrite safely, naming the column, and changes nothing', async () => {
    const { table, formula } = await seed();
    const tricky = await addColumn(db.pool, providers, {
      tableId: table.id,
      name: 'Tricky',
      kind: 'enrichment',
      provider: 'formula',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the expression's own template string
      config: { expression: '`${Web}!`' },
    });
    const before = await columnsOf(table.id);
    const web = before.find((c: { name: string }) => c.name === 'Web');
    await expect(
      updateColumn(db.pool, providers, { tableId: table.id, columnId: web.id, name: 'Home page' }),
    ).rejects.toMatchObject({
      path: 'name',
      message: expect.stringContaining('column "Tricky" reads "Web"'),
    });
    expect(await columnsOf(table.id)).toEqual(before);
    expect(tricky.id).toBeGreaterThan(formula.id);
  });

  it('rewrites nothing when the new name is taken (the rename fails as a conflict)', async () => {
    const { table } = await seed();
    const before = await columnsOf(table.id);
    const web = before.find((c: { name: string }) => c.name === 'Web');
    await expect(
      updateColumn(db.pool, providers, { tableId: table.id, columnId: web.id, name: 'Website' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await columnsOf(table.id)).toEqual(before);
  });
});
