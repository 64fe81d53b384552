import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@glaze/db/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { launchChromium } from './browser';
import { buildWeb, callApi, type GlazeServer, repoRoot, startGlaze } from './glaze-server';
import { clickCell, type GridLayout } from './grid-points';

/** A built web app, a real `glaze start` on a cloned database and a Chromium page, for one test file. */
export interface GlazeSession {
  server: GlazeServer;
  page: Page;
  /** The API as the admin token sees it (`callApi`): JSON, or a string body sent as `type`. */
  api<T>(method: string, url: string, body?: unknown, type?: string): Promise<T>;
  /** Imports `csv` through the file picker on the tables page and returns the new table's id. */
  importCsv(name: string, csv: string): Promise<number>;
  /** Signs in on the page with `token` (the server's unless given) and waits for the tables page. */
  signIn(token?: string): Promise<void>;
  /**
   * Where screenshot `file` goes: under the directory `GLAZE_SCREENSHOTS` names, relative to the
   * repository (`GLAZE_SCREENSHOTS=docs` refreshes the docs' pictures), else a scratch directory
   * removed at the end.
   */
  shot(file: string): string;
}

export interface SessionOptions {
  viewport?: { width: number; height: number };
  /** More environment for `glaze start` (e.g. `GLAZE_HTTP_ALLOW` for a local test API). */
  env?: Record<string, string>;
  /** false: the page starts blank, for a test of the sign-in itself. Default: signed in. */
  signIn?: boolean;
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
 * Registers the file's beforeAll / afterEach / afterAll: the web app built into the file's own
 * directory (files run in parallel, and a build empties its directory: a shared one would vanish
 * under another file's server), `glaze start` serving it on a database of its own, Chromium signed
 * in; the server's output is printed when a test fails, and everything is stopped and dropped at
 * the end. Read the fields inside tests or hooks, not at the top of the file.
 */
export function glazeSession(options: SessionOptions = {}): GlazeSession {
  let database: TestDatabase;
  let browser: { context: BrowserContext; close(): Promise<void> };
  const scratch = mkdtempSync(path.join(tmpdir(), 'glaze-e2e-'));
  const shots = process.env.GLAZE_SCREENSHOTS
    ? path.resolve(repoRoot, process.env.GLAZE_SCREENSHOTS)
    : scratch;
  const session = {} as GlazeSession;
  session.shot = (file) => path.join(shots, file);
  session.api = (method, url, body, type) => callApi(session.server, method, url, body, type);
  session.signIn = async (token) => {
    const { page, server } = session;
    await page.goto(server.url);
    await page.fill('#token', token ?? server.token);
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Import CSV');
  };
  session.importCsv = async (name, csv) => {
    const { page, server } = session;
    await page.goto(server.url);
    await page.setInputFiles('[data-testid=csv-input]', {
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.waitForURL(/#\/tables\/\d+/);
    return Number(/#\/tables\/(\d+)/.exec(page.url())?.[1]);
  };

  beforeAll(async () => {
    const dist = path.join(scratch, 'dist');
    buildWeb(dist);
    database = await createTestDatabase(inject('adminUrl'), inject('templateName'));
    session.server = await startGlaze({
      databaseUrl: database.url,
      env: { GLAZE_WEB_DIR: dist, ...options.env },
    });
    browser = await launchChromium(options.viewport ?? { width: 1440, height: 1000 });
    session.page = await browser.context.newPage();
    if (options.signIn !== false) await session.signIn();
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
