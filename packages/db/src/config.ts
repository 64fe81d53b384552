import path from 'node:path';
import { z } from 'zod';

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      // a host, or libpq's socket form: `postgresql:///glaze?host=/var/run/postgresql`
      const reached = url.hostname !== '' || url.searchParams.get('host')?.startsWith('/') === true;
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && reached;
    } catch {
      return false;
    }
  }, 'must be a postgres:// URL with a host, e.g. postgres://user@127.0.0.1:5432/glaze, or with a socket directory, e.g. postgresql:///glaze?host=/var/run/postgresql')
  .transform(libpqSslModes);

/**
 * `sslmode` as libpq reads it (psql and every libpq-based tool): `require` encrypts without checking
 * the server's certificate (with `sslrootcert`, checks it against that CA), `verify-ca` checks the
 * CA, `verify-full` the CA and the host name. node-postgres 8 reads `require`, `prefer` and
 * `verify-ca` as `verify-full` unless the URL says `uselibpqcompat=true`, which is added here: a
 * host's connection string with `sslmode=require` and a certificate of its own CA (AWS RDS, Heroku,
 * DigitalOcean) failed with "self-signed certificate" although psql took it, and every start printed
 * node-postgres's warning about the modes. A URL that sets `uselibpqcompat` itself is left alone, and
 * so is node-postgres's own `sslmode=no-verify` (libpq has no such mode: with `uselibpqcompat` it
 * would verify).
 * @example libpqSslModes('postgres://h/db?sslmode=require') // 'postgres://h/db?sslmode=require&uselibpqcompat=true'
 */
export function libpqSslModes(url: string): string {
  const query = new URL(url).searchParams;
  // only the modes node-postgres reads otherwise: `no-verify` (its own) means nothing to libpq
  if (!reread.has(query.get('sslmode') ?? '') || query.has('uselibpqcompat')) return url;
  return `${url}&uselibpqcompat=true`;
}
const reread = new Set(['prefer', 'require', 'verify-ca']);

/** 32 bytes as 64 hex characters or base64, the forms `parseSecretKey` (providers) reads. */
const secretKey = z
  .string()
  .trim()
  .refine((value) => {
    if (/^[0-9a-f]{64}$/i.test(value)) return true;
    return /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32;
  }, 'must be 32 random bytes written as 64 hex characters or base64; create one with: openssl rand -base64 32');

/**
 * `127.0.0.1, 10.0.0.0/8, crm.internal`: entries are checked by the provider registry, which names
 * them by position (`GLAZE_HTTP_ALLOW[1]`); blank entries (a trailing comma) are ignored there.
 */
const hostList = z.string().transform((value) => value.split(',').map((entry) => entry.trim()));

const envSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  WORKER_DATABASE_URL: postgresUrl.optional(),
  LISTEN_DATABASE_URL: postgresUrl.optional(),
  GLAZE_POOLER: z.enum(['auto', 'transaction', 'none']).default('auto'),
  GLAZE_DATA_DIR: z.string().min(1).default('.glaze'),
  GLAZE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GLAZE_SECRET_KEY: secretKey.optional(),
  GLAZE_HTTP_ALLOW: hostList.optional(),
});

export interface GlazeConfig {
  /** Server and CLI connections; undefined means the embedded Postgres. */
  databaseUrl?: string;
  /** Worker connections: `WORKER_DATABASE_URL`, else `DATABASE_URL`, else the embedded Postgres. */
  workerDatabaseUrl?: string;
  /**
   * A session (direct) connection for the server's realtime LISTEN, when `DATABASE_URL` goes through
   * a transaction pooler, where LISTEN cannot work; undefined means `DATABASE_URL`'s database.
   */
  listenDatabaseUrl?: string;
  /**
   * `auto`: boot probes each URL for a transaction-mode pooler (a NOTIFY that never arrives);
   * `transaction`: treat every URL as pooled (unnamed statements, no startup options, polling), for a
   * pooler the probe cannot see; `none`: never (no probe).
   */
  pooler: 'auto' | 'transaction' | 'none';
  /** Absolute path of the data directory (embedded Postgres, generated keys). */
  dataDir: string;
  logLevel: z.infer<typeof envSchema>['GLAZE_LOG_LEVEL'];
  /**
   * `GLAZE_SECRET_KEY` (checked: 32 bytes as hex or base64); undefined means the key generated once
   * into `<dataDir>/secret.key` (loadOrCreateKey). Several machines must share one key, so set it there.
   */
  secretKey?: string;
  /** `GLAZE_HTTP_ALLOW` split on commas: private hosts, IPs and CIDRs `http` and `llm` may reach. */
  httpAllow: string[];
  /** Every other variable, for apps that read their own (PORT, GLAZE_POLL_MS…). */
  env: Readonly<Record<string, string | undefined>>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the environment once, at boot. A bad value fails here with the variable's name.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): GlazeConfig {
  const blankToUndefined = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === '' ? undefined : value]),
  );
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid'}`);
  }
  const vars = parsed.data;
  return {
    databaseUrl: vars.DATABASE_URL,
    workerDatabaseUrl: vars.WORKER_DATABASE_URL ?? vars.DATABASE_URL,
    listenDatabaseUrl: vars.LISTEN_DATABASE_URL,
    pooler: vars.GLAZE_POOLER,
    dataDir: path.resolve(vars.GLAZE_DATA_DIR),
    logLevel: vars.GLAZE_LOG_LEVEL,
    secretKey: vars.GLAZE_SECRET_KEY,
    httpAllow: vars.GLAZE_HTTP_ALLOW ?? [],
    env,
  };
}
