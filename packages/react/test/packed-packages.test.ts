import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../apps/server/test/helpers';

/**
 * @glaze/client and @glaze/react as a project outside this repository gets them: `npm pack` (which
 * builds dist/ and points exports at it, see packages/client/scripts/pack-manifest.ts), the two
 * tarballs installed into an empty project, then plain Node and tsc against what was installed.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const installed = fileURLToPath(new URL('./installed/', import.meta.url));
const version = async (path: string) =>
  (JSON.parse(await readFile(join(root, path), 'utf8')) as { version: string }).version;

// Without npm's own variables of `npm test` (npm_config_local_prefix would point npm at this repo).
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^npm_/i.test(key) || /^npm_config_(cache|registry|userconfig)$/i.test(key),
  ),
);

let server: TestServer;
let dir: string;
let app: string;
beforeAll(async () => {
  server = await testServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'glaze-packed-'));
  app = join(dir, 'app');
  // Packed from a copy of the two packages (the repository's node_modules linked in): prepack swaps
  // package.json for a moment, and other test files resolve these packages meanwhile.
  const copy = join(dir, 'repo');
  for (const name of ['client', 'react']) {
    await cp(join(root, 'packages', name), join(copy, 'packages', name), {
      recursive: true,
      filter: (source) => !/\/(node_modules|dist)$/.test(source),
    });
  }
  await copyFile(join(root, 'tsconfig.json'), join(copy, 'tsconfig.json'));
  await writeFile(join(copy, 'package.json'), '{ "private": true, "workspaces": ["packages/*"] }\n');
  await symlink(join(root, 'node_modules'), join(copy, 'node_modules'));
  await run('npm', ['pack', '-w', '@glaze/client', '-w', '@glaze/react', '--pack-destination', dir], {
    cwd: copy,
    env,
  });
  await mkdir(app);
  await writeFile(join(app, 'package.json'), '{ "private": true, "type": "module" }\n');
  // The same react and @types/react as the repository, so npm's cache has them.
  const dependencies = [
    `../glaze-client-${await version('packages/client/package.json')}.tgz`,
    `../glaze-react-${await version('packages/react/package.json')}.tgz`,
    `react@${await version('node_modules/react/package.json')}`,
    `@types/react@${await version('node_modules/@types/react/package.json')}`,
  ];
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...dependencies], {
    cwd: app,
    env,
  });
  for (const file of ['use-packages.mjs', 'use-packages.ts'])
    await copyFile(join(installed, file), join(app, file));
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed packages, installed from their tarballs', () => {
  it('depend on nothing unpublished, and ship dist/ only', async () => {
    const manifest = async (name: string) =>
      JSON.parse(await readFile(join(app, 'node_modules/@glaze', name, 'package.json'), 'utf8'));
    const react = await manifest('react');
    expect(react.dependencies).toEqual({ '@glaze/client': '^0.1.0' });
    expect(react.peerDependencies).toEqual({ react: '^18.2.0' });
    expect(react.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' } });
    expect((await manifest('client')).exports['.']).toEqual({
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    // The package.json packed from points at the sources again once packed.
    expect(JSON.parse(await readFile(join(dir, 'repo/packages/react/package.json'), 'utf8')).exports).toEqual(
      {
        '.': './src/index.ts',
      },
    );
  });

  it('run in plain Node: an operation, subscribe() and RealtimeTable against a real Glaze', async () => {
    const port = (server.app.server.address() as AddressInfo).port;
    const { stdout } = await run(process.execPath, ['use-packages.mjs'], {
      cwd: app,
      env: {
        ...env,
        GLAZE_URL: `http://127.0.0.1:${port}`,
        GLAZE_TOKEN: server.auth.authorization.slice('Bearer '.length),
      },
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual({
      changedRows: 1,
      glazeError: { status: 400, path: 'name' },
      heldRows: 2,
      hook: 'function',
    });
  });

  it('type-check against their .d.ts (tsc --noEmit, nodenext)', async () => {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    await run(
      process.execPath,
      [tsc, ...flags, '--target', 'es2022', '--lib', 'es2023,dom', 'use-packages.ts'],
      {
        cwd: app,
        env,
      },
    );
  }, 60_000);
});
