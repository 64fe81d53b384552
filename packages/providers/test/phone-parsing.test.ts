import { describe, expect, it } from 'vitest';
import { checkPhone, phoneProvider } from '../src/phone';
import { okValue, runProvider } from './support/run-provider';

describe('phone provider', () => {
  it('formats a national number with the default country as E.164 with its line type', async () => {
    const value = okValue(
      await runProvider(phoneProvider, { defaultCountry: 'gb' }, { phone: '07400 123456' }),
    );
    expect(value).toEqual({
      valid: true,
      e164: '+447400123456',
      country: 'GB',
      countryCallingCode: '44',
      national: '07400 123456',
      international: '+44 7400 123456',
      lineType: 'mobile',
      vanity: false,
    });
  });

  it('reads an international number without a default country', () => {
    expect(checkPhone('+33 1 42 68 53 00')).toMatchObject({
      valid: true,
      e164: '+33142685300',
      country: 'FR',
      lineType: 'fixed_line',
    });
  });

  it('tells the user to set defaultCountry when a national number cannot be placed', () => {
    expect(checkPhone('020 7946 0958')).toMatchObject({
      valid: false,
      reason: expect.stringContaining('defaultCountry'),
    });
  });

  it('marks a number that is too short for its country as invalid', () => {
    expect(checkPhone('+1 201 555', 'US')).toMatchObject({ valid: false });
  });

  it('rejects an unknown default country in the config, naming the field', () => {
    const parsed = phoneProvider.configSchema.safeParse({ defaultCountry: 'USA' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['defaultCountry']);
    expect(phoneProvider.configSchema.safeParse({ defaultCountry: 'ZZ' }).success).toBe(false);
  });
});
