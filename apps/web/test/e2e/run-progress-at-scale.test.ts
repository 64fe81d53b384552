import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@glaze/db/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from './browser';
import { buildWeb, type GlazeServer, startGlaze } from './glaze-server';
import { clickCell, type GridLayout } from './grid-points';

/**
 * A re-run of a 3,000-cell column in a real Chromium against a real `glaze start`: the run's count
 * moves while it runs, a cell that held a value shows queued or running before its new value, and
 * the grid's stream carries a row window (`?rows=`), not every cell of the table.
 */
const rows = 3000;
const scratch = mkdtempSync(path.join(tmpdir(), 'glaze-web-scale-'));
const layout: GridLayout = { widths: [180, 280] };

let database: TestDatabase;
let server: GlazeServer;
let browser: { context: BrowserContext; close(): Promise<void> };
let page: Page;

async function api<T>(method: string, url: string, body?: unknown, type = 'application/json'): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': type },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  const dist = path.join(scratch, 'dist');
  buildWeb(dist);
  database = await createTestDatabase(inject('adminUrl'), inject('templateName'));
  server = await startGlaze({ databaseUrl: database.url, env: { GLAZE_WEB_DIR: dist } });
  browser = await launchChromium({ width: 1280, height: 800 });
  page = await browser.context.newPage();
  await page.goto(server.url);
  await page.fill('#token', server.token);
  await page.click('button[type=submit]');
  await page.waitForSelector('text=Import CSV');
}, 180_000);

afterEach((context) => {
  if (context.task.result?.state === 'fail') console.error(`--- glaze start output ---\n${server?.output()}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await database?.drop();
  rmSync(scratch, { recursive: true, force: true });
}, 60_000);

describe('a big re-run in the browser', () => {
  it('moves the run count while it runs and shows re-run cells queued, over a windowed stream', async () => {
    const csv = `email\n${Array.from({ length: rows }, (_, i) => `lead${i}@example.com`).join('\n')}\n`;
    const { table } = await api<{ table: { id: number } }>(
      'POST',
      '/tables/import?name=Scale',
      csv,
      'text/csv',
    );
    const base = `/tables/${table.id}/columns`;
    const { column } = await api<{ column: { id: number } }>('POST', base, {
      name: 'Echo',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{email}}' },
    });
    const first = await api<{ run: { id: number } }>('POST', `${base}/${column.id}/runs`, { scope: 'all' });
    await expect
      .poll(async () => (await api<{ run: { status: string } }>('GET', `/runs/${first.run.id}`)).run.status, {
        timeout: 60_000,
      })
      .toBe('done');
    // The re-run is slower, so the browser watches it move.
    await api('PATCH', `${base}/${column.id}`, {
      config: { input: '{{email}}', latencyMs: 100, jitterMs: 100 },
    });

    const streams: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes(`/tables/${table.id}/events`)) streams.push(request.url());
    });
    await page.goto(`${server.url}/#/tables/${table.id}`);
    await page.waitForSelector('.connection[data-status=live]');
    // Every cell holds its first value: the detail of row 0 shows done.
    // The canvas draws its rows a moment after the stream is live: click until the cell's panel opens.
    await expect
      .poll(
        async () => {
          await clickCell(page, layout, 1, 0);
          return page.locator('[data-testid=cell-status]').count();
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=cell-status]').textContent()).toBe('done');
    // The grid narrows its stream to the rows it loaded near the viewport.
    await expect.poll(() => streams.some((url) => /[?&]rows=\d/.test(url)), { timeout: 10_000 }).toBe(true);

    // Every status the open cell shows and every run count the bar shows, as the page renders them.
    await page.evaluate(() => {
      const w = window as unknown as { statuses: string[]; counts: string[] };
      w.statuses = [];
      w.counts = [];
      const record = () => {
        const status = document.querySelector('[data-testid=cell-status]')?.textContent ?? '';
        if (w.statuses.at(-1) !== status) w.statuses.push(status);
        const count = document.querySelector('.run[data-status=running] .run-status')?.textContent ?? '';
        const settled = count.split(' / ')[0] ?? '';
        if (count && w.counts.at(-1) !== settled) w.counts.push(settled);
      };
      new MutationObserver(record).observe(document.body, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await api('POST', `${base}/${column.id}/runs`, { scope: 'all' });
    await page.waitForSelector('.run[data-status=done]', { timeout: 120_000 });
    const seen = await page.evaluate(() => {
      const w = window as unknown as { statuses: string[]; counts: string[] };
      return { statuses: w.statuses, counts: w.counts };
    });
    const statuses = seen.statuses;
    // The old value does not stay on screen: the cell goes queued or running, then done again.
    const busy = statuses.findIndex((s) => s === 'queued' || s === 'running');
    expect(busy, `statuses seen: ${statuses.join(' → ')}`).toBeGreaterThan(-1);
    expect(statuses.slice(busy)).toContain('done');
    // The count moved through several values below the total while the run ran.
    const counts = seen.counts.map((text) => Number(text.replace(/[^\d]/g, '')));
    const moving = new Set(counts.filter((n) => n > 0 && n < rows));
    expect(moving.size, `counts seen: ${seen.counts.join(', ')}`).toBeGreaterThanOrEqual(3);
  }, 240_000); // a 3,000-cell first run, then a re-run at 100–200 ms a cell
});
