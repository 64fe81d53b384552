import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); never a downloaded browser build. */
export const chromiumPath = process.env.GLAZE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless Chromium with a fresh, throwaway profile (playwright takes the profile directory as
 * `launchPersistentContext`'s first argument, not as `--user-data-dir`). `close()` removes it.
 */
export async function launchChromium(
  viewport = { width: 1400, height: 860 },
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath}: run \`apt-get install -y chromium\` (or set GLAZE_CHROMIUM)`,
    );
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'glaze-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport,
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
