import { rename } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { ConfigError } from './config';
import {
  credentialsPath,
  type EmbeddedCredentials,
  legacySuperuserPassword,
  newCredentials,
  pendingCredentialsPath,
  readCredentials,
  writeCredentials,
} from './embedded-credentials';
import { connectAs, ensureOwnerRole, requireScram } from './embedded-roles';
import type { Logger } from './logger';

export interface LegacyClusterOptions {
  /** Port of the running cluster. */
  port: number;
  dataDir: string;
  /** Glaze's database, whose objects move to the owner role. */
  database: string;
  logger: Pick<Logger, 'info'>;
}

/** Held by the process converting a cluster: processes joining it at once wait, then read the file. */
const conversionLock = 7461638;

/**
 * Converts a cluster from before random passwords (superuser `postgres`, password `glaze`, pg_hba
 * `password`, every object the superuser's) while it runs: a new random superuser password, the
 * `glaze` owner role, Glaze's database and objects handed to it, scram-sha-256 in pg_hba.conf, and
 * the credentials file written last. The new passwords are saved (pending) before they are set, so a
 * crash at any point leaves a cluster the next start can log in to and finish.
 */
export async function secureLegacyCluster(options: LegacyClusterOptions): Promise<EmbeddedCredentials> {
  const finalFile = credentialsPath(options.dataDir);
  const pendingFile = pendingCredentialsPath(options.dataDir);
  // Another process may be converting it right now, between our read of its files and our login:
  // every password we know then fails for a moment, and its files say what they became.
  for (let waited = 0; ; waited += 250) {
    const done = await readCredentials(finalFile);
    if (done) return done;
    const admin = await superuserSession(options, await readCredentials(pendingFile));
    if (admin) return await convert(options, admin);
    if (waited >= 15_000) {
      throw new ConfigError(
        `GLAZE_DATA_DIR ${options.dataDir}: ${finalFile} is missing and the embedded Postgres refuses ` +
          'the passwords it could have had; restore that file from a backup of the data dir',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The conversion itself, one process at a time (the others wait on the lock, then read the file). */
async function convert(options: LegacyClusterOptions, admin: pg.Client): Promise<EmbeddedCredentials> {
  const finalFile = credentialsPath(options.dataDir);
  const pendingFile = pendingCredentialsPath(options.dataDir);
  try {
    await admin.query('select pg_advisory_lock($1)', [conversionLock]);
    const done = await readCredentials(finalFile); // converted while we waited
    if (done) return done;
    // Read again under the lock: a conversion cut short left its passwords here, and they may be set.
    let credentials = await readCredentials(pendingFile);
    if (!credentials) {
      credentials = newCredentials();
      await writeCredentials(pendingFile, credentials);
    }
    const superuser = admin.escapeIdentifier(credentials.superuser.user);
    await admin.query(
      `alter role ${superuser} with password ${admin.escapeLiteral(credentials.superuser.password)}`,
    );
    if (await requireScram(path.join(options.dataDir, 'postgres')))
      await admin.query('select pg_reload_conf()');
    await ensureOwnerRole(options.port, credentials, options.database);
    await rename(pendingFile, finalFile);
    options.logger.info(
      { credentials: finalFile },
      'embedded Postgres: replaced the fixed superuser password with random ones; Glaze now connects as the role "glaze"',
    );
    return credentials;
  } finally {
    await admin.end(); // ends the session, and with it the advisory lock
  }
}

/**
 * A superuser session with the pending password (a conversion cut short, or under way elsewhere) or
 * the old fixed one; undefined when both are refused.
 */
async function superuserSession(
  options: LegacyClusterOptions,
  pending: EmbeddedCredentials | undefined,
): Promise<pg.Client | undefined> {
  const passwords = [pending?.superuser.password, legacySuperuserPassword].filter(
    (password): password is string => password !== undefined,
  );
  for (const password of passwords) {
    try {
      return await connectAs(options.port, { user: 'postgres', password }, 'postgres');
    } catch (error) {
      if ((error as { code?: string }).code !== '28P01') throw error;
    }
  }
  return undefined;
}
