import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPhone } from '../src/phone';

// One example mobile number per region, national digits (libphonenumber-js/examples.mobile.json).
const examples: Record<string, string> = JSON.parse(
  readFileSync(new URL('./corpus/libphonenumber-examples.mobile.json', import.meta.url), 'utf8'),
);
const regions = Object.entries(examples);

// Listed in docs/PROVIDERS.md: regions that share a numbering plan, whose example number the main
// region's own patterns also match, are reported as the main region, as libphonenumber's
// getRegionCodeForNumber does (it tries the main region first).
const sharedPlan: Record<string, string> = {
  AX: 'FI',
  BL: 'GP',
  CC: 'AU',
  CX: 'AU',
  EH: 'MA',
  IM: 'GB',
  MF: 'GP',
  SJ: 'NO',
  VA: 'IT',
};

describe("phone check against libphonenumber's example numbers (test/corpus/libphonenumber-examples.mobile.json)", () => {
  it('covers every region', () => expect(regions.length).toBeGreaterThan(240));

  it.each(regions)('%s %s', (region, national) => {
    const check = checkPhone(national, region);
    expect(check).toMatchObject({ valid: true, country: sharedPlan[region] ?? region, vanity: false });
    if (!check.valid) return;
    expect(['mobile', 'fixed_line_or_mobile']).toContain(check.lineType);
    // What Glaze writes reads back as the same number, without the default country.
    expect(checkPhone(check.international)).toMatchObject({ valid: true, e164: check.e164 });
  });
});

// Ours: what phone columns of lead lists hold. [input, defaultCountry, e164 or null, reason fragment]
const leads: Array<[string, string | undefined, string | null, string?]> = [
  ['(201) 555-0123', 'US', '+12015550123'],
  ['201-555-0123', 'US', '+12015550123'],
  ['201.555.0123', 'US', '+12015550123'],
  ['+1 201 555 0123', undefined, '+12015550123'],
  ['1 (201) 555-0123', 'US', '+12015550123'],
  ['tel:+1-201-555-0123', undefined, '+12015550123'],
  ['+1 800 FLOWERS', undefined, '+18003569377'],
  ['1-800-FLOWERS', 'US', '+18003569377'],
  ['1-800-flowers', 'US', '+18003569377'],
  ['+1-800-GOT-JUNK', undefined, '+18004685865'],
  ['800-CALL-NOW', 'US', '+18002255669'],
  ['+1 800 356 9377', undefined, '+18003569377'],
  ['07400 123456', 'GB', '+447400123456'],
  ['+44 7400 123456', undefined, '+447400123456'],
  ['+44 (0)20 7946 0958', undefined, '+442079460958'],
  ['020 7946 0958', 'GB', '+442079460958'],
  ['0044 20 7946 0958', 'GB', '+442079460958'],
  ['+44 20 7946 0958 ext. 12', undefined, '+442079460958'],
  ['+33 1 42 68 53 00', undefined, '+33142685300'],
  ['01 42 68 53 00', 'FR', '+33142685300'],
  ['06 12 34 56 78', 'FR', '+33612345678'],
  ['+49 30 901820', undefined, '+4930901820'],
  ['030 901820', 'DE', '+4930901820'],
  ['+49 1512 3456789', undefined, '+4915123456789'],
  ['+34 612 34 56 78', undefined, '+34612345678'],
  ['+39 06 6982', undefined, '+39066982'],
  ['+31 6 12345678', undefined, '+31612345678'],
  ['+81 3-1234-5678', undefined, '+81312345678'],
  ['090-1234-5678', 'JP', '+819012345678'],
  ['+86 138 0013 8000', undefined, '+8613800138000'],
  ['+84 91 234 56 78', undefined, '+84912345678'],
  ['0912 345 678', 'VN', '+84912345678'],
  ['+91 98765 43210', undefined, '+919876543210'],
  ['+61 412 345 678', undefined, '+61412345678'],
  ['0412 345 678', 'AU', '+61412345678'],
  ['+55 11 96123 4567', undefined, '+5511961234567'],
  ['+52 55 1234 5678', undefined, '+525512345678'],
  ['+7 912 345-67-89', undefined, '+79123456789'],
  ['+27 82 123 4567', undefined, '+27821234567'],
  ['+971 50 123 4567', undefined, '+971501234567'],
  ['+82 10-1234-5678', undefined, '+821012345678'],
  ['+1 416 555 0123', undefined, '+14165550123'],
  ['  +1 (201) 555-0123  ', undefined, '+12015550123'],
  ['07400 123456', undefined, null, 'defaultCountry'],
  ['555-0123', 'US', null, 'not a valid number'],
  ['+1 201 555 012', undefined, null, 'not a valid number'],
  ['+44 20 7946 09589999', undefined, null, 'not a valid number'],
  ['+999 1234 5678', undefined, null, 'not a phone number'],
  ['n/a', 'US', null, 'not a phone number'],
  ['12', 'US', null, 'not a'],
  ['call me', 'US', null, 'not a valid number'],
  ['+1 800 FLOW', undefined, null, 'not a valid number'],
];

describe('phone check on lead-list cases of ours', () => {
  it('has at least 50', () => expect(leads.length).toBeGreaterThanOrEqual(50));

  it.each(leads)('%j (%s) → %s', (input, country, e164, reason) => {
    const check = checkPhone(input, country);
    if (e164 !== null) expect(check).toMatchObject({ valid: true, e164 });
    else expect(check).toMatchObject({ valid: false, reason: expect.stringContaining(reason as string) });
  });

  it('says when a number was written with letters', () => {
    expect(checkPhone('+1 800 FLOWERS')).toMatchObject({ vanity: true, lineType: 'toll_free' });
    expect(checkPhone('+1 800 356 9377')).toMatchObject({ vanity: false });
  });
});
