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
      reserved: false,
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
      value: { valid: false, input: 'ada@', reason: 'domain must be a non-empty string' },
    });
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
