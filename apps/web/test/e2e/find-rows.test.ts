import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorInput as errorInputAt, glazeSession } from './glaze-session';
import { type GridLayout, openColumnMenu } from './grid-points';

/**
 * Find rows in a real Chromium: import a CSV with messy values, run an email check and a mock that
 * fails some inputs, filter to errors, sort from the column menu, search without accents, reload
 * from the URL. Every count the page shows is checked against the rows API asked the same thing.
 * GLAZE_SCREENSHOTS=docs keeps docs/find-rows.png.
 */
const cities = ['Zürich', 'zurich', 'São Paulo', 'London', 'Köln', ''];
/** Messy, and each one different (but the blank ones): an Echo error names its input, which names its row. */
const emails = [' Ada#@Example.COM ', 'not-an-email-#', '', 'bob#@@example.com', 'mailto:eve#@example.org'];
const total = 60;
const csv = [
  'name,email,city',
  ...Array.from(
    { length: total },
    (_, i) =>
      `${i % 4 === 0 ? 'Zoë' : 'Person'} ${String(i).padStart(2, '0')},"${emails[i % 5]?.replace('#', String(i))}",${cities[i % 6]}`,
  ),
].join('\n');
// name, email, city, then the two enrichment columns the test adds.
const layout: GridLayout = { widths: [180, 180, 180, 280, 280] };
const session = glazeSession();
const { api } = session;
let page: Page;
beforeAll(() => {
  page = session.page;
});
let tableId = 0;

/** What the rows API answers for a query: the matched count and the first rows' emails. */
async function ask(query: Record<string, string>) {
  const params = new URLSearchParams({ ...query, count: 'true', limit: '5' });
  const body = await api<{ rows: { values: Record<string, unknown> }[]; matched: { count: number } }>(
    'GET',
    `/tables/${tableId}/rows?${params}`,
  );
  return { count: body.matched.count, emails: body.rows.map((row) => String(row.values[emailId]).trim()) };
}
let emailId = 0;

/** The email of the grid's row `row`, read from its Echo error. */
const errorInput = (row: number) => errorInputAt(page, layout, 4, row);
const matchCount = () => page.locator('[data-testid=match-count]').textContent();

describe('find rows', () => {
  it('imports a messy CSV and runs an email check and a failing mock over it', async () => {
    tableId = await session.importCsv('messy.csv', csv);
    await expect.poll(() => page.locator('.toolbar').textContent()).toContain(`${total} rows`);
    const { columns } = await api<{ columns: { id: number; name: string }[] }>('GET', `/tables/${tableId}`);
    emailId = columns.find((c) => c.name === 'email')?.id ?? 0;

    for (const column of [
      { name: 'Email check', kind: 'enrichment', provider: 'email', config: { input: '{{email}}' } },
      { name: 'Echo', kind: 'enrichment', provider: 'mock', config: { input: '{{email}}', failRate: 0.4 } },
    ]) {
      const { column: made } = await api<{ column: { id: number } }>(
        'POST',
        `/tables/${tableId}/columns`,
        column,
      );
      await api('POST', `/tables/${tableId}/columns/${made.id}/runs`, { scope: 'all' });
    }
    // Both runs, as the run panel shows them: "no run running" alone also held before they appeared.
    await expect.poll(() => page.locator('.run[data-status=done]').count(), { timeout: 25_000 }).toBe(2);
  });

  it('filters to the errors of a column: "N of M rows" is what the API counts', async () => {
    const expected = await ask({
      filter: JSON.stringify({ column: 'Echo', op: 'status', value: ['error'] }),
    });
    expect(expected.count).toBeGreaterThan(0);
    expect(expected.count).toBeLessThan(total);
    await page.selectOption('select[aria-label="Filter column"]', { label: 'Echo' });
    await page.selectOption('select[aria-label="Filter condition"]', { label: 'has an error' });
    await page.click('text=Add filter');
    await expect.poll(matchCount).toBe(`${expected.count} of ${total} rows`);
    const first = await ask({ filter: JSON.stringify({ column: 'Echo', op: 'status', value: ['error'] }) });
    await expect.poll(() => errorInput(0)).toBe(first.emails[0]);
    expect(page.url()).toContain('filter=');
  });

  it('sorts from the column menu, with a sort chip', async () => {
    const filter = JSON.stringify({ column: 'Echo', op: 'status', value: ['error'] });
    const expected = await ask({ filter, sort: 'name:desc' });
    await openColumnMenu(page, layout, 0);
    await page.click('text=Sort descending ↓');
    await expect
      .poll(() => page.locator('[data-testid=sort-chip]').textContent())
      .toContain('name ↓ descending');
    await expect.poll(() => errorInput(0)).toBe(expected.emails[0]);
    await expect.poll(() => errorInput(1)).toBe(expected.emails[1]);
  });

  it('searches ignoring accents: "zurich" finds Zürich too', async () => {
    const filter = JSON.stringify({ column: 'Echo', op: 'status', value: ['error'] });
    const expected = await ask({ filter, sort: 'name:desc', q: 'zurich' });
    const unaccented = await ask({ filter, q: 'zürich' });
    expect(unaccented.count).toBe(expected.count);
    expect(expected.count).toBeGreaterThan(0);
    await page.fill('input[aria-label="Search rows"]', 'zurich');
    await expect.poll(matchCount).toBe(`${expected.count} of ${total} rows`);
    await expect.poll(() => errorInput(0)).toBe(expected.emails[0]);
    await expect.poll(() => errorInput(expected.count - 1)).not.toBe('');
    await page.screenshot({ path: session.shot('find-rows.png') });
  });

  it('opens the same rows from the URL after a reload', async () => {
    const before = await errorInput(0);
    const count = await matchCount();
    expect(page.url()).toMatch(/q=zurich/);
    await page.reload();
    await expect.poll(matchCount, { timeout: 15_000 }).toBe(count);
    await expect.poll(() => errorInput(0)).toBe(before);
    expect(await page.inputValue('input[aria-label="Search rows"]')).toBe('zurich');
  });

  it('shows the rows found before their count, and the count once it comes', async () => {
    const before = await errorInput(0);
    const count = await matchCount();
    // the count held back (as a rare filter over a million rows can take a second): the rows come anyway
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const counts = `**/api/v1/tables/${tableId}/rows/count?**`;
    await page.route(counts, async (route) => {
      await held;
      await route.continue().catch(() => {}); // unrouted meanwhile: the browser has sent it already
    });
    try {
      await page.reload();
      await expect.poll(() => errorInput(0), { timeout: 15_000 }).toBe(before);
      expect(await matchCount()).toContain('counting…');
      release();
      await expect.poll(matchCount).toBe(count);
    } finally {
      release();
      await page.unroute(counts);
    }
  });

  it('Export exports the rows found, in the order shown; "all rows" exports the table', async () => {
    const filter = JSON.stringify({ column: 'Echo', op: 'status', value: ['error'] });
    const expected = await ask({ filter, sort: 'name:desc', q: 'zurich' });
    const link = page.locator('[data-testid=export-csv]');
    await expect.poll(() => link.textContent()).toBe('Export found rows');
    // the link, fetched as the browser would (its session cookie authenticates it)
    const download = async () => {
      const href = (await link.getAttribute('href')) ?? '';
      return page.evaluate(async (url) => (await fetch(url)).text(), href);
    };
    const found = (await download()).trim().split('\n');
    expect(found).toHaveLength(expected.count + 1);
    expect(found[1]).toContain(expected.emails[0]);
    await page.check('.export-csv input[type=checkbox] >> nth=0');
    await expect.poll(() => link.textContent()).toBe('Export CSV');
    const all = await download();
    expect(all.split('\n').filter((line) => /^(Zoë|Person) \d\d,/.test(line))).toHaveLength(total);
    await page.uncheck('.export-csv input[type=checkbox] >> nth=0');
  });

  it('clearing the search and removing the chips brings the whole table back', async () => {
    await page.fill('input[aria-label="Search rows"]', '');
    await page.click('button[aria-label^="Remove filter"]');
    await page.click('button[aria-label="Remove sort"]');
    await expect.poll(() => page.locator('.toolbar').textContent()).toContain(`${total} rows`);
    await expect.poll(() => page.locator('[data-testid=match-count]').count()).toBe(0);
    expect(page.url()).not.toContain('?');
  });
  it('combines value chips with AND: email is empty, then city contains "koln" (Köln)', async () => {
    const empty = { column: 'email', op: 'empty' };
    const both = await ask({
      filter: JSON.stringify({ and: [empty, { column: 'city', op: 'contains', value: 'koln' }] }),
    });
    const blank = await ask({ filter: JSON.stringify(empty) });
    expect(both.count).toBeGreaterThan(0);
    expect(both.count).toBeLessThan(blank.count);
    await page.selectOption('select[aria-label="Filter column"]', { label: 'email' });
    await page.selectOption('select[aria-label="Filter condition"]', { label: 'is empty' });
    await page.click('text=Add filter');
    await expect.poll(matchCount).toBe(`${blank.count} of ${total} rows`);
    await page.selectOption('select[aria-label="Filter column"]', { label: 'city' });
    await page.selectOption('select[aria-label="Filter condition"]', { label: 'contains' });
    await page.click('text=Add filter');
    await expect
      .poll(() => page.locator('.add-filter .field-error').textContent())
      .toContain('city contains');
    await page.fill('input[aria-label="Filter value"]', 'koln');
    await page.click('text=Add filter');
    await expect.poll(matchCount).toBe(`${both.count} of ${total} rows`);
    await page.click('button[aria-label="Remove filter email is empty"]');
    await page.click('button[aria-label^="Remove filter city contains"]');
    await expect.poll(() => page.locator('.toolbar').textContent()).toContain(`${total} rows`);
  });
  it('sorted, a jump to the end of 6,000 rows loads that window by offset, not the pages before it', async () => {
    const { table } = await api<{ table: { id: number } }>('POST', '/tables', {
      name: 'Deep',
      columns: ['n'],
    });
    const rows = Array.from({ length: 6_000 }, (_, i) => ({ n: `row ${String(i).padStart(4, '0')}` }));
    await api('POST', `/tables/${table.id}/rows`, { rows });
    const { columns } = await api<{ columns: { id: number }[] }>('GET', `/tables/${table.id}`);
    const offsets: number[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === `/api/v1/tables/${table.id}/rows` && url.searchParams.has('offset'))
        offsets.push(Number(url.searchParams.get('offset')));
    });
    await page.goto(`${session.server.url}/#/tables/${table.id}?sort=${columns[0]?.id}:desc`);
    // A sort alone keeps the table's exact count, and asks for no estimate.
    await expect.poll(() => page.locator('.toolbar').textContent()).toContain('6,000 rows');
    await expect.poll(() => offsets.includes(0)).toBe(true);
    await page.evaluate(() => {
      const scroller = document.querySelector('.dvn-scroller');
      if (scroller) scroller.scrollTop = scroller.scrollHeight;
    });
    await expect.poll(() => offsets.includes(5_000)).toBe(true);
    expect(offsets.filter((offset) => offset >= 2_000 && offset < 5_000)).toEqual([]);
  });
});
