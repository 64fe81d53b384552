import { createServer, type Server } from 'node:http';
import type { RateLimitListReply } from '@glaze/core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlazeServer } from './glaze-server';
import { glazeSession } from './glaze-session';

/**
 * The run timeline and provider limits panels in a real Chromium against a real `glaze start`.
 * GLAZE_SCREENSHOTS=docs keeps docs/run-timeline.png, docs/provider-limits.png and
 * docs/run-throttled.png there (and run-timeline-throttled.png, which docs do not use).
 */
const rows = 40;
const session = glazeSession({
  viewport: { width: 1440, height: 900 },
  env: { GLAZE_HTTP_ALLOW: '127.0.0.1' },
});
const { api } = session;
let server: GlazeServer;
let page: Page;
let tableId: number;
let runId: number;
/** A local API that answers every other call 429 with Retry-After: 0, for the throttled figure. */
let strictApi: Server;
let strictCalls = 0;

async function rowIds(): Promise<number[]> {
  const { rows: page } = await api<{ rows: { id: number }[] }>('GET', `/tables/${tableId}/rows?limit=100`);
  return page.map((row) => row.id);
}

beforeAll(async () => {
  ({ server, page } = session);
  strictApi = createServer((_request, response) => {
    strictCalls += 1;
    if (strictCalls % 2 === 1) response.writeHead(429, { 'retry-after': '0' }).end('slow down');
    else response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => strictApi.listen(0, '127.0.0.1', resolve));
});

afterAll(() => {
  strictApi?.close();
});

describe('run panels', () => {
  it('draws a parallel run of a slow mock column as overlapping bars, refreshed while it runs', async () => {
    const { table } = await api<{ table: { id: number } }>('POST', '/tables', {
      name: 'Leads',
      columns: ['name'],
    });
    tableId = table.id;
    await api('POST', `/tables/${tableId}/rows`, {
      rows: Array.from({ length: rows }, (_, i) => ({ name: `Person ${i}` })),
    });
    const { column } = await api<{ column: { id: number } }>('POST', `/tables/${tableId}/columns`, {
      name: 'Slow echo',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{name}}', latencyMs: 3000, jitterMs: 3000 },
    });
    const { run } = await api<{ run: { id: number } }>(
      'POST',
      `/tables/${tableId}/columns/${column.id}/runs`,
      {
        scope: 'all',
      },
    );
    runId = run.id;
    const timelineRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes(`/runs/${runId}/timeline`)) timelineRequests.push(request.url());
    });

    await page.goto(`${server.url}/#/tables/${tableId}`);
    const running = page.locator(`.run[data-run-id="${runId}"]`);
    await running.locator('button', { hasText: 'Timeline' }).click();
    const panel = page.locator('[data-testid=run-timeline]');
    await panel.waitFor();
    // While the run runs (3–6 s a cell) the panel asks again every 2 s, so bars appear as cells finish.
    await expect.poll(() => timelineRequests.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    expect(await running.getAttribute('data-status')).toBe('running');
    await expect.poll(() => panel.locator('rect.bar').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    await page.waitForSelector(`.run[data-run-id="${runId}"][data-status=done]`, { timeout: 60_000 });
    await expect.poll(() => panel.locator('rect.bar').count(), { timeout: 10_000 }).toBe(rows);
    expect(Number(await panel.locator('[data-testid=timeline-cells]').textContent())).toBe(rows);
    const peak = Number(await panel.locator('[data-testid=timeline-peak]').textContent());
    expect(peak).toBeGreaterThan(1);
    // Bars overlap: some cell starts before the first one has ended.
    const bars = await panel
      .locator('rect.bar')
      .evaluateAll((rects) =>
        rects.map((r) => ({ x: Number(r.getAttribute('x')), w: Number(r.getAttribute('width')) })),
      );
    const first = bars[0];
    expect(first).toBeDefined();
    expect(bars.filter((bar) => first && bar.x < first.x + first.w).length).toBeGreaterThan(1);
    expect(await panel.locator('.tick-label').count()).toBeGreaterThan(1);
    expect(await panel.textContent()).toMatch(/p50 \d/);
    await page.screenshot({ path: session.shot('run-timeline.png') });
    await page.click('[data-testid=run-timeline] button[aria-label=Close]');
  });

  it('loads a finished run once', async () => {
    const seen: string[] = [];
    const listener = (request: { url(): string }) => {
      if (request.url().includes(`/runs/${runId}/timeline`)) seen.push(request.url());
    };
    page.on('request', listener);
    await page.locator(`.run[data-run-id="${runId}"] button`, { hasText: 'Timeline' }).click();
    await page.locator('[data-testid=run-timeline] rect.bar').first().waitFor();
    // the running panel asks every 2 s: after 5 s a finished one would have asked twice more
    await page.waitForTimeout(5000);
    page.off('request', listener);
    expect(seen).toHaveLength(1);
    await page.click('[data-testid=run-timeline] button[aria-label=Close]');
  });

  it('says a run was throttled by the provider when it answered 429', async () => {
    const address = strictApi.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const { column } = await api<{ column: { id: number } }>('POST', `/tables/${tableId}/columns`, {
      name: 'Strict API',
      kind: 'enrichment',
      provider: 'http',
      config: { url: `http://127.0.0.1:${port}/check?name={{name}}` },
    });
    const { run } = await api<{ run: { id: number } }>(
      'POST',
      `/tables/${tableId}/columns/${column.id}/runs`,
      {
        scope: { rowIds: (await rowIds()).slice(0, 6) },
      },
    );
    await page.waitForSelector(`.run[data-run-id="${run.id}"][data-status=done]`, { timeout: 60_000 });
    await page.locator(`.run[data-run-id="${run.id}"] button`, { hasText: 'Timeline' }).click();
    const panel = page.locator('[data-testid=run-timeline]');
    await expect.poll(() => panel.locator('[data-testid=timeline-throttled]').textContent()).not.toBe('0');
    expect(Number(await panel.locator('[data-testid=timeline-throttled]').textContent())).toBeGreaterThan(0);
    expect(await panel.locator('[data-testid=timeline-throttled-note]').textContent()).toMatch(
      /^Throttled by the provider: it answered 429/,
    );
    await page.screenshot({ path: session.shot('run-timeline-throttled.png') });
    await page.click('[data-testid=run-timeline] button[aria-label=Close]');
  });

  it('sets a provider limit from the Limits panel, shows server errors by field, and clears it', async () => {
    await page.click('.toolbar button:has-text("Limits")');
    const panel = page.locator('[data-testid=provider-limits]');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('answers 429');
    const mock = panel.locator('form[data-provider=mock]');
    await mock.waitFor();
    expect(await panel.locator('form[data-provider=http]').count()).toBe(1);

    await mock.locator('input[name=requestsPerSecond]').fill('ten');
    await mock.locator('button', { hasText: 'Save' }).click();
    await expect.poll(() => mock.locator('.field-error').textContent()).toContain('"ten" is not a number');

    // The server's 400 names the field; the panel says it with the field's label.
    await mock.locator('input[name=requestsPerSecond]').fill('-1');
    await mock.locator('button', { hasText: 'Save' }).click();
    await expect
      .poll(() => mock.locator('.field-error').textContent())
      .toContain('Requests per second (requestsPerSecond)');

    await mock.locator('input[name=requestsPerSecond]').fill('25');
    await mock.locator('input[name=concurrency]').fill('4');
    await mock.locator('button', { hasText: 'Save' }).click();
    await mock.locator('text=Saved').waitFor();
    const limits = async () => (await api<RateLimitListReply>('GET', '/providers/limits')).limits;
    expect((await limits()).find((l) => l.provider === 'mock')).toMatchObject({
      requestsPerSecond: 25,
      concurrency: 4,
    });
    await page.screenshot({ path: session.shot('provider-limits.png') });

    // A fresh panel reads the limit back from the server.
    await page.click('[data-testid=provider-limits] button[aria-label=Close]');
    await page.click('.toolbar button:has-text("Limits")');
    await expect.poll(() => mock.locator('input[name=concurrency]').inputValue()).toBe('4');

    await mock.locator('button', { hasText: 'Clear' }).click();
    await mock.locator('text=Saved').waitFor();
    expect(await mock.locator('input[name=requestsPerSecond]').inputValue()).toBe('');
    const cleared = (await limits()).find((l) => l.provider === 'mock');
    expect(cleared?.requestsPerSecond ?? null).toBeNull();
    expect(cleared?.concurrency ?? null).toBeNull();

    // A limit for one host of http: a URL is refused in plain words, a host gets its own row.
    const hostForm = panel.locator('[data-testid=host-limit-form]');
    await hostForm.locator('input[name=host]').fill('https://api.example.com/v1');
    await hostForm.locator('button', { hasText: 'Add' }).click();
    await expect
      .poll(() => hostForm.locator('.field-error').textContent())
      .toContain('give its host name only');
    await hostForm.locator('input[name=host]').fill('API.example.com');
    await hostForm.locator('button', { hasText: 'Add' }).click();
    const hostRow = panel.locator('form[data-provider=http][data-host="api.example.com"]');
    await hostRow.locator('input[name=requestsPerSecond]').fill('5');
    await hostRow.locator('button', { hasText: 'Save' }).click();
    await hostRow.locator('text=Saved').waitFor();
    expect((await limits()).find((l) => l.host === 'api.example.com')).toMatchObject({
      provider: 'http',
      requestsPerSecond: 5,
    });
    await page.click('[data-testid=provider-limits] button[aria-label=Close]');
  });

  it('says "Throttled by the provider" on a running run while the host it calls has paused it', async () => {
    // The first call is refused for 4 s (429 + Retry-After); the rest answer.
    let calls = 0;
    const pausing = createServer((_request, response) => {
      calls += 1;
      if (calls === 1) response.writeHead(429, { 'retry-after': '4' }).end('slow down');
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => pausing.listen(0, '127.0.0.1', resolve));
    try {
      const address = pausing.address();
      const host = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const { column } = await api<{ column: { id: number } }>('POST', `/tables/${tableId}/columns`, {
        name: 'Pausing API',
        kind: 'enrichment',
        provider: 'http',
        config: { url: `http://${host}/check?name={{name}}` },
      });
      const { run } = await api<{ run: { id: number } }>(
        'POST',
        `/tables/${tableId}/columns/${column.id}/runs`,
        {
          scope: { rowIds: (await rowIds()).slice(0, 1) },
        },
      );
      const notice = page.locator(`.run[data-run-id="${run.id}"] [data-testid=run-throttled]`);
      await notice.waitFor({ timeout: 15_000 });
      await page.screenshot({ path: session.shot('run-throttled.png') });
      expect(await notice.textContent()).toMatch(
        new RegExp(`^Throttled by the provider \\(${host}\\): calls wait until`),
      );
      await page.waitForSelector(`.run[data-run-id="${run.id}"][data-status=done]`, { timeout: 60_000 });
      await expect.poll(() => notice.count(), { timeout: 5_000 }).toBe(0);
      // The refused call was retried: the cell is done, not an error.
      const { rows: first } = await api<{ rows: { cells: Record<string, { status: string }> }[] }>(
        'GET',
        `/tables/${tableId}/rows?limit=1`,
      );
      expect(first[0]?.cells[String(column.id)]?.status).toBe('done');
    } finally {
      pausing.close();
    }
  });
});
