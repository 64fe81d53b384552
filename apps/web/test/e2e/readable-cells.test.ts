import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { glazeSession } from './glaze-session';
import { clickCell, type GridLayout, openColumnMenu } from './grid-points';

/**
 * Readable cells and a safe rename in a real Chromium against a real `glaze start`: email and
 * waterfall cells show their one-line display, a cell with no result says so, the detail panel
 * shows the whole value; renaming a column the Greeting formula reads keeps Greeting working.
 * GLAZE_SCREENSHOTS=docs keeps docs/readable-cells.png there.
 */

// Name, Email, Email check, Website, Domain (waterfall), Greeting (formula reading Name)
const layout: GridLayout = { widths: [180, 180, 280, 180, 280, 280] };
const people = [
  { Name: 'Ada Lovelace', Email: 'ada@gmail.com', Website: 'https://www.analytical.io/about' },
  { Name: 'Grace Hopper', Email: 'grace@navy.mil', Website: '' },
  { Name: 'Alan Turing', Email: 'alan@bletchley', Website: 'bletchley.org' },
  { Name: 'Nobody', Email: 'none', Website: '' },
  { Name: 'Linus Torvalds', Email: 'linus@mailinator.com', Website: '' },
];

const session = glazeSession({ viewport: { width: 1600, height: 640 } });
const { api } = session;
let page: Page;
let tableId: number;
const columns: Record<string, number> = {};

async function runToEnd(columnId: number): Promise<void> {
  const { run } = await api<{ run: { id: number } }>('POST', `/tables/${tableId}/columns/${columnId}/runs`, {
    scope: 'all',
  });
  await expect
    .poll(async () => (await api<{ run: { status: string } }>('GET', `/runs/${run.id}`)).run.status, {
      timeout: 30_000,
    })
    .toBe('done');
}

type Cells = Record<string, { status: string; value: unknown; seq: number }>;
async function cellsOf(columnId: number): Promise<{ status: string; value: unknown; seq: number }[]> {
  const { rows } = await api<{ rows: { cells: Cells }[] }>('GET', `/tables/${tableId}/rows?limit=100`);
  return rows.map((row) => row.cells[columnId] ?? { status: 'idle', value: null, seq: 0 });
}

beforeAll(() => {
  page = session.page;
});

describe('readable cells', () => {
  it('shows email and waterfall results in one line, and no result as such', {
    timeout: 120_000,
  }, async () => {
    const { table } = await api<{ table: { id: number } }>('POST', '/tables', {
      name: 'People',
      columns: ['Name', 'Email'],
    });
    tableId = table.id;
    const add = async (name: string, body: Record<string, unknown>) => {
      const { column } = await api<{ column: { id: number } }>('POST', `/tables/${tableId}/columns`, {
        name,
        ...body,
      });
      columns[name] = column.id;
    };
    await add('Email check', { kind: 'enrichment', provider: 'email', config: { input: '{{Email}}' } });
    await add('Website', { kind: 'input' });
    await add('Domain', {
      kind: 'enrichment',
      provider: 'waterfall',
      config: {
        steps: [
          { provider: 'formula', config: { expression: 'domain(Website)' } },
          { provider: 'formula', config: { expression: 'Email.includes("@") ? domain(Email) : ""' } },
        ],
      },
    });
    await add('Greeting', {
      kind: 'enrichment',
      provider: 'formula',
      config: { expression: '"Hi " + split(Name, " ", 0)' },
    });
    await api('POST', `/tables/${tableId}/rows`, { rows: people });
    for (const name of ['Email check', 'Domain', 'Greeting']) await runToEnd(columns[name] as number);

    await page.goto(`${session.server.url}/#/tables/${tableId}`);
    await page.waitForSelector('.connection[data-status=live]');

    const detail = async (col: number, row: number) => {
      await clickCell(page, layout, col, row);
      await page.waitForSelector('[data-testid=cell-detail]');
      await expect.poll(() => page.locator('[data-testid=cell-status]').textContent()).not.toBe('never run');
      return (await page.locator('[data-testid=cell-display]').textContent({ timeout: 10_000 })) ?? '';
    };
    expect(await detail(2, 0)).toBe('✓ valid · free mail');
    expect(await detail(2, 2)).toMatch(/^✗ invalid: domain /);
    expect(await detail(2, 4)).toBe('✓ valid · disposable · free mail');
    expect(await detail(4, 1)).toBe('navy.mil · via formula (step 2)');
    expect(await detail(4, 3)).toMatch(/^— no result/);
    expect(await page.locator('[data-testid=cell-status]').textContent()).toBe('done');

    // The waterfall cell of row 1 in full: display, steps, highlighted JSON; then the screenshot.
    expect(await detail(4, 0)).toBe('analytical.io · via formula (step 1)');
    await expect.poll(() => page.locator('[data-testid=cell-steps] li').count()).toBe(1);
    await expect
      .poll(async () => (await page.locator('[data-testid=cell-value] .key').allTextContents()).sort())
      .toEqual(['"provider"', '"step"', '"value"']);
    expect((await page.locator('[data-testid=cell-value] .string').allTextContents()).sort()).toEqual([
      '"analytical.io"',
      '"formula"',
    ]);
    expect(await page.locator('[data-testid=cell-value] .number').allTextContents()).toEqual(['0']);
    await detail(4, 1);
    await expect
      .poll(() => page.locator('[data-testid=cell-steps] li').allTextContents())
      .toEqual(['formula · empty · no result', 'formula · ok']);
    await page.screenshot({ path: session.shot('readable-cells.png') });
    await page.click('.side-panel button[aria-label=Close]');
  });

  it('renames a column the Greeting formula reads; Greeting reruns with the right values', {
    timeout: 90_000,
  }, async () => {
    page.once('dialog', (dialog) => dialog.accept('Full name'));
    await openColumnMenu(page, layout, 0);
    await page.click('text=Rename…');
    await expect
      .poll(async () => {
        const { columns: list } = await api<{ columns: { id: number; name: string; config: unknown }[] }>(
          'GET',
          `/tables/${tableId}`,
        );
        return list.find((c) => c.id === columns.Greeting)?.config;
      })
      .toMatchObject({ expression: '"Hi " + split(row["Full name"], " ", 0)' });
    // the rename changed no cell: Greeting is still done, not stale
    const before = await cellsOf(columns.Greeting as number);
    expect(before.map((c) => c.status)).toEqual(Array(5).fill('done'));

    type Runs = { runs: { id: number; columnId: number; status: string; counts: Record<string, number> }[] };
    const greetingRuns = async () =>
      (await api<Runs>('GET', `/tables/${tableId}/runs`)).runs.filter((r) => r.columnId === columns.Greeting);
    const runsBefore = (await greetingRuns()).length;
    await openColumnMenu(page, layout, 5);
    await page.click('text=Run all rows');
    await expect
      .poll(async () => (await greetingRuns()).map((r) => r.status), { timeout: 30_000 })
      .toEqual(Array(runsBefore + 1).fill('done'));
    const cells = await cellsOf(columns.Greeting as number);
    expect(cells).toEqual(
      ['Hi Ada', 'Hi Grace', 'Hi Alan', 'Hi Nobody', 'Hi Linus'].map((value) =>
        expect.objectContaining({ status: 'done', value }),
      ),
    );
    // computed again by the new run, under the new name
    for (const [i, cell] of cells.entries()) expect(cell.seq).toBeGreaterThan(before[i]?.seq ?? 0);
  });

  it('opens a value over 64 KB, which row pages and the feed leave out, whole', {
    timeout: 60_000,
  }, async () => {
    const { table } = await api<{ table: { id: number } }>('POST', '/tables', {
      name: 'Pages',
      columns: ['Page'],
    });
    tableId = table.id;
    const { column } = await api<{ column: { id: number } }>('POST', `/tables/${tableId}/columns`, {
      name: 'Echo',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{Page}}' },
    });
    const text = 'lorem ipsum '.repeat(10_000);
    await api('POST', `/tables/${tableId}/rows`, { rows: [{ Page: text }, { Page: 'short' }] });
    await runToEnd(column.id);
    const { rows } = await api<{
      rows: { cells: Record<string, { value: unknown; largeValueBytes: number | null }> }[];
    }>('GET', `/tables/${tableId}/rows`);
    const [large, small] = rows.map((row) => row.cells[column.id]);
    expect(large).toMatchObject({ value: null, largeValueBytes: expect.any(Number) });
    expect(large?.largeValueBytes).toBeGreaterThan(120_000);
    expect(small).toMatchObject({
      value: expect.objectContaining({ input: 'short' }),
      largeValueBytes: null,
    });

    await page.goto(`${session.server.url}/#/tables/${tableId}`);
    await page.waitForSelector('.connection[data-status=live]');
    await clickCell(page, { widths: [180, 280] }, 1, 0);
    await page.waitForSelector('[data-testid=cell-detail]');
    await expect
      .poll(async () => (await page.locator('[data-testid=cell-value] .key').allTextContents()).sort(), {
        timeout: 10_000,
      })
      .toEqual(['"hash"', '"input"', '"length"']);
    expect(await page.locator('[data-testid=cell-value] .number').allTextContents()).toEqual(['120000']);
    const strings = await page.locator('[data-testid=cell-value] .string').allTextContents();
    expect(Math.max(...strings.map((string) => string.length))).toBe(text.length + 2);
    await page.screenshot({ path: session.shot('large-value.png') });
    await page.click('.side-panel button[aria-label=Close]');
  });
});
