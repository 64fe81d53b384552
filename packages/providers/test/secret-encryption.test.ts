import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, loadOrCreateKey, parseSecretKey } from '../src/secrets/crypto';
import { redact } from '../src/secrets/redact';

const key = Buffer.alloc(32, 7);

describe('secret encryption (AES-256-GCM)', () => {
  it('round-trips a value and never stores the plaintext', () => {
    const stored = encryptSecret('sk-live-ÄÖ-123', key, 'ws:1/OPENAI');
    expect(stored).toMatch(/^v1:/);
    expect(stored).not.toContain('sk-live');
    expect(decryptSecret(stored, key, 'ws:1/OPENAI')).toBe('sk-live-ÄÖ-123');
    expect(encryptSecret('same', key)).not.toBe(encryptSecret('same', key));
  });

  it('refuses a wrong key, a different context or an altered ciphertext', () => {
    const stored = encryptSecret('value', key, 'ws:1/A');
    expect(() => decryptSecret(stored, Buffer.alloc(32, 8), 'ws:1/A')).toThrow('cannot decrypt');
    expect(() => decryptSecret(stored, key, 'ws:2/A')).toThrow('cannot decrypt');
    const bytes = Buffer.from(stored.slice(3), 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(() => decryptSecret(`v1:${bytes.toString('base64')}`, key, 'ws:1/A')).toThrow('cannot decrypt');
  });

  it('parses hex and base64 keys and names GLAZE_SECRET_KEY when one is wrong', () => {
    expect(parseSecretKey('07'.repeat(32), 'GLAZE_SECRET_KEY')).toEqual(key);
    expect(parseSecretKey(key.toString('base64'), 'GLAZE_SECRET_KEY')).toEqual(key);
    expect(() => parseSecretKey('short', 'GLAZE_SECRET_KEY')).toThrow(
      /^GLAZE_SECRET_KEY: must be 32 random bytes/,
    );
  });
});

describe('loadOrCreateKey', () => {
  // Every key file of these tests lives under one temporary directory, removed afterwards.
  const made: string[] = [];
  const keyDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'glaze-key-'));
    made.push(dir);
    return dir;
  };
  afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('prefers the env value and rejects a malformed one by name', async () => {
    const keyFile = join(await keyDir(), 'secret.key');
    expect(await loadOrCreateKey({ envKey: key.toString('hex'), keyFile })).toEqual(key);
    await expect(loadOrCreateKey({ envKey: 'abc', keyFile })).rejects.toThrow('GLAZE_SECRET_KEY');
  });

  it('creates the key file once with mode 0600 and reads the same key back', async () => {
    const keyFile = join(await keyDir(), 'nested', 'secret.key');
    const first = await loadOrCreateKey({ keyFile });
    expect(first).toHaveLength(32);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateKey({ keyFile })).toEqual(first);
    expect(Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64')).toEqual(first);
  });

  it('gives every one of many processes starting at once the same key, never a half-written file', async () => {
    // `glaze start` and `glaze worker` started together on a new data dir both create the key: one
    // once read the other's file between its creation and its write, and exited 1 on "0 bytes".
    const crypto = new URL('../src/secrets/crypto.ts', import.meta.url).pathname;
    // Each child loads the module, then spins until the same instant, so their calls overlap.
    const script = `import { loadOrCreateKey } from ${JSON.stringify(crypto)};
      while (Date.now() < Number(process.argv[2]));
      const key = await loadOrCreateKey({ keyFile: process.argv[1] });
      process.stdout.write(key.toString('hex'));`;
    for (let round = 0; round < 3; round++) {
      const keyFile = join(await keyDir(), 'secret.key');
      const at = String(Date.now() + 3_000);
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          runChild(['--import', 'tsx', '--input-type=module', '-e', script, keyFile, at]),
        ),
      );
      for (const result of results) expect(result.stderr).toBe('');
      const onDisk = Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64').toString('hex');
      expect(new Set(results.map((result) => result.stdout))).toEqual(new Set([onDisk]));
      expect(await readdir(dirname(keyFile))).toEqual(['secret.key']);
    }
  });

  it('names the key file when its content is not a key', async () => {
    const keyFile = join(await keyDir(), 'secret.key');
    await writeFile(keyFile, 'garbage');
    await expect(loadOrCreateKey({ keyFile })).rejects.toThrow(keyFile);
  });
});

describe('redact', () => {
  it('replaces raw, URL-encoded and JSON-escaped secret values', () => {
    const secret = 'k3y/with+chars"';
    const text = `raw ${secret} url ${encodeURIComponent(secret)} json ${JSON.stringify(secret)}`;
    expect(redact(text, [secret])).toBe('raw [secret] url [secret] json "[secret]"');
  });

  it('replaces the longer of two overlapping secrets whole and ignores empty values', () => {
    expect(redact('token abc123456', ['abc', 'abc123456', ''])).toBe('token [secret]');
  });
});

function runChild(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, (error, stdout, stderr) =>
      error && !stderr ? reject(error) : resolve({ stdout, stderr }),
    );
  });
}
