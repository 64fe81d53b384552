import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GlazeServer } from './glaze-server';
import { glazeSession } from './glaze-session';
import { clickCell, type GridLayout } from './grid-points';

/**
 * A re-run of a 3,000-cell column in a real Chromium against a real `glaze start`: the run's count
 * moves while it runs, a cell that held a value shows queued or running before its new value, and
 * the grid's stream carries a row window (`?rows=`), not every cell of the table.
 */
const rows = 3000;
const layout: GridLayout = { widths: [180, 280] };

const session = glazeSession({ viewport: { width: 1280, height: 800 } });
const { api } = session;
let server: GlazeServer;
let page: Page;
beforeAll(() => {
  ({ server, page } = session);
});

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
