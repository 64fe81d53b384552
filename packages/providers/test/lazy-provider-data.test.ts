import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const child = fileURLToPath(new URL('./support/lazy-data-child.ts', import.meta.url));
const src = fileURLToPath(new URL('../src', import.meta.url));

it('loads the phone metadata and the public suffix list on first use, and validates as before', () => {
  const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8' }));
  // a process that imports the providers and checks nothing holds neither
  expect(out.atImport).toEqual({ phoneMetadata: false, publicSuffixList: false });
  expect(out.phone).toMatchObject({ valid: true, e164: '+12015550123', country: 'US' });
  expect(out.afterPhone).toEqual({ phoneMetadata: true, publicSuffixList: false });
  expect(out.url).toEqual({
    valid: true,
    url: 'https://example.co.uk',
    host: 'example.co.uk',
    domain: 'example.co.uk',
    publicSuffix: 'co.uk',
  });
  expect(out.email).toMatchObject({ valid: true });
  expect(out.atEnd).toEqual({ phoneMetadata: true, publicSuffixList: true });
}, 30_000);

it('imports the heavy data libraries only through their loaders (an import elsewhere loads them at boot)', () => {
  const loaders = new Set(['support/phone-numbers.ts', 'support/parse-domain.ts']);
  const heavy =
    /^import (?!type )[^;]*from '(libphonenumber-js[^']*|tldts|disposable-email-domains|free-email-domains-list)'/m;
  const offenders = (readdirSync(src, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && !loaders.has(file))
    .filter((file) => heavy.test(readFileSync(join(src, file), 'utf8')));
  expect(offenders).toEqual([]);
});
