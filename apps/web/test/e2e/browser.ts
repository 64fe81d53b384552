import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** A system Chromium, when there is one: `GLAZE_CHROMIUM`, else Debian's (`apt-get install chromium`). */
const systemChromium = process.env.GLAZE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Ours, not `@sparticuz/chromium`'s `args`: those are tuned for AWS Lambda (`--single-process`,
 * `--disable-web-security`) and would test a browser unlike a person's; its build runs with these.
 */
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let shipped: Promise<string> | undefined;

/**
 * The browser to test with: a system Chromium when present, else the headless Chromium that
 * `@sparticuz/chromium` ships inside its npm package, so `npm install` is all the tests need.
 */
export async function chromiumPath(): Promise<string> {
  if (existsSync(systemChromium)) return systemChromium;
  if (process.env.GLAZE_CHROMIUM !== undefined)
    throw new Error(`GLAZE_CHROMIUM: no browser at ${systemChromium}`);
  shipped ??= unpackShippedChromium();
  return shipped;
}

/**
 * Unpacks the npm-shipped Chromium once per checkout into node_modules/.cache. The package would
 * unpack into a shared /tmp/chromium (mode 0700, so another OS user cannot run it, and a parallel
 * test process could launch it half-written); here each unpack goes to a private staging directory,
 * which is renamed into place whole, and the first one to finish wins.
 */
async function unpackShippedChromium(): Promise<string> {
  const require = createRequire(import.meta.url);
  const packageDir = path.resolve(path.dirname(require.resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const cacheDir = path.resolve(packageDir, '..', '..', '.cache', 'glaze-chromium');
  const unpacked = path.join(cacheDir, String(version));
  const binary = path.join(unpacked, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(path.join(cacheDir, 'staging-'));
  // The package unpacks into os.tmpdir(), which follows TMPDIR at each call.
  const savedTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const { default: Chromium } = await import('@sparticuz/chromium');
    await Chromium.executablePath(path.join(packageDir, 'bin'));
  } finally {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
  }
  try {
    renameSync(staging, unpacked);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process got there first
  }
  return binary;
}

/**
 * Headless Chromium with a fresh, throwaway profile (playwright takes the profile directory as
 * `launchPersistentContext`'s first argument, not as `--user-data-dir`). `close()` removes it.
 */
export async function launchChromium(
  viewport = { width: 1400, height: 860 },
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const executablePath = await chromiumPath();
  const profile = mkdtempSync(path.join(tmpdir(), 'glaze-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport,
    acceptDownloads: true,
    args,
  });
  // Playwright waits 30 s for an element by default, as long as a whole test may take: a missing
  // menu item then failed as "Test timed out" with no selector named. 15 s fails first, naming it.
  context.setDefaultTimeout(15_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
