import { createTestDatabase, type TestDatabase } from '@glaze/db/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchChromium } from './browser';
import { buildWeb, callApi, type GlazeServer, startGlaze } from './glaze-server';

/** The app built into its own directory, a real `glaze start` on its own database, and a signed-in page. */
export interface SignedInApp {
  database: TestDatabase;
  server: GlazeServer;
  browser: { context: BrowserContext; close(): Promise<void> };
  page: Page;
  /** Calls the JSON API with the server's token; throws with the status and body on a non-2xx. */
  api<T>(method: string, url: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Builds the web app into `dist` (so e2e files running in parallel do not empty each other's
 * directory), starts `glaze start` serving it, opens Chromium and signs in with the token.
 * @example const app = await startSignedInApp({ dist: path.join(scratch, 'dist') });
 */
export async function startSignedInApp(options: {
  dist: string;
  viewport?: { width: number; height: number };
  env?: Record<string, string>;
}): Promise<SignedInApp> {
  buildWeb(options.dist);
  const database = await createTestDatabase(inject('adminUrl'), inject('templateName'));
  const server = await startGlaze({
    databaseUrl: database.url,
    env: { GLAZE_WEB_DIR: options.dist, ...options.env },
  });
  const browser = await launchChromium(options.viewport);
  const page = await browser.context.newPage();
  await page.goto(server.url);
  await page.fill('#token', server.token);
  await page.click('button[type=submit]');
  await page.waitForSelector('text=Import CSV');
  return {
    database,
    server,
    browser,
    page,
    api: (method, url, body) => callApi(server, method, url, body),
    async stop() {
      await browser.close();
      await server.stop();
      await database.drop();
    },
  };
}
