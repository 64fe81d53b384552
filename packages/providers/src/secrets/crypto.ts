import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const version = 'v1';
const ivBytes = 12; // 96-bit nonce: the size GCM is specified for (NIST SP 800-38D)
const tagBytes = 16;

/**
 * Encrypts a secret value with AES-256-GCM. Output: `v1:` + base64(iv | tag | ciphertext).
 * `context` (e.g. `workspace:3/secret:OPENAI_API_KEY`) is bound as associated data, so a
 * ciphertext copied to another row does not decrypt there.
 * @example const stored = encryptSecret('sk-…', key, 'workspace:1/secret:OPENAI_API_KEY');
 */
export function encryptSecret(plaintext: string, key: Buffer, context = ''): string {
  assertKey(key);
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${version}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
}

/** Decrypts what `encryptSecret` produced; throws when the key, context or bytes do not match. */
export function decryptSecret(stored: string, key: Buffer, context = ''): string {
  assertKey(key);
  if (!stored.startsWith(`${version}:`)) throw new Error(`encrypted secret: expected a "${version}:" prefix`);
  const bytes = Buffer.from(stored.slice(version.length + 1), 'base64');
  if (bytes.length < ivBytes + tagBytes) throw new Error('encrypted secret: too short to hold iv and tag');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, ivBytes));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(bytes.subarray(ivBytes, ivBytes + tagBytes));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(ivBytes + tagBytes)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new Error('encrypted secret: cannot decrypt (wrong GLAZE_SECRET_KEY, or the value was altered)');
  }
}

/**
 * Reads a 32-byte key written as 64 hex characters or as base64; `source` names where it came
 * from in the error, e.g. `GLAZE_SECRET_KEY`.
 */
export function parseSecretKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const isHex = /^[0-9a-f]{64}$/i.test(trimmed);
  const isBase64 = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed);
  const key = isHex
    ? Buffer.from(trimmed, 'hex')
    : isBase64
      ? Buffer.from(trimmed, 'base64')
      : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new Error(
      `${source}: must be 32 random bytes written as 64 hex characters or base64 ` +
        `(got ${isHex || isBase64 ? `${key.length} bytes` : 'other characters'}); create one with: openssl rand -base64 32`,
    );
  }
  return key;
}

export interface LoadKeyOptions {
  /** The value of GLAZE_SECRET_KEY, read by the app's env module; wins when set. */
  envKey?: string;
  /** Where a generated key lives, e.g. `.glaze/secret.key`. */
  keyFile: string;
}

/**
 * The key secrets are encrypted with: from GLAZE_SECRET_KEY when set, else from `keyFile`,
 * which is created once with a random key and mode 0600. Losing that file makes stored secrets
 * unreadable, so a server with several machines should set GLAZE_SECRET_KEY on all of them.
 */
export async function loadOrCreateKey({ envKey, keyFile }: LoadKeyOptions): Promise<Buffer> {
  if (envKey !== undefined && envKey.trim() !== '') return parseSecretKey(envKey, 'GLAZE_SECRET_KEY');
  try {
    return parseSecretKey(await readFile(keyFile, 'utf8'), keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // Written whole under a name of this process's own, then linked into place: a link appears with
  // its content or not at all, and fails if another process's key got there first. (Writing the key
  // file itself with 'wx' let a second process read it empty, between its creation and the write.)
  const draft = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(draft, `${key.toString('base64')}\n`, { mode: 0o600 });
    await chmod(draft, 0o600); // the mode above is filtered by the umask; this is not
    await link(draft, keyFile);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseSecretKey(await readFile(keyFile, 'utf8'), keyFile);
  } finally {
    await rm(draft, { force: true });
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new Error(`secret key: must be 32 bytes, got ${key.length}`);
}
