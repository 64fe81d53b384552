import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glazeSession } from '../../../apps/web/test/e2e/glaze-session';

/**
 * The example as its README runs it: a real `glaze start`, the example's Vite dev server proxying
 * `/api` to it, Chromium signing in on the example's own form. A run started through the API must
 * show on the page cell by cell and in the run's progress, through @glaze/react, with no reload.
 */
const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const rows = 20;
const csv = ['name,email', ...Array.from({ length: rows }, (_, i) => `Person ${i},p${i}@example.com`)].join(
  '\n',
);
// 0.3–2.8 s a cell: the run lasts seconds, long enough for the page to show it part-way.
const mock = { input: '{{email}}', latencyMs: 300, jitterMs: 2500 };
const session = glazeSession({ signIn: false });
const cacheDir = mkdtempSync(path.join(tmpdir(), 'glaze-example-vite-'));
let vite: ViteDevServer;
let page: Page;
let exampleUrl: string;
let tableId: number;
let columnId: number;

beforeAll(async () => {
  ({ page } = session);
  const { table } = await session.api<{ table: { id: number } }>(
    'POST',
    '/tables/import?name=Leads',
    csv,
    'text/csv',
  );
  const { column } = await session.api<{ column: { id: number } }>('POST', `/tables/${table.id}/columns`, {
    name: 'Echo',
    kind: 'enrichment',
    provider: 'mock',
    config: mock,
  });
  tableId = table.id;
  columnId = column.id;
  // vite.config.ts reads GLAZE_URL when the server starts, as `GLAZE_URL=… npm run dev` sets it.
  process.env.GLAZE_URL = session.server.url;
  vite = await createServer({ root: exampleDir, cacheDir, logLevel: 'warn', server: { port: 0 } });
  await vite.listen();
  exampleUrl = vite.resolvedUrls?.local[0] ?? '';
}, 120_000);

afterAll(async () => {
  await vite?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('examples/live-table', () => {
  it('a page on another origin cannot call glaze start directly, even with a token: no CORS headers, hence the proxy', async () => {
    await page.goto(exampleUrl);
    const { url, token } = session.server;
    const direct = await page.evaluate(
      `fetch('${url}/api/v1/tables', { headers: { authorization: 'Bearer ${token}' } })
        .then((answer) => 'HTTP ' + answer.status, (error) => error.name + ': ' + error.message)`,
    );
    expect(direct).toBe('TypeError: Failed to fetch');
  });

  it('signs in on its own origin: a wrong token is refused with the reason, the right one lists the tables', async () => {
    await page.goto(exampleUrl);
    await page.fill('#token', 'not-the-token-at-all');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('.error').textContent()).toContain('this token is not valid');
    await page.fill('#token', session.server.token);
    await page.click('button[type=submit]');
    await page.waitForSelector(`a[href="#${tableId}"]`);
  });

  it('shows a run started through the API live: cells turn done one by one, progress counts up, nothing reloads', async () => {
    const rowReads: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes(`/tables/${tableId}/rows`)) rowReads.push(request.url());
    });
    await page.click(`a[href="#${tableId}"]`);
    await page.waitForSelector('.connection[data-status=live]');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(rows);
    await expect.poll(() => page.locator('td[data-status=idle]').count()).toBe(rows);
    const readsBefore = rowReads.length;
    // Every text the run's line shows, as React commits it: a sample every so often could miss them.
    await page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { progressSeen: seen });
      new MutationObserver(() => {
        const line = document.querySelector('.run')?.textContent;
        if (line && line !== seen.at(-1)) seen.push(line);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    await session.api('POST', `/tables/${tableId}/columns/${columnId}/runs`, { scope: 'all' });

    await expect.poll(() => page.locator('td[data-status=done]').count(), { timeout: 30_000 }).toBe(rows);
    await expect
      .poll(() => page.locator('.run').textContent())
      .toBe(`Echo: done · ${rows}/${rows} (done ${rows}, error 0, skipped 0, cancelled 0)`);
    const firstDone = page.locator('tbody tr >> nth=0 >> td[data-status=done]');
    expect(JSON.parse((await firstDone.textContent()) ?? '')).toMatchObject({ input: 'p0@example.com' });
    const progress = (await page.evaluate('window.progressSeen')) as string[];
    const partway = progress.filter((line) => new RegExp(`running · ([1-9]|1\\d)/${rows}`).test(line));
    expect(partway.length, progress.join('\n')).toBeGreaterThan(0);
    // Live means from the stream: the rows were not read again while the run went on.
    expect(rowReads.slice(readsBefore)).toEqual([]);
  }, 60_000);

  it('a column added while the page is open gets its header once its cells arrive, without a reload', async () => {
    const { column } = await session.api<{ column: { id: number } }>('POST', `/tables/${tableId}/columns`, {
      name: 'Echo again',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{name}}' },
    });
    await session.api('POST', `/tables/${tableId}/columns/${column.id}/runs`, { scope: 'all' });
    await expect
      .poll(() => page.locator('th').allTextContents())
      .toEqual(['name', 'email', 'Echo', 'Echo again']);
    await expect.poll(() => page.locator('td[data-status=done]').count()).toBe(2 * rows);
  });

  it("@glaze/client's subscribe() in the browser: starts a run on ready and follows it to its end", async () => {
    // The page's own client module, as the dev server serves it to the browser (a string, so that
    // vitest does not rewrite the import() for Node). A drop or 30 s without the run's end stops it
    // and says so, rather than retrying until the test times out.
    const followed = await page.evaluate(`(async () => {
      const { glaze } = await import('/src/glaze.ts');
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(), 30000);
      const done = new Set();
      let run;
      let finished;
      let dropped;
      await glaze.subscribe(${tableId}, {
        signal: stop.signal,
        onEvent: async ({ event }) => {
          if (event !== 'ready' || run) return;
          const path = { id: '${tableId}', columnId: '${columnId}' };
          ({ run } = await glaze.runColumn({ params: { path }, body: { scope: 'all' } }));
        },
        onChanges: ({ cells, runs }) => {
          for (const cell of cells) if (cell.status === 'done') done.add(cell.rowId);
          finished = runs.find((change) => change.id === run.id && change.status !== 'running') ?? finished;
          if (finished) stop.abort();
        },
        onDisconnect: (error) => {
          dropped = String(error);
          stop.abort();
        },
      });
      clearTimeout(timer);
      return { done: done.size, status: finished?.status, total: finished?.total, dropped };
    })()`);
    expect(followed).toEqual({ done: rows, status: 'done', total: rows });
  }, 60_000);
});
