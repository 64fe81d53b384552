import path from 'node:path';
import { z } from 'zod';

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a postgres:// URL with a host, e.g. postgres://user@127.0.0.1:5432/glaze');

const envSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  WORKER_DATABASE_URL: postgresUrl.optional(),
  GLAZE_DATA_DIR: z.string().min(1).default('.glaze'),
  GLAZE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface GlazeConfig {
  /** Server and CLI connections; undefined means the embedded Postgres. */
  databaseUrl?: string;
  /** Worker connections: `WORKER_DATABASE_URL`, else `DATABASE_URL`, else the embedded Postgres. */
  workerDatabaseUrl?: string;
  /** Absolute path of the data directory (embedded Postgres, generated keys). */
  dataDir: string;
  logLevel: z.infer<typeof envSchema>['GLAZE_LOG_LEVEL'];
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
    dataDir: path.resolve(vars.GLAZE_DATA_DIR),
    logLevel: vars.GLAZE_LOG_LEVEL,
    env,
  };
}
