import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorInput, glazeSession } from './glaze-session';
import { dragHeader, type GridLayout, openColumnMenu } from './grid-points';

/**
 * Saved views in a real Chromium: filter to a column's errors, sort, hide a column, save it as a
 * view; open the view from its link in a fresh page (rows, order and hidden column as saved); run
 * another column over "the rows of this view" and see only those cells run. Every expectation is
 * what the rows API answers for the same question.
 * GLAZE_SCREENSHOTS=docs keeps docs/views.png.
 */
const total = 48;
const csv = [
  'name,email,city',
  ...Array.from(
    { length: total },
    (_, i) =>
      `Person ${String(i).padStart(2, '0')},user${i}@example.com,${['Zürich', 'Köln', 'Lyon'][i % 3]}`,
  ),
].join('\n');
// name, email, city, Echo, Again; with city hidden: name, email, Echo, Again.
const layout: GridLayout = { widths: [180, 180, 180, 280, 280] };
const hiddenLayout: GridLayout = { widths: [180, 180, 280, 280] };
const session = glazeSession();
const { api } = session;
let page: Page;
beforeAll(() => {
  page = session.page;
});
let tableId = 0;
const ids = { name: 0, email: 0, city: 0, echo: 0, again: 0, view: 0 };

type ApiRow = { id: number; values: Record<string, unknown>; cells: Record<string, { status: string }> };
/** The rows the API selects for the view's question, in the view's order. */
async function echoErrorsByNameDesc(): Promise<ApiRow[]> {
  const params = new URLSearchParams({
    filter: JSON.stringify({ column: 'Echo', op: 'status', value: ['error'] }),
    sort: 'name:desc',
    limit: '1000',
  });
  return (await api<{ rows: ApiRow[] }>('GET', `/tables/${tableId}/rows?${params}`)).rows;
}

const matchCount = () => page.locator('[data-testid=match-count]').textContent();
const viewsButton = () => page.locator('[data-testid=views-button]').textContent();

describe('saved views', () => {
  it('imports a table, runs a failing mock over it and adds a column not run yet', async () => {
    tableId = await session.importCsv('people.csv', csv);
    await expect.poll(() => page.locator('.toolbar').textContent()).toContain(`${total} rows`);
    const echo = await api<{ column: { id: number } }>('POST', `/tables/${tableId}/columns`, {
      name: 'Echo',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{email}}', failRate: 0.4 },
    });
    await api('POST', `/tables/${tableId}/columns/${echo.column.id}/runs`, { scope: 'all' });
    await api('POST', `/tables/${tableId}/columns`, {
      name: 'Again',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{name}}' },
    });
    const { columns } = await api<{ columns: { id: number; name: string }[] }>('GET', `/tables/${tableId}`);
    for (const c of columns) ids[c.name.toLowerCase() as 'name'] = c.id;
    expect(Object.values(ids).filter((id) => id > 0)).toHaveLength(5);
    await expect.poll(() => page.locator('.run[data-status=running]').count(), { timeout: 30_000 }).toBe(0);
  });

  it('filters to errors, sorts, hides a column and saves it all as a view', async () => {
    const expected = await echoErrorsByNameDesc();
    expect(expected.length).toBeGreaterThan(3);
    expect(expected.length).toBeLessThan(total);
    await page.selectOption('select[aria-label="Filter column"]', { label: 'Echo' });
    await page.selectOption('select[aria-label="Filter condition"]', { label: 'has an error' });
    await page.click('text=Add filter');
    await expect.poll(matchCount).toBe(`${expected.length} of ${total} rows`);
    await openColumnMenu(page, layout, 0);
    await page.click('text=Sort descending ↓');
    await openColumnMenu(page, layout, 2);
    await page.click('.menu >> text=Hide column');
    await expect
      .poll(() => page.locator('[data-testid=hidden-chip]').textContent())
      .toContain('Hidden: city');
    expect(page.url()).toContain(`hidden=${ids.city}`);

    await page.click('[data-testid=views-button]');
    await page.fill('input[aria-label="New view name"]', 'Echo errors');
    await page.click('text=Save as new view');
    await expect.poll(viewsButton).toContain('View: Echo errors');
    const { views } = await api<{
      views: { id: number; name: string; query: unknown; hiddenColumnIds: number[] }[];
    }>('GET', `/tables/${tableId}/views`);
    expect(views).toHaveLength(1);
    ids.view = views[0]?.id ?? 0;
    expect(views[0]).toMatchObject({
      name: 'Echo errors',
      query: {
        filter: { column: ids.echo, op: 'status', value: ['error'] },
        sort: { column: ids.name, direction: 'desc' },
      },
      hiddenColumnIds: [ids.city],
    });
    expect(page.url()).toContain(`view=${ids.view}`);

    // A search on top changes the state, not the view, until it is saved as a view of its own.
    await page.fill('input[aria-label="Search rows"]', 'zürich');
    await expect.poll(viewsButton).toContain('View: Echo errors (changed)');
    await page.click('[data-testid=views-button]');
    await page.fill('input[aria-label="New view name"]', 'Echo errors in Zürich');
    await page.click('text=Save as new view');
    await expect.poll(viewsButton).toContain('View: Echo errors in Zürich');
    await page.click('[data-testid=views-button]');
    await expect.poll(() => page.locator('.views-dropdown [role=menuitemradio]').count()).toBe(3);
    await page.screenshot({ path: session.shot('views.png') });

    // A second save under a name the table has is refused with the field named, and nothing is added.
    await page.fill('input[aria-label="New view name"]', 'Echo errors');
    await page.click('text=Save as new view');
    await expect
      .poll(() => page.locator('.views-dropdown .field-error').textContent())
      .toContain('name: this table already has a view named "Echo errors"');
    await page.keyboard.press('Escape');
    expect((await api<{ views: unknown[] }>('GET', `/tables/${tableId}/views`)).views).toHaveLength(2);
  });

  it('opens the view from its link in a fresh page: its rows, its order, its hidden column', async () => {
    const expected = await echoErrorsByNameDesc();
    await page.goto('about:blank');
    await page.goto(`${session.server.url}/#/tables/${tableId}?view=${ids.view}`);
    await expect.poll(viewsButton, { timeout: 15_000 }).toContain('View: Echo errors');
    await expect.poll(matchCount, { timeout: 15_000 }).toBe(`${expected.length} of ${total} rows`);
    await expect
      .poll(() => page.locator('[data-testid=hidden-chip]').textContent())
      .toContain('Hidden: city');
    expect(await viewsButton()).not.toContain('changed');
    // city is hidden: the third column on screen is Echo.
    await openColumnMenu(page, hiddenLayout, 2);
    expect(await page.locator('.menu[role=menu]').getAttribute('aria-label')).toBe('Echo menu');
    await page.keyboard.press('Escape');
    const emails = expected.map((row) => String(row.values[ids.email]));
    await expect.poll(() => errorInput(page, hiddenLayout, 2, 0)).toBe(emails[0]);
    await expect.poll(() => errorInput(page, hiddenLayout, 2, 1)).toBe(emails[1]);
    await expect.poll(() => errorInput(page, hiddenLayout, 2, expected.length - 1)).toBe(emails.at(-1));
  });

  // The run ends (the API says so) having run exactly the view's rows, and its card says so too: a
  // card stuck on "running" was the POST's late answer replacing the feed's finished snapshot.
  it('runs a column over the rows of the view: only those cells run', { timeout: 90_000 }, async () => {
    const expected = new Set((await echoErrorsByNameDesc()).map((row) => row.id));
    await openColumnMenu(page, hiddenLayout, 3);
    expect(await page.locator('.menu[role=menu]').getAttribute('aria-label')).toBe('Again menu');
    await page.click('text=Run rows of view “Echo errors”', { timeout: 10_000 });
    const againRun = page.locator('.run', { hasText: 'Again' });
    await expect.poll(() => againRun.count(), { timeout: 20_000 }).toBe(1);
    type RunRow = { columnId: number; status: string; total: number; counts: Record<string, number> };
    const apiRun = async () =>
      (await api<{ runs: RunRow[] }>('GET', `/tables/${tableId}/runs`)).runs.find(
        (r) => r.columnId === ids.again,
      );
    await expect.poll(async () => (await apiRun())?.status, { timeout: 30_000 }).toBe('done');
    expect(await apiRun()).toMatchObject({ total: expected.size });
    await expect
      .poll(() => againRun.getAttribute('data-status'), {
        timeout: 15_000,
        message: "the API says the view's run is done: its card should too",
      })
      .toBe('done');
    const { rows } = await api<{ rows: ApiRow[] }>('GET', `/tables/${tableId}/rows?limit=1000`);
    expect(rows).toHaveLength(total);
    const ran = new Set(rows.filter((row) => row.cells[ids.again]?.status === 'done').map((row) => row.id));
    const touched = rows.filter((row) => (row.cells[ids.again]?.status ?? 'idle') !== 'idle').length;
    expect(touched).toBe(expected.size);
    expect([...ran].sort()).toEqual([...expected].sort());
  });

  it('marks the view changed when a filter goes; All rows shows the whole table; picking the view applies it as saved', async () => {
    await page.click('button[aria-label^="Remove filter"]');
    await expect.poll(viewsButton).toContain('(changed)');
    await page.click('[data-testid=views-button]');
    await page.click('.views-dropdown >> text=All rows, all columns');
    await expect.poll(() => page.locator('.toolbar').textContent()).toContain(`${total} rows`);
    await expect.poll(() => page.locator('[data-testid=hidden-chip]').count()).toBe(0);
    expect(page.url()).not.toContain('?');
    await page.click('[data-testid=views-button]');
    await page.click('.views-dropdown >> text=Echo errors');
    await expect.poll(() => page.locator('[data-testid=hidden-chip]').count()).toBe(1);
    expect(await viewsButton()).not.toContain('changed');
  });

  it('updates the open view with what the grid shows, renames it and deletes it', async () => {
    const viewOf = async () =>
      (
        await api<{ views: { id: number; name: string; hiddenColumnIds: number[] }[] }>(
          'GET',
          `/tables/${tableId}/views`,
        )
      ).views.find((view) => view.id === ids.view);
    await page.click(`button[aria-label="Show column city"]`);
    await expect.poll(viewsButton).toContain('View: Echo errors (changed)');
    await page.click('[data-testid=views-button]');
    await page.click('.views-dropdown >> text=Update “Echo errors”');
    await expect.poll(viewsButton).toBe('View: Echo errors ▾');
    expect((await viewOf())?.hiddenColumnIds).toEqual([]);

    page.once('dialog', (dialog) => void dialog.accept('Echo failures'));
    await page.click('[data-testid=views-button]');
    await page.click('.views-dropdown >> text=Rename view…');
    await expect.poll(viewsButton).toBe('View: Echo failures ▾');
    expect((await viewOf())?.name).toBe('Echo failures');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('[data-testid=views-button]');
    await page.click('.views-dropdown >> text=Delete view');
    await expect.poll(viewsButton).toBe('Views ▾');
    expect(await viewOf()).toBeUndefined();
    expect(page.url()).not.toContain('view=');
    // The rows it showed are still filtered as they were: deleting a view changes no rows.
    await expect.poll(matchCount).toContain(`of ${total} rows`);
  });

  it('moves a column among the shown ones: the hidden one keeps its place in the table', async () => {
    await openColumnMenu(page, layout, 2);
    await page.click('.menu >> text=Hide column');
    await expect.poll(() => page.locator('[data-testid=hidden-chip]').count()).toBe(1);
    // Shown: name, email, Echo, Again. Again dropped on email lands before it; city stays after email.
    await dragHeader(page, hiddenLayout, 3, 1);
    const order = async () =>
      (await api<{ columns: { name: string }[] }>('GET', `/tables/${tableId}`)).columns.map((c) => c.name);
    await expect.poll(order).toEqual(['name', 'Again', 'email', 'city', 'Echo']);
  });
});
