import { describe, expect, it } from 'vitest';
import { createRedactor, redactorFor } from '../src/secrets/redactor';

const secret = 'sk-live/7c1d+9e0f2a?';

describe('createRedactor', () => {
  it('is undefined when there is nothing to redact, so the worker skips all work', () => {
    expect(createRedactor([])).toBeUndefined();
    expect(createRedactor(['', ''])).toBeUndefined();
    expect(redactorFor({})).toBeUndefined();
  });

  it('is built once per secrets object (the loader shares one for 5 s)', () => {
    const secrets = Object.freeze({ KEY: secret });
    expect(redactorFor(secrets)).toBe(redactorFor(secrets));
    expect(redactorFor(secrets)?.text(secret)).toBe('[secret]');
  });

  it('redacts the value as written, in any case, URL-encoded, JSON-escaped, base64 and base64url', () => {
    const redactor = createRedactor([secret]);
    const forms = {
      plain: secret,
      upper: secret.toUpperCase(),
      lower: secret.toLowerCase(),
      url: encodeURIComponent(secret),
      urlUpper: encodeURIComponent(secret).toUpperCase(),
      json: JSON.stringify(secret).slice(1, -1),
      base64: Buffer.from(secret).toString('base64'),
      base64url: Buffer.from(secret).toString('base64url'),
      // A key inside a longer encoded text, at each byte alignment: Basic auth, a token blob.
      basic0: Buffer.from(`abc:${secret}`).toString('base64'),
      basic1: Buffer.from(`ab:${secret}`).toString('base64'),
      basic2: Buffer.from(`a:${secret}`).toString('base64url'),
    };
    for (const [name, form] of Object.entries(forms)) {
      const out = redactor?.text(`before ${form} after`) ?? '';
      expect(out, name).toContain('[secret]');
      // What survives is at most one edge character of an encoding, never the secret's run.
      expect(out.replace(/\[secret\]/g, '').length, name).toBeLessThanOrEqual('before  after'.length + 8);
      expect(out, name).not.toContain(form);
    }
  });

  it('walks JSON values (keys too) and returns an untouched value as is', () => {
    const redactor = createRedactor([secret, 'short']);
    const value = { a: [1, { [secret]: `x ${secret.toUpperCase()}` }], b: 'short and SHORT', c: null };
    expect(redactor?.json(value)).toEqual({
      a: [1, { '[secret]': 'x [secret]' }],
      b: '[secret] and [secret]',
      c: null,
    });
    const clean = { a: [1, { b: 'nothing here' }] };
    expect(redactor?.json(clean)).toBe(clean);
  });

  it('keeps variants to secrets of 6 characters or more, so a short one does not blank out words', () => {
    // 'abc' in base64 is 'YWJj': a short secret is only redacted as written (any case).
    expect(createRedactor(['abc'])?.text('ABC abc YWJj')).toBe('[secret] [secret] YWJj');
  });
});
