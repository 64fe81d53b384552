import { describe, expect, it } from 'vitest';
import { checkEmail } from '../src/email';
import { readCorpus } from './support/read-corpus';

interface Case {
  input: string;
  valid: boolean;
  options?: unknown;
}

// Cases that set library options Glaze does not use (minDomainSegments: 1, a TLD allow list,
// ignoreLength, allowUnicode: false) say nothing about Glaze's check: they are left out, and counted.
const applicable = readCorpus<Case>('hapi-address-email.json').cases.filter((c) => c.options === undefined);
const verdict = (input: string) => {
  // A trimmed form the corpus does not hold ("test @iana.org") keeps the case's own verdict.
  return applicable.find((c) => c.input === input)?.valid;
};

describe('email check against @hapi/address published cases (test/corpus/hapi-address-email.json)', () => {
  it('uses most of the corpus', () => {
    expect(applicable.length).toBeGreaterThan(200);
  });

  it.each(applicable.map((c) => [JSON.stringify(c.input), c] as const))('%s', (_, c) => {
    // The one listed deviation (docs/PROVIDERS.md): Glaze trims what it reads from a cell, so
    // "test@iana.org\r\n" is the corpus's valid "test@iana.org".
    const expected = c.input.trim() === c.input ? c.valid : (verdict(c.input.trim()) ?? c.valid);
    expect(checkEmail(c.input).valid).toBe(expected);
  });
});

// Ours: what lead lists hold. [input, valid, normalised address or a fragment of the reason]
const leads: Array<[string, boolean, string]> = [
  ['ada@acme.io', true, 'ada@acme.io'],
  [' Ada.Lovelace@Stripe.COM ', true, 'Ada.Lovelace@stripe.com'],
  ['ADA@ACME.IO', true, 'ADA@acme.io'],
  ['mailto:ada@acme.io', true, 'ada@acme.io'],
  ['MAILTO:ada@acme.io', true, 'ada@acme.io'],
  ['ada+crm@acme.io', true, 'ada+crm@acme.io'],
  ['ada.b.lovelace@acme.co.uk', true, 'ada.b.lovelace@acme.co.uk'],
  ["o'brien@acme.ie", true, "o'brien@acme.ie"],
  ['first_last@sub.mail.acme.com', true, 'first_last@sub.mail.acme.com'],
  ['1234@acme.io', true, '1234@acme.io'],
  ['a@b.co', true, 'a@b.co'],
  ['Jörg@Bücher.de', true, 'Jörg@xn--bcher-kva.de'],
  ['jörg@xn--bcher-kva.de', true, 'jörg@xn--bcher-kva.de'],
  ['info@müller.de', true, 'info@xn--mller-kva.de'],
  ['伊昭傑@郵件.中国', true, '伊昭傑@xn--5nqv22n.xn--fiqs8s'],
  ['伊昭傑@郵件.商務', false, 'known top-level domain'],
  ['用户@例子.中国', true, '用户@xn--fsqu00a.xn--fiqs8s'],
  ['θσερ@εχαμπλε.ψομ', false, 'known top-level domain'],
  ['θσερ@εχαμπλε.ελ', true, 'θσερ@xn--mxahbxey0c.xn--qxam'],
  ['nguyễn@công-ty.vn', true, 'nguyễn@xn--cng-ty-ixa.vn'],
  ['ada@acme.io/evil', false, 'invalid character'],
  ['ada@acme.io#frag', false, 'invalid character'],
  ['ada@ACME.io?x=1', false, 'invalid character'],
  ['ada@acme.io\\x', false, 'invalid character'],
  ['ada@acme.io:25', false, 'invalid character'],
  ['ada@acme.io>', false, 'invalid tld character'],
  ['<ada@acme.io>', false, 'invalid character'],
  ['Ada Lovelace <ada@acme.io>', false, 'invalid character'],
  ['ada@acme.io, bob@acme.io', false, '@'],
  ['ada@acme.io;bob@acme.io', false, '@'],
  ['ada@acme.io.', false, 'empty dot-separated segment'],
  ['ada@.acme.io', false, 'empty dot-separated segment'],
  ['ada@acme..io', false, 'empty dot-separated segment'],
  ['ada..l@acme.io', false, 'empty dot-separated segment'],
  ['.ada@acme.io', false, 'empty dot-separated segment'],
  ['ada.@acme.io', false, 'empty dot-separated segment'],
  ['ada@localhost', false, 'minimum required number of segments'],
  ['ada@acme', false, 'minimum required number of segments'],
  ['ada@acme.c0m', false, 'known top-level domain'],
  ['ada@acme.notatld', false, 'known top-level domain'],
  ['ada@acme.test', false, 'known top-level domain'],
  ['ａｄａ@ａｃｍｅ.io', false, 'IDNA removes or maps'],
  ['ada@exa_mple.com', false, 'invalid character'],
  ['ada@-acme.io', false, 'invalid character'],
  ['ada@192.168.0.1', false, 'invalid tld character'],
  ['ada@[127.0.0.1]', false, 'invalid character'],
  ['a b@acme.io', false, 'local part contains invalid character'],
  ['"a b"@acme.io', false, 'local part contains invalid character'],
  ['ada(comment)@acme.io', false, 'local part contains invalid character'],
  ['ada@@acme.io', false, 'more than one @'],
  ['ada.acme.io', false, 'one @'],
  ['@acme.io', false, 'local part cannot be empty'],
  ['ada@', false, 'Domain must be a non-empty string'],
  ['ada@acme.io\u200b', false, 'IDNA removes or maps'],
  [`${'a'.repeat(65)}@acme.io`, false, 'local part too long'],
  ['ada@example.com', true, 'ada@example.com'],
  ['ada@mail.example.org', true, 'ada@mail.example.org'],
  ['ada@gmail.com', true, 'ada@gmail.com'],
  ['ada@googlemail.com', true, 'ada@googlemail.com'],
  ['ada@mailinator.com', true, 'ada@mailinator.com'],
];

describe('email check on lead-list cases of ours', () => {
  it('has at least 50', () => expect(leads.length).toBeGreaterThanOrEqual(50));

  it.each(leads)('%j → valid %s (%s)', (input, valid, expected) => {
    const check = checkEmail(input);
    expect(check.valid).toBe(valid);
    if (check.valid) expect(check.email).toBe(expected);
    else expect(check.reason.toLowerCase()).toContain(expected.toLowerCase());
  });

  it('does not call the RFC 2606 example domains free mail, and marks them reserved', () => {
    expect(checkEmail('ada@example.com')).toMatchObject({
      freeMail: false,
      disposable: false,
      reserved: true,
    });
    expect(checkEmail('ada@gmail.com')).toMatchObject({ freeMail: true, reserved: false });
    expect(checkEmail('ada@mailinator.com')).toMatchObject({ disposable: true, reserved: false });
  });
});
