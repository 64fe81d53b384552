import { cellDisplays, displayCell, type Json } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { checkEmail } from '../src/email';
import { splitName } from '../src/name';
import { checkPhone } from '../src/phone';
import { builtinProviders } from '../src/registry';
import { checkUrl } from '../src/url';
import { readCorpus } from './support/read-corpus';
import { okValue, runProvider } from './support/run-provider';

/** Every display is one line the grid can show: no line break, at most 80 characters. */
function expectOneLine(text: string) {
  expect(text).not.toMatch(/[\r\n]/);
  expect(text.length).toBeLessThanOrEqual(80);
  expect(text.length).toBeGreaterThan(0);
}

describe('each provider declares the display the web grid uses', () => {
  it.each([...builtinProviders.values()].map((p) => [p.id, p] as const))('%s', (id, provider) => {
    expect(provider.display).toBeTypeOf('function');
    expect(provider.display).toBe(cellDisplays[id]);
  });
});

describe('email display, over the hapi/address corpus', () => {
  const { cases } = readCorpus<{ input: string; valid: boolean }>('hapi-address-email.json');

  it('shows ✓ valid or ✗ invalid: <reason> for every case, on one line', () => {
    let valid = 0;
    let invalid = 0;
    for (const { input } of cases) {
      const check = checkEmail(input);
      const text = displayCell('email', check as Json);
      expectOneLine(text);
      if (check.valid) {
        valid++;
        expect(text).toMatch(/^✓ valid( · (disposable|free mail|reserved domain))*$/);
      } else {
        invalid++;
        expect(text.startsWith('✗ invalid: ')).toBe(true);
        expect(text.length).toBeGreaterThan('✗ invalid: '.length);
      }
    }
    expect(valid).toBeGreaterThan(10);
    expect(invalid).toBeGreaterThan(10);
  });

  it.each([
    ['ada@stripe.com', '✓ valid'],
    ['ada@gmail.com', '✓ valid · free mail'],
    ['ada@example.com', '✓ valid · reserved domain'],
    ['ada@acme', '✗ invalid: domain lacks the minimum required number of segments: "acme"'],
    ['ada@acme.notatld', '✗ invalid: domain "acme.notatld" does not end in a known top-level domain'],
    ['ada', '✗ invalid: address must contain one @ character'],
  ])('%s → %s', (input, expected) => {
    expect(displayCell('email', checkEmail(input) as Json)).toBe(expected);
  });
});

describe('url and phone displays, over their corpora', () => {
  it('url: ✓ and the normalised URL, or why not', () => {
    const { cases } = readCorpus<{ input: string }>('wpt-urltestdata-typed.json');
    for (const { input } of cases) {
      const check = checkUrl(input);
      const text = displayCell('url', check as Json);
      expectOneLine(text);
      expect(text.startsWith(check.valid ? '✓ ' : '✗ invalid: ')).toBe(true);
    }
    expect(displayCell('url', checkUrl('Example.com/') as Json)).toBe('✓ https://example.com');
  });

  it('phone: ✓ the international form and line type', () => {
    const examples = readCorpus<never>('libphonenumber-examples.mobile.json') as unknown as Record<
      string,
      string
    >;
    const [country, national] = Object.entries(examples).find(([c]) => c === 'GB') as [string, string];
    const check = checkPhone(national, country);
    expect(displayCell('phone', check as Json)).toMatch(/^✓ \+44 .* · mobile$/);
    expect(displayCell('phone', checkPhone('12', 'GB') as Json)).toMatch(/^✗ invalid: /);
  });
});

describe('name display', () => {
  it('labels the parts the name provider found', () => {
    const parts = splitName('Dr. John Quincy Public Jr.');
    expect(displayCell('name', parts as unknown as Json)).toBe(
      'prefix: Dr. · first: John · middle: Quincy · last: Public · suffix: Jr.',
    );
    expect(displayCell('name', splitName('Ada Lovelace') as unknown as Json)).toBe(
      'first: Ada · last: Lovelace',
    );
  });
});

describe('waterfall, http, llm and formula displays', () => {
  it('waterfall: the answer as its step shows it, then which step answered', async () => {
    const steps = [
      { provider: 'formula', config: { expression: 'row["Work Email"]' } },
      { provider: 'email', config: { input: '{{Email}}' } },
    ];
    const value = okValue(
      await runProvider(builtinProviders.get('waterfall') as never, { steps }, { Email: 'ada@gmail.com' }),
    );
    expect(displayCell('waterfall', value)).toBe('✓ valid · free mail · via email (step 2)');
    const long = { provider: 'llm', step: 0, value: 'x'.repeat(200) };
    expectOneLine(displayCell('waterfall', long));
    expect(displayCell('waterfall', long).endsWith('… · via llm (step 1)')).toBe(true);
  });

  it('http and llm: the one extracted field, else a short preview on one line', () => {
    expect(displayCell('http', { domain: 'acme.io' })).toBe('acme.io');
    expect(displayCell('http', { domain: 'acme.io', size: 40 })).toBe('domain: acme.io · size: 40');
    expect(displayCell('llm', 'Software.\n\nAcme makes   rockets.')).toBe('Software. Acme makes rockets.');
    expectOneLine(displayCell('llm', 'word '.repeat(100)));
    expect(displayCell('formula', 42)).toBe('42');
    expect(displayCell('formula', true)).toBe('true');
  });

  it('gives "" for no value (the grid draws "no result") and a preview for an unknown provider', () => {
    expect(displayCell('email', null)).toBe('');
    expect(displayCell('plugin', { a: 1, b: [1, 2] })).toBe('a: 1 · b: [2]');
    expect(displayCell(null, 'x')).toBe('x');
  });
});
