import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const webDir = path.join(repoRoot, 'apps/web');

/**
 * Builds the web app into apps/web/dist, as `npm run build -w @glaze/web` does; or into `outDir`, so
 * two e2e files run in parallel do not empty the directory the other's server is serving.
 */
export function buildWeb(outDir?: string): void {
  const args = [
    'vite',
    'build',
    '--logLevel',
    'warn',
    ...(outDir ? ['--outDir', outDir, '--emptyOutDir'] : []),
  ];
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build (StrictMode
  // renders and runs every effect twice there): test the bundle people run.
  const env = { ...process.env, NODE_ENV: 'production' };
  const result = spawnSync('npx', args, { cwd: webDir, encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * Calls the server's API with its token: a JSON body, or a string sent as `type` (`text/csv` for an
 * import); answers JSON, and throws with the status and body on a non-2xx answer.
 */
export async function callApi<T>(
  server: GlazeServer,
  method: string,
  url: string,
  body?: unknown,
  type = 'application/json',
): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': type },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export interface GlazeServer {
  url: string;
  token: string;
  /** Everything the server printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * A real `glaze start` as a child process on a free port, with its own data dir and the given
 * database (a per-test clone; without one, the embedded Postgres in the temp data dir).
 */
export async function startGlaze(
  options: { databaseUrl?: string; env?: Record<string, string> } = {},
): Promise<GlazeServer> {
  // 0700, as `mktemp -d` makes it: as root, glaze start adds the o+x the postgres OS user needs.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'glaze-web-e2e-'));
  const token = `e2e-${Math.random().toString(36).slice(2)}-token-0000`;
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'apps/cli/bin/glaze.js'), 'start', '--port', '0'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        GLAZE_DATA_DIR: dataDir,
        GLAZE_ADMIN_TOKEN: token,
        GLAZE_WEB_DIR: path.join(webDir, 'dist'),
        GLAZE_LOG_LEVEL: 'warn',
        GLAZE_HOST: '127.0.0.1',
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = await listeningUrl(child);
  return {
    url,
    token,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error('glaze start did not listen within 90 s')), 90_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n--- glaze output ---\n${output}`));
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => fail(new Error(`glaze start exited with ${code}`)));
  });
}
