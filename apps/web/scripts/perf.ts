/**
 * Web performance in real Chromium against a real `glaze start` (not a test: it prints figures).
 * A 100,000-row table; while a 100,000-cell mock run streams its changes, records the
 * requestAnimationFrame deltas (the viewport still, then scrolling) and the time until the table
 * page is interactive (its first rows painted).
 *
 *   npm run perf -w @glaze/web            (DATABASE_URL to use a running Postgres, else embedded)
 *   ROWS=20000 SECONDS=10 npm run perf -w @glaze/web
 */
import { launchChromium } from '../test/e2e/browser';
import { buildWeb, startGlaze } from '../test/e2e/glaze-server';

const rows = Number(process.env.ROWS ?? 100_000);
const seconds = Number(process.env.SECONDS ?? 15);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function frameStats(deltas: number[]) {
  return {
    frames: deltas.length,
    p50: percentile(deltas, 50).toFixed(1),
    p95: percentile(deltas, 95).toFixed(1),
    p99: percentile(deltas, 99).toFixed(1),
    max: Math.max(...deltas).toFixed(1),
    over33: deltas.filter((d) => d > 33).length,
  };
}

async function main() {
  buildWeb();
  const server = await startGlaze({ databaseUrl: process.env.DATABASE_URL });
  const browser = await launchChromium({ width: 1440, height: 900 });
  try {
    const api = async (method: string, path: string, body?: unknown, type = 'application/json') => {
      const response = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${server.token}`, 'content-type': type },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<Record<string, never>>;
    };
    const csv = [
      'name,email,company',
      ...Array.from({ length: rows }, (_, i) => `Person ${i},p${i}@example.com,Co ${i % 97}`),
    ];
    // Import through the UI, as a person would: the file picker, an XHR upload with progress.
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.fill('#token', server.token);
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Import CSV');
    let started = performance.now();
    const buffer = Buffer.from(csv.join('\n'));
    await page.setInputFiles('[data-testid=csv-input]', { name: 'perf.csv', mimeType: 'text/csv', buffer });
    const sawProgress = await page.waitForSelector('[aria-label="Upload progress"]', { timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    await page.waitForURL(/#\/tables\/\d+/, { timeout: 300_000 });
    const importSeconds = (performance.now() - started) / 1000;
    console.log(
      `imported ${rows} rows (${(buffer.length / 1024 ** 2).toFixed(1)} MB) through the UI in ${importSeconds.toFixed(1)} s`,
    );
    const table = { id: Number(/#\/tables\/(\d+)/.exec(page.url())?.[1]) };
    const { column } = (await api('POST', `/tables/${table.id}/columns`, {
      name: 'Echo',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{name}} at {{company}}', latencyMs: 20, jitterMs: 40, failRate: 0.02 },
    })) as unknown as { column: { id: number } };

    // Time to interactive: a fresh load of the table page until its first rows are painted.
    const loads: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`${server.url}/#/tables/${table.id}`);
      await page.reload();
      await page.waitForFunction(() => performance.getEntriesByName('glaze:first-rows').length > 0, null, {
        timeout: 30_000,
      });
      loads.push(
        await page.evaluate(() => performance.getEntriesByName('glaze:first-rows')[0]?.startTime ?? -1),
      );
    }
    await page.waitForSelector('.connection[data-status=live]');

    // A jump to the last row. The API pages by cursor, so until the background prefetch has walked
    // the table the loader must fetch every page before the target.
    const jumpToEnd = async () => {
      const ms = await page.evaluate(`new Promise((resolve) => {
        const scroller = document.querySelector('.dvn-scroller');
        const t0 = performance.now();
        scroller.scrollTop = scroller.scrollHeight;
        const check = () => {
          const loaded = performance.getEntriesByName('glaze:rows').some((e) => e.detail.start + e.detail.count >= ${rows});
          const hit = performance.getEntriesByName('glaze:rows').find((e) => e.startTime > t0 && e.detail.start + e.detail.count >= ${rows});
          if (hit) resolve(hit.startTime - t0);
          else if (loaded) requestAnimationFrame(() => resolve(performance.now() - t0));
          else setTimeout(check, 20);
        };
        check();
      })`);
      await page.evaluate(`document.querySelector('.dvn-scroller').scrollTop = 0`);
      return Math.round(ms as number);
    };
    const jumpColdMs = await jumpToEnd();

    started = performance.now();
    const { run } = (await api('POST', `/tables/${table.id}/columns/${column.id}/runs`, {
      scope: 'all',
    })) as unknown as {
      run: { id: number };
    };
    console.log(`run started in ${(performance.now() - started).toFixed(0)} ms`);
    await page.waitForSelector('.run[data-status=running]');

    // A string, not a function: tsx would wrap named functions in a helper the page does not have.
    const recordFrames = `new Promise((resolve) => {
      const deltas = [];
      let last = performance.now();
      const end = last + ${seconds * 1000};
      const tick = (t) => {
        deltas.push(t - last);
        last = t;
        if (t < end) requestAnimationFrame(tick);
        else resolve(deltas);
      };
      requestAnimationFrame(tick);
    })`;
    const record = () => page.evaluate(recordFrames) as Promise<number[]>;

    const still = await record();
    const box = await page.locator('.grid-wrap canvas').first().boundingBox();
    await page.mouse.move((box?.x ?? 0) + 400, (box?.y ?? 0) + 300);
    const scrolling = record();
    const stopAt = Date.now() + seconds * 1000;
    while (Date.now() < stopAt) {
      await page.mouse.wheel(0, 600);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const scrolled = await scrolling;
    const jumpWarmMs = await jumpToEnd();
    const progress = await api('GET', `/runs/${run.id}`);

    const report = {
      rows,
      importThroughUi: { seconds: Number(importSeconds.toFixed(1)), uploadProgressShown: sawProgress },
      timeToInteractiveMs: loads.map((ms) => Math.round(ms)),
      framesWhileStreaming: frameStats(still),
      framesWhileStreamingAndScrolling: frameStats(scrolled),
      jumpToLastRowMs: { rightAfterLoad: jumpColdMs, afterPrefetch: jumpWarmMs },
      run: (progress as unknown as { run: unknown }).run,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
