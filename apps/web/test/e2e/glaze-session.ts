import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@glaze/db/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { launchChromium } from './browser';
import { buildWeb, type GlazeServer, startGlaze } from './glaze-server';
import { clickCell, type GridLayout } from './grid-points';

/** A built web app, a real `glaze start` on a cloned database and a Chromium page, for one test file. */
export interface GlazeSession {
  server: GlazeServer;
  page: Page;
  /** The API as the admin token sees it; throws with the answer's body on anything but 2xx. */
  api<T>(method: string, url: string, body?: unknown): Promise<T>;
  /** Signs in on the page, imports `csv` through the file picker and returns the new table's id. */
  importCsv(name: string, csv: string): Promise<number>;
  /** Where a screenshot goes: the path in `screenshot.env` when set (docs/…), else a scratch file removed at the end. */
  screenshotPath: string;
}

/**
 * The input of the mock error in grid cell (`col`, `row`), read from the cell's detail panel: the
 * canvas has no text to read, and every mock error names its input (`mock: input "bob3@@example.com"
 * is configured to fail`).
 */
export async function errorInput(page: Page, layout: GridLayout, col: number, row: number): Promise<string> {
  await clickCell(page, layout, col, row);
  const text = (await page.locator('[data-testid=cell-detail] .error-text').textContent()) ?? '';
  await page.click('.side-panel button[aria-label=Close]');
  return /input "([^"]*)"/.exec(text)?.[1]?.trim() ?? text;
}

/**
 * Registers the file's beforeAll / afterEach / afterAll: the server's output is printed when a test
 * fails, and everything started is stopped and dropped at the end. Read the fields inside tests.
 */
export function glazeSession(screenshot: { env: string; file: string }): GlazeSession {
  let database: TestDatabase;
  let browser: { context: BrowserContext; close(): Promise<void> };
  const session = {} as GlazeSession;
  const scratch = mkdtempSync(path.join(tmpdir(), 'glaze-e2e-shot-'));
  session.screenshotPath = process.env[screenshot.env] ?? path.join(scratch, screenshot.file);
  session.api = async <T>(method: string, url: string, body?: unknown) => {
    const response = await fetch(`${session.server.url}/api/v1${url}`, {
      method,
      headers: { authorization: `Bearer ${session.server.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  session.importCsv = async (name, csv) => {
    const { page, server } = session;
    await page.goto(server.url);
    await page.fill('#token', server.token);
    await page.click('button[type=submit]');
    await page.setInputFiles('[data-testid=csv-input]', {
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.waitForURL(/#\/tables\/\d+/);
    return Number(/#\/tables\/(\d+)/.exec(page.url())?.[1]);
  };

  beforeAll(async () => {
    buildWeb();
    database = await createTestDatabase(inject('adminUrl'), inject('templateName'));
    session.server = await startGlaze({ databaseUrl: database.url });
    browser = await launchChromium({ width: 1440, height: 1000 });
    session.page = await browser.context.newPage();
  }, 180_000);

  afterEach((context) => {
    if (context.task.result?.state === 'fail')
      console.error(`--- glaze start output ---\n${session.server?.output()}`);
  });

  afterAll(async () => {
    await browser?.close();
    await session.server?.stop();
    await database?.drop();
    rmSync(scratch, { recursive: true, force: true });
  }, 60_000);
  return session;
}
