import type { Cell, Column, Run } from '@glaze/core';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { glazeSession } from './glaze-session';
import { clickCell, type GridLayout, openColumnMenu } from './grid-points';

/**
 * The column form in a real Chromium against a real `glaze start`: providers grouped with mock last,
 * plain messages, the live preview, "Add and run", the waterfall step builder, a stale cell re-run
 * with scope stale, "Run all columns" and "Run this row". GLAZE_SCREENSHOTS=docs keeps
 * docs/column-form.png there.
 */
const rows = 30;
// name, email are input columns; Email check (2) and Domain info (3) are added by the tests.
const layout: GridLayout = { widths: [180, 180, 280, 280] };

const session = glazeSession();
const { api } = session;
let page: Page;
let tableId: number;

const columns = async () => (await api<{ columns: Column[] }>('GET', `/tables/${tableId}`)).columns;
const column = async (name: string) => (await columns()).find((c) => c.name === name) as Column;
const runs = async () => (await api<{ runs: Run[] }>('GET', `/tables/${tableId}/runs`)).runs;
async function cells(columnId: number) {
  const page = await api<{ rows: Array<{ id: number; cells: Record<string, Cell> }> }>(
    'GET',
    `/tables/${tableId}/rows?limit=100`,
  );
  return page.rows.map((row) => ({ rowId: row.id, ...row.cells[columnId] }) as Cell & { rowId: number });
}

beforeAll(async () => {
  page = session.page;
  const { table } = await api<{ table: { id: number } }>('POST', '/tables', {
    name: 'Leads',
    columns: ['name', 'email'],
  });
  tableId = table.id;
  await api('POST', `/tables/${tableId}/rows`, {
    rows: Array.from({ length: rows }, (_, i) => ({ name: `Person ${i}`, email: `p${i}@example.com` })),
  });
  await page.goto(`${session.server.url}/#/tables/${tableId}`);
  await page.waitForSelector('.connection[data-status=live]');
}, 60_000);

describe('the column form', () => {
  it('groups providers by what they do, mock last under Testing, and starts on a real provider', async () => {
    await page.click('text=+ Enrichment column');
    await page.waitForSelector('#column-provider optgroup', { state: 'attached' });
    const groups = await page.$$eval('#column-provider optgroup', (nodes) =>
      nodes.map((node) => ({
        label: node.getAttribute('label'),
        options: [...node.querySelectorAll('option')].map((o) => o.value),
      })),
    );
    expect(groups.map((g) => g.label)).toEqual(['Validate', 'Call an API', 'AI', 'Transform', 'Testing']);
    expect(groups.at(-1)?.options).toEqual(['mock']);
    expect(groups[1]?.options).toEqual(['http', 'waterfall']);
    expect(await page.inputValue('#column-provider')).toBe('email');
  });

  it('says what is wrong in plain words under the field', async () => {
    await page.click('[data-testid=column-panel] button:text-is("Add and run")');
    await expect
      .poll(() => page.locator('[data-field=name] .field-error').textContent())
      .toBe('Name is required');
    // the server's message, under its field
    await page.fill('#column-name', 'Slow');
    await page.selectOption('#column-provider', 'mock');
    await page.fill('#field-latencyMs', 'soon');
    await page.click('[data-testid=column-panel] button:text-is("Add")');
    await expect
      .poll(() => page.locator('[data-field=latencyMs] .field-error').textContent())
      .toBe('Latency ms must be a number');
    expect(await page.locator('[data-field=name] .field-error').count()).toBe(0);
  });

  it('previews the first 5 rows live, before anything is saved', async () => {
    await page.fill('#column-name', 'Email check');
    await page.selectOption('#column-provider', 'email');
    await page.fill('#field-input', '{{email}}');
    const preview = page.locator('[data-testid=column-preview][data-fresh] [data-preview-row]');
    await expect.poll(() => preview.count(), { timeout: 10_000 }).toBe(5);
    expect(await preview.first().getAttribute('data-status')).toBe('done');
    expect(await preview.first().textContent()).toContain('p0@example.com');
    // a change previews again: the name is no email
    await page.fill('#field-input', '{{name}}');
    await expect
      .poll(() =>
        page.locator('[data-testid=column-preview][data-fresh] [data-preview-row="1"]').textContent(),
      )
      .toContain('Person 0');
    expect(await api<{ columns: Column[] }>('GET', `/tables/${tableId}`).then((t) => t.columns.length)).toBe(
      2,
    );
    await page.fill('#field-input', '{{email}}');
  });

  it('"Add and run" adds the column and runs every row', { timeout: 60_000 }, async () => {
    await page.click('[data-testid=column-panel] button:text-is("Add and run")');
    await page.waitForSelector('[data-testid=column-panel]', { state: 'detached' });
    await page.waitForSelector(`.run[data-status=done] >> text=Finished: ${rows} cells in`, {
      timeout: 30_000,
    });
    const check = await column('Email check');
    const done = await cells(check.id);
    expect(done.filter((c) => c.status === 'done')).toHaveLength(rows);
    expect(done[0]?.value).toMatchObject({ email: 'p0@example.com', valid: true });
  });

  it('builds a 2-step waterfall from steps, not JSON, and each cell is answered by the right step', async () => {
    await page.click('text=+ Enrichment column');
    await page.fill('#column-name', 'Domain info');
    await page.selectOption('#column-provider', 'waterfall');
    await page.waitForSelector('[data-field=steps]');
    expect(await page.locator('[data-field=steps] textarea.mono').count()).toBe(0);
    // step 1: the email check
    await page.selectOption('#step-new-provider', 'email');
    await page.click('text=+ Add step');
    await page.fill('#step-0-field-input', '{{email}}');
    // step 2: a mock that always fails; then moved up, so it is tried first and falls through
    await page.selectOption('#step-new-provider', 'mock');
    await page.click('text=+ Add step');
    await page.fill('#step-1-field-input', '{{email}}');
    await page.fill('#step-1-field-failRate', '1');
    await page.click('[aria-label="Move step 2 up"]');
    expect(await page.inputValue('#step-0-provider')).toBe('mock');
    expect(await page.inputValue('#step-1-provider')).toBe('email');
    await expect
      .poll(
        () => page.locator('[data-testid=column-preview][data-fresh] [data-preview-row="1"]').textContent(),
        {
          timeout: 10_000,
        },
      )
      .toMatch(/via step 2 \(email\): .*email: p0@example\.com/);
    // the whole panel, steps and preview, on a viewport tall enough to hold it
    await page.setViewportSize({ width: 1440, height: 2400 });
    await page
      .locator('[data-testid=column-panel] .column-form')
      .screenshot({ path: session.shot('column-form.png') });
    await page.setViewportSize({ width: 1440, height: 1000 });

    await page.click('[data-testid=column-panel] button:text-is("Add and run")');
    await page.waitForSelector('[data-testid=column-panel]', { state: 'detached' });
    const waterfall = await column('Domain info');
    expect(waterfall.config.steps).toEqual([
      { provider: 'mock', config: expect.objectContaining({ input: '{{email}}', failRate: 1 }) },
      { provider: 'email', config: expect.objectContaining({ input: '{{email}}' }) },
    ]);
    await expect
      .poll(async () => (await cells(waterfall.id)).filter((c) => c.status === 'done').length, {
        timeout: 30_000,
      })
      .toBe(rows);
    for (const cell of await cells(waterfall.id)) {
      expect(cell.value).toMatchObject({ provider: 'email', step: 1 });
      expect(cell.meta).toMatchObject({ answeredBy: 'email', step: 1 });
    }
  });

  it('a stale cell goes stale on an edit and re-runs with scope stale from the column menu', async () => {
    const check = await column('Email check');
    const first = (await cells(check.id))[0] as Cell & { rowId: number };
    await api('PATCH', `/tables/${tableId}/rows`, {
      rows: [{ id: first.rowId, values: { email: 'renamed@example.com' } }],
    });
    await clickCell(page, layout, 2, 0);
    await expect.poll(() => page.locator('[data-testid=cell-status]').textContent()).toBe('stale');
    await page.click('.side-panel button[aria-label=Close]');

    await openColumnMenu(page, layout, 2);
    expect(await page.locator('.menu[role=menu]').getAttribute('aria-label')).toBe('Email check menu');
    await page.click('text=Run stale cells (inputs changed)');
    // The API first, so a failure says which run there was; then the run panel.
    await expect
      .poll(async () => (await runs())[0], { timeout: 20_000 })
      .toMatchObject({
        columnId: check.id,
        total: 1,
        status: 'done',
      });
    await page.waitForSelector('.run[data-status=done] >> text=Finished: 1 cell in', { timeout: 10_000 });
    expect((await cells(check.id))[0]).toMatchObject({
      status: 'done',
      value: expect.objectContaining({ email: 'renamed@example.com' }),
    });
  });

  it('"Run all columns" runs every enrichment column, and "Run this row" one row of each', async () => {
    const enrichment = (await columns()).filter((c) => c.kind === 'enrichment').map((c) => c.id);
    const before = (await runs()).length;
    await page.click('text=▶ Run all columns');
    await expect.poll(async () => (await runs()).length).toBe(before + enrichment.length);
    const all = (await runs()).slice(0, enrichment.length);
    expect(all.map((r) => r.columnId).sort()).toEqual([...enrichment].sort());
    expect(all.every((r) => r.total === rows)).toBe(true);
    await expect
      .poll(async () => (await runs()).slice(0, enrichment.length).every((r) => r.status === 'done'), {
        timeout: 60_000,
      })
      .toBe(true);

    await clickCell(page, layout, 2, 3);
    await page.waitForSelector('[data-testid=cell-detail]');
    await page.click('text=Run this row');
    await expect.poll(async () => (await runs()).length).toBe(before + 2 * enrichment.length);
    const row = (await runs()).slice(0, enrichment.length);
    expect(row.every((r) => r.total === 1)).toBe(true);
    await page.click('.side-panel button[aria-label=Close]');
  });
});
