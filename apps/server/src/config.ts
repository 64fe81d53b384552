import { ConfigError } from '@glaze/db';
import { z } from 'zod';

/** `5000000`, `512kb`, `10mb`, `1gb`. */
const byteSize = z
  .string()
  .trim()
  .regex(/^\d+(k|kb|m|mb|g|gb)?$/i, 'must be a size in bytes, e.g. 5000000, 512kb, 10mb or 1gb')
  .transform((value) => {
    const [, digits = '0', unit = ''] = /^(\d+)([a-z]*)$/i.exec(value) ?? [];
    const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
      unit.charAt(0).toLowerCase() as '' | 'k' | 'm' | 'g'
    ];
    return Number(digits) * scale;
  });

const serverEnvSchema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a port number from 0 to 65535' })
    .int('must be a port number from 0 to 65535')
    .min(0, 'must be a port number from 0 to 65535')
    .max(65_535, 'must be a port number from 0 to 65535')
    .default(3000),
  GLAZE_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** The admin token of the first workspace, on first start; otherwise one is generated and printed. */
  GLAZE_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Largest JSON body. */
  GLAZE_BODY_LIMIT: byteSize.default(5 * 1024 * 1024),
  /** Largest CSV upload (streamed, never held in memory whole). */
  GLAZE_CSV_LIMIT: byteSize.default(1024 ** 3),
  /** `auto`: LISTEN/NOTIFY when it works, else polling; `poll` behind a transaction-mode pooler. */
  GLAZE_REALTIME: z.enum(['auto', 'listen', 'poll']).default('auto'),
  GLAZE_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(1000),
  /**
   * A run worked in the server's own process claims its next chunk only while the table's viewers
   * here are at most this far behind its writes (ms); 0: runs never wait for their viewers.
   */
  GLAZE_VIEWER_LAG_MS: z.coerce
    .number({ error: 'must be a whole number of milliseconds from 0 to 60000' })
    .int('must be a whole number of milliseconds from 0 to 60000')
    .min(0, 'must be a whole number of milliseconds from 0 to 60000')
    .max(60_000, 'must be a whole number of milliseconds from 0 to 60000')
    .default(100),
  /** The built web app; defaults to apps/web/dist. */
  GLAZE_WEB_DIR: z.string().trim().min(1).optional(),
  /** Most event streams open at once (503 `server_busy` beyond); default: what the open-file limit leaves room for. */
  GLAZE_MAX_STREAMS: z.coerce
    .number({ error: 'must be a whole number from 1' })
    .int('must be a whole number from 1')
    .min(1, 'must be a whole number from 1')
    .optional(),
  /** Serve Prometheus metrics on this port (GET /metrics), apart from the API; none when unset. */
  GLAZE_METRICS_PORT: z.coerce
    .number()
    .int('must be a port number from 1 to 65535')
    .min(1, 'must be a port number from 1 to 65535')
    .max(65_535, 'must be a port number from 1 to 65535')
    .optional(),
  /** Where the metrics port listens; loopback by default (it has no token). */
  GLAZE_METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /**
   * Behind a reverse proxy: trust its X-Forwarded-For/-Proto/-Host. `true`, or the
   * proxy's addresses (`10.0.0.1,10.0.0.2`, CIDRs allowed). Default: trust nothing.
   */
  GLAZE_TRUST_PROXY: z
    .string()
    .trim()
    .regex(
      /^(true|false|[0-9a-f.:/]+(\s*,\s*[0-9a-f.:/]+)*)$/i,
      "must be true, false, or the proxy's addresses (e.g. 10.0.0.1,10.0.0.0/8)",
    )
    .transform((value): boolean | string => (/^(true|false)$/i.test(value) ? /^true$/i.test(value) : value))
    .default(false),
});

export interface ServerConfig {
  port: number;
  host: string;
  adminToken?: string;
  bodyLimit: number;
  csvLimit: number;
  realtime: 'auto' | 'listen' | 'poll';
  pollMs: number;
  /** How far behind its writes a table's viewers may be before the in-process worker waits (0: never). */
  viewerLagMs: number;
  webDir?: string;
  /** Most event streams open at once; undefined: what the open-file limit leaves room for. */
  maxStreams?: number;
  /** GET /metrics on this port and host (Prometheus); undefined: no metrics. */
  metrics?: { port: number; host: string };
  /** Fastify's trustProxy: decides the client address, https (Secure cookie) and the request's origin. */
  trustProxy: boolean | string;
}

/**
 * The server's own variables, read from `GlazeConfig.env` (the one place the environment is read)
 * and validated at boot; a bad value fails naming the variable.
 * @example const server = loadServerConfig(glaze.config.env);
 */
export function loadServerConfig(env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const keys = Object.keys(serverEnvSchema.shape);
  const present = Object.fromEntries(keys.map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = serverEnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0] ?? 'environment')}: ${issue?.message ?? 'invalid'}`);
  }
  const vars = parsed.data;
  return {
    port: vars.PORT,
    host: vars.GLAZE_HOST,
    adminToken: vars.GLAZE_ADMIN_TOKEN,
    bodyLimit: vars.GLAZE_BODY_LIMIT,
    csvLimit: vars.GLAZE_CSV_LIMIT,
    realtime: vars.GLAZE_REALTIME,
    pollMs: vars.GLAZE_POLL_MS,
    viewerLagMs: vars.GLAZE_VIEWER_LAG_MS,
    webDir: vars.GLAZE_WEB_DIR,
    maxStreams: vars.GLAZE_MAX_STREAMS,
    metrics:
      vars.GLAZE_METRICS_PORT === undefined
        ? undefined
        : { port: vars.GLAZE_METRICS_PORT, host: vars.GLAZE_METRICS_HOST },
    trustProxy: vars.GLAZE_TRUST_PROXY,
  };
}
