import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expected, valueCases } from '../../../../packages/engine/test/fixtures/formula-cases';
import type { GlazeServer } from './glaze-server';
import { glazeSession } from './glaze-session';
import { clickCell, dragHeader, type GridLayout, openColumnMenu, selectRow } from './grid-points';

/**
 * The web app end to end, in a real Chromium against a real `glaze start` (its own database):
 * sign in, import a CSV, add a mock column, run it and watch cells go running → done, cancel a
 * second run, export. GLAZE_SCREENSHOTS=docs keeps the mid-run screenshot as docs/screenshot.png.
 */
const rows = 300;
const csv = [
  'name,email,company',
  ...Array.from({ length: rows }, (_, i) => `Person ${i},p${i}@example.com,Co ${i % 7}`),
].join('\n');
// name, email, company are input columns; Echo is the mock enrichment column added by the test.
const layout: GridLayout = { widths: [180, 180, 180, 280] };
const session = glazeSession({ viewport: { width: 1440, height: 900 }, signIn: false });
let server: GlazeServer;
let page: Page;
let firstRunErrors = 0;
/** Anything the page's Content-Security-Policy blocked (Chromium reports it on the console). */
const cspViolations: string[] = [];

beforeAll(() => {
  ({ server, page } = session);
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
});

/** A count from the newest run's legend, e.g. `done 1,234` → 1234. */
async function count(state: string): Promise<number> {
  const text = (await page.locator(`.run >> nth=0 >> .count.${state}`).textContent()) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
}

describe('web app', () => {
  it('signs in with the token glaze start printed', async () => {
    await page.goto(server.url);
    await page.fill('#token', 'not-the-token');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('.field-error').textContent()).toContain('not valid');
    await page.fill('#token', server.token);
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Import CSV');
  });

  it('imports a CSV chosen in the file picker and opens the table', async () => {
    await page.setInputFiles('[data-testid=csv-input]', {
      name: 'leads.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.waitForURL(/#\/tables\/\d+/);
    await expect.poll(() => page.locator('.toolbar').textContent()).toContain(`${rows} rows`);
    await page.waitForSelector('.connection[data-status=live]');
  });

  it('adds a mock column from the schema form: a bad value is shown at its field, the template previews row 1', async () => {
    await page.click('text=+ Enrichment column');
    await page.fill('#column-name', 'Echo');
    await page.selectOption('#column-provider', 'mock');
    await page.fill('#field-input', '');
    await page.type('#field-input', '{{na');
    // A busy machine renders frames late: what follows a chosen completion must still land after it.
    await page.evaluate(() => {
      const w = window as unknown as {
        requestAnimationFrame: typeof requestAnimationFrame;
        realRaf?: typeof requestAnimationFrame;
      };
      w.realRaf = w.requestAnimationFrame;
      w.requestAnimationFrame = (callback) => window.setTimeout(() => w.realRaf?.(callback), 100);
    });
    await page.keyboard.press('Enter');
    // 20 ms a key: the late frame (100 ms) comes while the user is still typing
    await page.type('#field-input', ' at {{company}}', { delay: 20 });
    await page.waitForTimeout(150);
    await page.evaluate(() => {
      const w = window as unknown as {
        requestAnimationFrame: typeof requestAnimationFrame;
        realRaf?: typeof requestAnimationFrame;
      };
      if (w.realRaf) w.requestAnimationFrame = w.realRaf;
    });
    expect(await page.inputValue('#field-input')).toBe('{{name}} at {{company}}');
    await expect
      .poll(() => page.locator('[data-testid=template-preview]').textContent())
      .toContain('Person 0 at Co 0');

    await page.fill('#field-latencyMs', '-5');
    await page.click('[data-testid=column-panel] button:text-is("Add")');
    await expect.poll(() => page.locator('[data-field=latencyMs] .field-error').textContent()).not.toBe('');

    await page.fill('#field-latencyMs', '1200');
    await page.fill('#field-jitterMs', '1500');
    await page.fill('#field-failRate', '0.08');
    await page.click('[data-testid=column-panel] button:text-is("Add")');
    await page.waitForSelector('[data-testid=column-panel]', { state: 'detached' });
  });

  // Its waits (first result, then the run's end, 1.2–2.7 s a cell) add up past the default test
  // timeout on a loaded CI machine: the test's own timeout is longer than they are.
  it('runs the column from its menu: a cell goes running, then done, and the run finishes', {
    timeout: 120_000,
  }, async () => {
    await clickCell(page, layout, 3, 0);
    await page.waitForSelector('[data-testid=cell-detail]');
    // Every status the open cell shows, as the page renders it: no polling gaps.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      const node = document.querySelector('[data-testid=cell-status]');
      const record = () => {
        const text = node?.textContent ?? '';
        if (seen[seen.length - 1] !== text) seen.push(text);
      };
      record();
      new MutationObserver(record).observe(node as Node, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    const seen = () => page.evaluate(() => (window as unknown as { seen: string[] }).seen);

    await openColumnMenu(page, layout, 3);
    await page.click('text=Run all rows');
    await page.waitForSelector('.run[data-status=running]');
    const finished = (statuses: string[]) => statuses.findIndex((s) => s === 'done' || s === 'error');
    await expect.poll(async () => finished(await seen()), { timeout: 30_000 }).toBeGreaterThan(0);
    // Mid-run: the first cell is done, most are still running or queued.
    await page.screenshot({ path: session.shot('screenshot.png') });

    await page.waitForSelector('.run[data-status=done]', { timeout: 60_000 });
    firstRunErrors = await count('error');
    expect((await count('done')) + firstRunErrors).toBe(rows);
    await expect
      .poll(() => page.locator('.run[data-status=done] .run-status').textContent())
      .toMatch(/Finished: 300 cells in/);
    await page.click('.side-panel button[aria-label=Close]');

    const statuses = await seen();
    expect(statuses.indexOf('running'), `statuses seen: ${statuses.join(' → ')}`).toBeGreaterThan(-1);
    expect(statuses.indexOf('running')).toBeLessThan(finished(statuses));
  });

  it('runs selected rows from the column menu, and a single cell from its panel', async () => {
    await selectRow(page, 1);
    await selectRow(page, 2);
    await openColumnMenu(page, layout, 3);
    await page.click('text=Run selected rows (2)');
    await page.waitForSelector('.run[data-status=done] >> text=Finished: 2 cells in', { timeout: 30_000 });

    await clickCell(page, layout, 3, 4);
    await page.click('text=Run this cell');
    await page.waitForSelector('.run[data-status=done] >> text=Finished: 1 cell in', { timeout: 30_000 });
    await expect
      .poll(() => page.locator('[data-testid=cell-status]').textContent())
      .toMatch(/^(done|error)$/);
    await page.click('.side-panel button[aria-label=Close]');
  });

  it('edits the column, reruns its errored cells and cancels that run', async () => {
    // The mock fails the same inputs every time: the reruns above kept the error count.
    const errors = firstRunErrors;
    expect(errors).toBeGreaterThan(0);
    await openColumnMenu(page, layout, 3);
    await page.click('text=Edit column…');
    await page.fill('#field-latencyMs', '5000');
    await page.fill('#field-jitterMs', '0');
    await page.click('[data-testid=column-panel] button[type=submit]');
    await page.waitForSelector('[data-testid=column-panel]', { state: 'detached' });

    await openColumnMenu(page, layout, 3);
    await page.click('text=Run errored cells');
    const running = page.locator('.run[data-status=running]').first();
    await running.waitFor();
    await running.locator('button', { hasText: 'Cancel' }).click();
    await page.waitForSelector('.run[data-status=cancelled]', { timeout: 20_000 });
    expect(await count('cancelled')).toBe(errors);
    await expect
      .poll(() => page.locator('.run[data-status=cancelled] .run-status').textContent())
      .toContain('Cancelled');
  });

  it('exports the table as CSV with the enrichment values flattened', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Export CSV')]);
    const text = readFileSync((await download.path()) ?? '', 'utf8').trim();
    const [header = '', ...lines] = text.split(/\r?\n/);
    const names = header.split(',');
    expect(names.slice(0, 3)).toEqual(['name', 'email', 'company']);
    expect(lines).toHaveLength(rows);
    expect(lines[0]?.startsWith('Person 0,p0@example.com,Co 0')).toBe(true);
    const echo = names.indexOf('Echo.input');
    expect(echo).toBeGreaterThan(2);
    const echoed = lines.map((line) => line.split(',')[echo]).filter(Boolean);
    expect(echoed.length).toBeGreaterThan(rows * 0.8);
    for (const [i, line] of lines.entries()) {
      const value = line.split(',')[echo];
      if (value) expect(value).toBe(`Person ${i} at Co ${i % 7}`);
    }
  });

  it('reorders columns by dragging a header, through the order API', async () => {
    const tableId = Number(/#\/tables\/(\d+)/.exec(page.url())?.[1]);
    await dragHeader(page, layout, 2, 0);
    const order = async () => {
      const response = await fetch(`${server.url}/api/v1/tables/${tableId}`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      const body = (await response.json()) as { columns: { name: string; position: number }[] };
      return body.columns.sort((a, b) => a.position - b.position).map((c) => c.name);
    };
    await expect.poll(order).toEqual(['company', 'name', 'email', 'Echo']);
  });

  it('renames, deletes and creates tables from the tables page', async () => {
    await page.click('a[aria-label="All tables"]');
    const item = page.locator('.table-item').first();
    await expect.poll(() => item.textContent()).toContain('leads');
    await item.locator('button', { hasText: 'Rename' }).click();
    await item.locator('input[aria-label="New name"]').fill('leads, enriched');
    await item.locator('button', { hasText: 'Save' }).click();
    const renamed = page.locator('.table-item', { hasText: 'leads, enriched' });
    await renamed.waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await renamed.locator('button', { hasText: 'Delete' }).click();
    await renamed.waitFor({ state: 'detached' });
    await page.waitForSelector('text=No tables yet');

    await page.fill('#new-table-name', 'Scratch');
    await page.fill('#new-table-columns', 'domain, notes');
    await page.click('text=Create');
    await page.waitForURL(/#\/tables\/\d+/);
    await expect.poll(() => page.locator('.table-title').textContent()).toBe('Scratch');
    await expect.poll(() => page.locator('.toolbar').textContent()).toContain('0 rows');
    await page.click('a[aria-label="All tables"]');
    await page.locator('.table-item', { hasText: 'Scratch' }).waitFor();
  });

  it('imports a CSV dropped on the drop zone', async () => {
    const dropped = 'domain\nexample.com\nexample.org\n';
    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      return transfer;
    }, dropped);
    await page.dispatchEvent('.drop-zone', 'drop', { dataTransfer });
    await page.waitForURL(/#\/tables\/\d+/);
    await expect.poll(() => page.locator('.toolbar').textContent()).toContain('2 rows');
    expect(await page.locator('.table-title').textContent()).toBe('dropped');

    const more = Buffer.from('domain\nexample.net\n');
    await page.setInputFiles('[data-testid=append-csv-input]', {
      name: 'more.csv',
      mimeType: 'text/csv',
      buffer: more,
    });
    await page.waitForSelector('text=Added 1 row');
    await expect.poll(() => page.locator('.toolbar').textContent()).toContain('3 rows');

    // A refused upload shows the server's message (a GlazeError read from the XHR's answer).
    await page.setInputFiles('[data-testid=append-csv-input]', {
      name: 'empty.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(''),
    });
    await expect
      .poll(() => page.locator('.field-error[role=status]').textContent())
      .toContain('the CSV is empty');
  });

  it("exports values a spreadsheet would run as formulas with a leading '", async () => {
    const api = async (method: string, url: string, body: unknown) => {
      const response = await fetch(`${server.url}/api/v1${url}`, {
        method,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return response.json();
    };
    const { table } = await api('POST', '/tables', { name: 'Formulas', columns: ['=value'] });
    await api('POST', `/tables/${table.id}/rows`, { rows: valueCases.map((c) => ({ '=value': c.value })) });
    await page.goto(`${server.url}/#/tables/${table.id}`);
    await expect.poll(() => page.locator('.toolbar').textContent()).toContain(`${valueCases.length} rows`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Export CSV')]);
    const records = parse(readFileSync((await download.path()) ?? '', 'utf8')) as string[][];
    expect(records.map((r) => r[0])).toEqual(["'=value", ...valueCases.map(expected)]);
  });

  it('signs out: the session ends on the server, not only in the browser', async () => {
    const cookies = await page.context().cookies(`${server.url}/api/v1/session`);
    const session = cookies.find((cookie) => cookie.name === 'glaze_session');
    expect(session?.value).toMatch(/^gls_/);
    expect(session?.value).not.toContain(server.token);
    await page.goto(server.url);
    await page.click('text=Sign out');
    await page.waitForSelector('#token');
    // The old cookie value, replayed, is refused.
    const replayed = await fetch(`${server.url}/api/v1/session`, {
      headers: { cookie: `glaze_session=${session?.value}` },
    });
    expect(replayed.status).toBe(401);
  });

  it('ran the whole way under the Content-Security-Policy without a violation', () => {
    expect(cspViolations).toEqual([]);
  });
});
