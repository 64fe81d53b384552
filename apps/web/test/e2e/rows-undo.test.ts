import type { Row } from '@glaze/core';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GlazeServer } from './glaze-server';
import { glazeSession } from './glaze-session';
import { clickCell, type GridLayout, openColumnMenu, selectRow } from './grid-points';

/**
 * Rows you can add, delete and undo, and TSV copy/paste, in a real Chromium against a real
 * `glaze start`: add a row, paste a block that runs past the end, delete rows (confirming the
 * count) and bring them back with their enrichment results, clear cells with Delete, delete and
 * rename a column — each undone with Ctrl+Z; and an edit made while the page's stream was cut
 * arrives when it resumes. GLAZE_SCREENSHOTS=docs keeps docs/rows-undo.png.
 */
// name, email: input columns; Echo: a mock enrichment column.
const layout: GridLayout = { widths: [180, 180, 280] };

const session = glazeSession({ viewport: { width: 1440, height: 640 } });
const { api } = session;
let server: GlazeServer;
let page: Page;
let tableId: number;
let echoId: number;
const dialogs: string[] = [];

/** The table's rows as the API has them: input values by column name, Echo's status and value. */
async function rows() {
  const { columns } = await api<{ columns: { id: number; name: string }[] }>('GET', `/tables/${tableId}`);
  const { rows: page } = await api<{ rows: Row[] }>('GET', `/tables/${tableId}/rows?limit=100`);
  return page.map((row) => ({
    id: row.id,
    ...Object.fromEntries(
      columns.filter((c) => c.id !== echoId).map((c) => [c.name, row.values[c.id] ?? null]),
    ),
    echo: row.cells[echoId]?.status ?? 'none',
  }));
}

const rowCount = async () =>
  Number(/([\d,]+) rows/.exec((await page.locator('.toolbar').textContent()) ?? '')?.[1]);

/** Sends a paste of `text` to the focused grid, as the browser does for Ctrl+V. */
async function paste(text: string) {
  await page.evaluate((tsv) => {
    const data = new DataTransfer();
    data.setData('text/plain', tsv);
    const target = document.activeElement?.closest('.grid-wrap') ? document.activeElement : null;
    (target ?? document.querySelector('.grid-wrap canvas'))?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  }, text);
}

/** What Ctrl+C puts on the clipboard for the grid's selection. */
async function copy(): Promise<string> {
  return page.evaluate(() => {
    const data = new DataTransfer();
    const target = document.activeElement?.closest('.grid-wrap') ? document.activeElement : null;
    (target ?? document.querySelector('.grid-wrap canvas'))?.dispatchEvent(
      new ClipboardEvent('copy', { clipboardData: data, bubbles: true, cancelable: true }),
    );
    return data.getData('text/plain');
  });
}

beforeAll(async () => {
  ({ server, page } = session);
  const { table } = await api<{ table: { id: number } }>('POST', '/tables', {
    name: 'Undo',
    columns: ['name', 'email'],
  });
  tableId = table.id;
  await api('POST', `/tables/${tableId}/rows`, {
    rows: [0, 1, 2].map((i) => ({ name: `Person ${i}`, email: `p${i}@example.com` })),
  });
  const { column } = await api<{ column: { id: number } }>('POST', `/tables/${tableId}/columns`, {
    name: 'Echo',
    kind: 'enrichment',
    provider: 'mock',
    config: { input: '{{name}}', latencyMs: 0 },
  });
  echoId = column.id;
  const { run } = await api<{ run: { id: number } }>('POST', `/tables/${tableId}/columns/${echoId}/runs`, {
    scope: 'all',
  });
  for (
    let tries = 0;
    (await api<{ run: { status: string } }>('GET', `/runs/${run.id}`)).run.status !== 'done';
    tries++
  ) {
    if (tries > 300) throw new Error('the Echo run did not finish in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void (dialog.type() === 'prompt' ? dialog.accept('Mail') : dialog.accept());
  });
  await page.goto(`${server.url}/#/tables/${tableId}`);
  await page.waitForSelector('.connection[data-status=live]');
  await page.waitForSelector('.toolbar >> text=3 rows');
}, 60_000);

describe('rows: add, paste, delete, undo', () => {
  it('adds an empty row with + Row', async () => {
    await page.click('text=+ Row');
    await expect.poll(rowCount).toBe(4);
    expect((await rows())[3]).toMatchObject({ name: null, email: null });
  });

  it('pastes a 3×2 TSV block from a spreadsheet: quoted cells kept whole, the last row appended', async () => {
    await clickCell(page, layout, 0, 2);
    // As Excel copies it: CRLF rows, a cell with a line break and one with quotes, quoted.
    await paste('Ada\tada@example.com\r\n"Grace\r\nHopper"\t"say ""hi"""\r\nAlan\talan@example.org\r\n');
    await expect.poll(rowCount).toBe(5);
    await expect
      .poll(async () => (await rows()).slice(2))
      .toMatchObject([
        { name: 'Ada', email: 'ada@example.com' },
        { name: 'Grace\r\nHopper', email: 'say "hi"' },
        { name: 'Alan', email: 'alan@example.org' },
      ]);
  });

  it('copies a range as TSV, enrichment cells as the grid shows them', async () => {
    await clickCell(page, layout, 0, 0);
    await page.keyboard.down('Shift');
    await clickCell(page, layout, 2, 1);
    await page.keyboard.up('Shift');
    const text = await copy();
    const lines = text.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]?.startsWith('Person 0\tp0@example.com\t')).toBe(true);
    // The mock's value is an object: copied as its one-line summary, not as JSON.
    expect(lines[0]).toMatch(/\thash: [0-9a-f]+ · input: Person 0 · length: 8$/);
  });

  it('refuses a paste into the enrichment column with a plain message', async () => {
    const before = await rows();
    await clickCell(page, layout, 2, 0);
    await paste('x\ty');
    await expect
      .poll(() => page.locator('.banner.error').textContent())
      .toContain('“Echo” is an enrichment column');
    expect(await rows()).toEqual(before);
    await page.click('.side-panel button[aria-label=Close]');
  });

  it('deletes 2 selected rows after a confirmation naming the count; Ctrl+Z brings them back with their results', async () => {
    const before = await rows();
    expect(before.slice(0, 2).map((r) => r.echo)).toEqual(['done', 'done']);
    await selectRow(page, 0);
    await selectRow(page, 1);
    await page.locator('button:has-text("Delete 2 rows")').waitFor();
    await page.screenshot({ path: session.shot('rows-undo.png') });
    await page.click('button:has-text("Delete 2 rows")');
    await expect.poll(rowCount).toBe(3);
    expect(dialogs.at(-1)).toContain('Delete 2 rows');
    expect((await rows()).map((r) => r.id)).toEqual(before.slice(2).map((r) => r.id));

    await page.keyboard.press('Control+z');
    await expect.poll(rowCount).toBe(5);
    await expect.poll(rows).toEqual(before);
    // And the grid shows the restored results again.
    await clickCell(page, layout, 2, 0);
    expect(await copy()).toMatch(/^hash: [0-9a-f]+ · input: Person 0 · length: 8$/);
  });

  it('Delete clears the selected input cells in one request; Ctrl+Z puts them back', async () => {
    const before = await rows();
    const patches: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH' && request.url().includes('/rows')) patches.push(request.url());
    });
    await clickCell(page, layout, 0, 0);
    await page.keyboard.down('Shift');
    await clickCell(page, layout, 2, 1);
    await page.keyboard.up('Shift');
    await page.keyboard.press('Delete');
    // The Echo cells read name: their results are kept and marked stale.
    await expect
      .poll(async () => (await rows()).slice(0, 2))
      .toMatchObject([
        { name: null, email: null, echo: 'stale' },
        { name: null, email: null, echo: 'stale' },
      ]);
    expect(patches).toHaveLength(1);

    const inputs = (list: Awaited<ReturnType<typeof rows>>) => list.map(({ echo: _, ...values }) => values);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => inputs(await rows())).toEqual(inputs(before));
    // Ctrl+Shift+Z clears them again, Ctrl+Z restores.
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await rows())[0]).toMatchObject({ name: null, email: null });
    await page.keyboard.press('Control+z');
    await expect.poll(async () => inputs(await rows())).toEqual(inputs(before));
    expect(patches).toHaveLength(4);
    // Backspace clears as Delete does.
    await clickCell(page, layout, 1, 2);
    await page.keyboard.press('Backspace');
    await expect.poll(async () => (await rows())[2]).toMatchObject({ name: 'Ada', email: null });
    await page.keyboard.press('Control+z');
    await expect.poll(async () => inputs(await rows())).toEqual(inputs(before));
  });

  it('a column delete and a rename are undone too', async () => {
    const before = await rows();
    expect(before.map((r) => r.echo)).toContain('stale');
    // The delete's answer is held back: Ctrl+Z pressed once the column is gone on the server but
    // before the page has heard so waits for the delete and takes it back, not the edit before it.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const columnUrl = (url: URL) => /\/columns\/\d+$/.test(url.pathname);
    await page.route(columnUrl, async (route) => {
      if (route.request().method() !== 'DELETE') return route.continue();
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await openColumnMenu(page, layout, 1);
    await page.click('text=Delete column');
    await expect.poll(async () => Object.keys((await rows())[0] ?? {})).toEqual(['id', 'name', 'echo']);
    await page.keyboard.press('Control+z');
    release();
    await expect.poll(rows).toEqual(before);
    await page.unroute(columnUrl);

    await openColumnMenu(page, layout, 1);
    await page.click('text=Rename…');
    await expect.poll(async () => Object.keys((await rows())[0] ?? {})).toContain('Mail');
    await expect
      .poll(() => page.locator('button[aria-label=Undo]').getAttribute('title'))
      .toContain('rename of “email”');
    await page.keyboard.press('Control+z');
    await expect.poll(rows).toEqual(before);
    // The Undo button says what the next undo takes back: the clear and the column delete were
    // undone (a new edit dropped their redo), so the paste is next.
    await expect
      .poll(() => page.locator('button[aria-label=Undo]').getAttribute('title'))
      .toBe('Undo paste of 4 cells and 1 new row (Ctrl+Z)');
    await expect
      .poll(() => page.locator('button[aria-label=Redo]').getAttribute('title'))
      .toContain('rename of “email”');
  });

  it('resumes its stream after the connection drops: an edit made meanwhile shows, asked for by Last-Event-ID', async () => {
    // Chromium's offline mode leaves an open response alone: cut the stream as a network would,
    // by failing its body mid-read (the page's fetch, wrapped before the app loads).
    await page.addInitScript(() => {
      const cuts: AbortController[] = [];
      const realFetch = window.fetch.bind(window);
      Object.assign(window, {
        cutStreams: () => {
          for (const cut of cuts.splice(0)) cut.abort();
        },
      });
      window.fetch = (input, init) => {
        const request = new Request(input, init);
        if (!request.url.includes('/events')) return realFetch(request);
        const cut = new AbortController();
        cuts.push(cut);
        return realFetch(new Request(request, { signal: AbortSignal.any([request.signal, cut.signal]) }));
      };
    });
    await page.reload();
    await page.waitForSelector('.connection[data-status=live]');
    const streams: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.url().includes(`/tables/${tableId}/events`))
        streams.push(request.headers()['last-event-id']);
    });
    await page.evaluate(() => (window as unknown as { cutStreams: () => void }).cutStreams());
    await page.waitForSelector('.connection[data-status=reconnecting]');
    const first = (await rows())[0]?.id as number;
    await api('PATCH', `/tables/${tableId}/rows`, {
      rows: [{ id: first, values: { name: 'Edited offline' } }],
    });
    await page.waitForSelector('.connection[data-status=live]');
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatch(/^\d+$/);
    await clickCell(page, layout, 0, 0);
    await expect.poll(copy).toBe('Edited offline');
  });
});
