import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/glaze.js', import.meta.url));

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts `node apps/cli/bin/glaze.js …` as a real child process with only the variables given;
 * `openFiles` sets its open-file limit first (`ulimit -n`: the soft one, and the hard one if given).
 */
export function startGlaze(
  args: string[],
  env: Record<string, string>,
  cwd = repoRoot,
  openFiles?: { soft: number; hard?: number },
): ChildProcess {
  const options: SpawnOptions = {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GLAZE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  };
  if (!openFiles) return spawn(process.execPath, [bin, ...args], options);
  const hard = openFiles.hard === undefined ? '' : ` && ulimit -Hn ${openFiles.hard}`;
  const limited = `ulimit -Sn ${openFiles.soft}${hard} && exec "$0" "$@"`;
  return spawn('sh', ['-c', limited, process.execPath, bin, ...args], options);
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function runGlaze(args: string[], env: Record<string, string>, cwd?: string): Promise<Finished> {
  return finished(startGlaze(args, env, cwd));
}

/** Resolves once the child prints a line matching `pattern` on stdout; its stderr goes in the error. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let stderr = '';
    const onErr = (chunk: Buffer) => {
      stderr += chunk.toString();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) {
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onErr);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onErr);
    child.once('exit', (code) =>
      reject(new Error(`exited with ${code} before printing ${pattern}; stdout: ${seen}; stderr: ${stderr}`)),
    );
  });
}
