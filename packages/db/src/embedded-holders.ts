import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Which processes use the embedded Postgres of a data dir. `glaze start`, `glaze worker` and
 * `glaze enrich` may share one cluster; whoever leaves last stops it, whether it started it or
 * joined it, and a cluster whose starter was killed (`kill -9`) is adopted by the next process
 * that joins. Each holder is a file named after its pid in `<dataDir>/postgres-holders/`; a file
 * whose process is gone counts for nothing. Starting, joining and leaving happen under a lock
 * file in that directory, so a process never joins a cluster another one is stopping.
 */
export interface Holders {
  /** Runs `body` holding the data dir's lock (waits up to `waitMs` for another process). */
  locked<T>(body: () => Promise<T>): Promise<T>;
  /** Marks this process as a holder (under the lock). */
  join(): void;
  /** Unmarks this process; answers whether any live holder remains (under the lock). */
  leave(): boolean;
}

const lockName = '.lock';

export function holdersOf(dataDir: string, waitMs = 120_000): Holders {
  const directory = path.join(dataDir, 'postgres-holders');
  const lockFile = path.join(directory, lockName);
  const own = path.join(directory, String(process.pid));
  return {
    async locked(body) {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      await acquire(lockFile, waitMs);
      try {
        return await body();
      } finally {
        rmSync(lockFile, { force: true });
      }
    },
    join() {
      writeFileSync(own, `${process.pid}\n`, { mode: 0o600 });
    },
    leave() {
      rmSync(own, { force: true });
      return liveHolders(directory).length > 0;
    },
  };
}

/** Pids of live holders; the files of dead ones are removed on the way. */
function liveHolders(directory: string): number[] {
  const live: number[] = [];
  for (const name of readdirSync(directory)) {
    if (name === lockName) continue;
    const pid = Number(name);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) live.push(pid);
    else rmSync(path.join(directory, name), { force: true });
  }
  return live;
}

/** Creates the lock file exclusively; a lock left by a dead process is taken over. */
async function acquire(lockFile: string, waitMs: number): Promise<void> {
  for (let waited = 0; ; waited += 50) {
    try {
      writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readOwner(lockFile));
    // An empty file is one being written this instant, or left by a process that died doing so.
    const abandoned = owner === 0 ? olderThan(lockFile, 2000) : !isAlive(owner);
    if (abandoned) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (waited >= waitMs)
      throw new Error(
        `${lockFile}: process ${owner} has held the embedded Postgres lock for ${waitMs / 1000} s`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function olderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

function readOwner(lockFile: string): string {
  try {
    return readFileSync(lockFile, 'utf8').trim();
  } catch {
    return ''; // removed between the failed create and this read: try again
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' && !isZombie(pid); // owned by another user
  }
  return !isZombie(pid);
}

/**
 * A process that has exited but not been reaped answers signal 0 as if alive: a postmaster killed
 * under a parent that never reaps (a container whose pid 1 is not an init) would look alive for good.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false; // no /proc (macOS), or gone meanwhile
  }
}
