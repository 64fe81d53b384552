import path from 'node:path';
import type { AnyProvider } from '@glaze/core';
import { ConfigError, createDataDir, type GlazeConfig } from '@glaze/db';
import { createProviderRegistry, loadOrCreateKey } from '@glaze/providers';

/**
 * The providers every process of this install uses, bound to `GLAZE_HTTP_ALLOW`. A bad entry fails
 * at boot naming it: `GLAZE_HTTP_ALLOW[1]: "10.0.0.0/33" is not a valid CIDR`.
 */
export function createProviders(config: GlazeConfig): ReadonlyMap<string, AnyProvider> {
  try {
    return createProviderRegistry({ httpAllow: config.httpAllow });
  } catch (error) {
    const message = (error as Error).message.replace(/^allow\[/, 'GLAZE_HTTP_ALLOW[');
    throw new ConfigError(message.startsWith('GLAZE_HTTP_ALLOW') ? message : `GLAZE_HTTP_ALLOW: ${message}`);
  }
}

/** Where a generated secret key lives when `GLAZE_SECRET_KEY` is not set. */
export function secretKeyFile(config: GlazeConfig): string {
  return path.join(config.dataDir, 'secret.key');
}

/**
 * The AES-256 key for workspace secrets: `GLAZE_SECRET_KEY` (its format was checked by loadConfig),
 * else `<GLAZE_DATA_DIR>/secret.key`, created once with mode 0600. A key file that is not a key
 * fails naming the file. The data dir is created first the way the embedded Postgres needs it (as
 * root, the `postgres` OS user must pass through it), not by the key's own mkdir.
 */
export async function loadSecretKey(config: GlazeConfig): Promise<Buffer> {
  if (config.secretKey === undefined) await createDataDir(config.dataDir);
  try {
    return await loadOrCreateKey({ envKey: config.secretKey, keyFile: secretKeyFile(config) });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}
