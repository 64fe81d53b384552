import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A role and its password. */
export interface RoleLogin {
  user: string;
  password: string;
}

/**
 * The embedded cluster's two logins, kept in `<dataDir>/postgres-credentials.json` (0600): the
 * superuser, used only to create and repair the owner role, and the role Glaze connects as, which
 * owns its database and is not a superuser.
 */
export interface EmbeddedCredentials {
  superuser: RoleLogin;
  owner: RoleLogin;
}

/** The superuser password every data dir initialised before random passwords had. */
export const legacySuperuserPassword = 'glaze';

export function credentialsPath(dataDir: string): string {
  return path.join(dataDir, 'postgres-credentials.json');
}

/** Written before passwords change, renamed to `credentialsPath` once they have: a crash in between loses nothing. */
export function pendingCredentialsPath(dataDir: string): string {
  return path.join(dataDir, 'postgres-credentials.pending.json');
}

/** 32 random bytes as hex: URL-safe, never needs quoting in a connection string or SQL literal. */
export function randomPassword(): string {
  return randomBytes(32).toString('hex');
}

export function newCredentials(): EmbeddedCredentials {
  return {
    superuser: { user: 'postgres', password: randomPassword() },
    owner: { user: 'glaze', password: randomPassword() },
  };
}

/** The credentials in `file`, or undefined when it does not exist. */
export async function readCredentials(file: string): Promise<EmbeddedCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as EmbeddedCredentials;
  if (!parsed.superuser?.password || !parsed.owner?.password || !parsed.owner.user)
    throw new Error(`${file}: not the embedded Postgres credentials (superuser and owner with passwords)`);
  return parsed;
}

/**
 * Writes `file` as 0600 through a temporary file and a rename, so a reader sees the whole file or
 * none, and nobody else ever sees it readable.
 */
export async function writeCredentials(file: string, credentials: EmbeddedCredentials): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await rm(temporary, { force: true });
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}
