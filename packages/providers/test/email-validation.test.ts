import { describe, expect, it } from 'vitest';
import { checkEmail, emailProvider } from '../src/email';
import { okValue, runProvider } from './support/run-provider';

describe('email provider', () => {
  it('normalises a valid address: trims, lower-cases the domain, keeps the local part', async () => {
    const value = okValue(await runProvider(emailProvider, {}, { email: '  Ada.Lovelace@Stripe.COM ' }));
    expect(value).toEqual({
      valid: true,
      email: 'Ada.Lovelace@stripe.com',
      local: 'Ada.Lovelace',
      domain: 'stripe.com',
      freeMail: false,
      disposable: false,
    });
  });

  it('flags free-mail and disposable domains from the maintained lists', () => {
    expect(checkEmail('someone@gmail.com')).toMatchObject({ valid: true, freeMail: true, disposable: false });
    expect(checkEmail('x@yahoo.co.uk')).toMatchObject({ freeMail: true });
    expect(checkEmail('temp@mailinator.com')).toMatchObject({ valid: true, disposable: true });
    expect(checkEmail('ceo@acme-widgets-inc.com')).toMatchObject({ freeMail: false, disposable: false });
  });

  it('reports an invalid address as an ok value with the reason', async () => {
    const result = await runProvider(emailProvider, { input: '{{Work Email}}' }, { 'Work Email': 'ada@' });
    expect(result).toEqual({
      kind: 'ok',
      value: { valid: false, input: 'ada@', reason: 'nothing after "@"' },
    });
  });

  it.each([
    ['ada.example.com', 'missing "@"'],
    ['@example.com', 'nothing before "@"'],
    ['ada..l@example.com', 'misplaced dot'],
    ['ada@localhost', 'no top-level domain'],
    ['ada@exa_mple.com', 'not a valid host name'],
    ['ada@example.c0m', 'does not end in a top-level domain'],
    ['a b@example.com', 'not allowed'],
  ])('rejects %s', (address, reason) => {
    const check = checkEmail(address);
    expect(check.valid).toBe(false);
    if (!check.valid) expect(check.reason).toContain(reason);
  });

  it('punycodes an internationalised domain and accepts a mailto: prefix', () => {
    expect(checkEmail('mailto:Jörg@Bücher.de')).toMatchObject({
      valid: true,
      email: 'Jörg@xn--bcher-kva.de',
    });
  });

  it('returns empty for a blank input and reads the email column by default', async () => {
    expect(await runProvider(emailProvider, {}, { email: '   ' })).toEqual({ kind: 'empty' });
    expect(emailProvider.templates(emailProvider.configSchema.parse({}))).toEqual(['{{email}}']);
  });
});
