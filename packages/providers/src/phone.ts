import { defineProvider, displayPhone } from '@glaze/core';
import type { CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { phoneNumbers } from './support/phone-numbers';

const configSchema = z.object({
  input: z.string().default('{{phone}}').describe('Template for the phone number to parse'),
  defaultCountry: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be a two-letter ISO 3166 country code such as "US" or "GB"')
    .refine(
      (code) => phoneNumbers().isSupportedCountry(code.toUpperCase()),
      'is not a country libphonenumber knows',
    )
    .optional()
    .describe('Country to assume for numbers written without +country code (ISO 3166 alpha-2, e.g. "US")'),
});

export type PhoneCheck =
  | {
      valid: true;
      e164: string;
      country: string | null;
      countryCallingCode: string;
      national: string;
      international: string;
      lineType: string | null;
      /** Written with letters (`1-800-FLOWERS`), read as the keypad digits. */
      vanity: boolean;
    }
  | { valid: false; input: string; reason: string };

/**
 * Parses with libphonenumber's `max` metadata, the only build that knows line types
 * (mobile, fixed line, toll free…); the `min` build would report every type as unknown. Vanity
 * numbers are read on the keypad first (`vanityToDigits`).
 * @example checkPhone('(201) 555-0123', 'US') // { valid: true, e164: '+12015550123', … }
 */
export function checkPhone(raw: string, defaultCountry?: string): PhoneCheck {
  const input = raw.trim();
  const country = defaultCountry?.toUpperCase() as CountryCode | undefined;
  const digits = vanityToDigits(input);
  const number = phoneNumbers().parsePhoneNumberFromString(
    digits ?? input,
    country ? { defaultCountry: country } : {},
  );
  if (!number) {
    return {
      valid: false,
      input,
      reason: country
        ? 'not a phone number'
        : 'not a phone number (numbers without +country code need config.defaultCountry)',
    };
  }
  if (!number.isValid()) return { valid: false, input, reason: 'not a valid number for its country' };
  return {
    valid: true,
    e164: number.number,
    country: number.country ?? null,
    countryCallingCode: number.countryCallingCode,
    national: number.formatNational(),
    international: number.formatInternational(),
    lineType: number.getType()?.toLowerCase() ?? null,
    vanity: digits !== undefined,
  };
}

// ITU E.161 keypad, as libphonenumber's ALPHA_MAPPINGS.
const keypad: Record<string, string> = Object.fromEntries(
  ['ABC', 'DEF', 'GHI', 'JKL', 'MNO', 'PQRS', 'TUV', 'WXYZ'].flatMap((letters, i) =>
    [...letters].map((letter) => [letter, String(i + 2)]),
  ),
);
const extension = /\s*(?:;\s*ext=|ext\.?|extension|x|#)\s*\d{1,10}\s*$/i;

/**
 * libphonenumber's rule for vanity numbers (`PhoneNumberUtil.normalize`): a number with at least
 * three letters is read on the keypad, `1-800-FLOWERS` → `1-800-3569377`. libphonenumber-js leaves
 * that to the caller and stops at the first letter. An extension (`ext. 12`) is not read as
 * letters. Undefined when the number is not written with letters.
 * @example vanityToDigits('+1 800 FLOWERS') // '+1 800 3569377'
 */
export function vanityToDigits(input: string): string | undefined {
  const text = input.replace(/^tel:/i, '');
  const ext = extension.exec(text);
  const main = ext ? text.slice(0, ext.index) : text;
  if ((main.match(/[A-Za-z]/g) ?? []).length < 3) return undefined;
  const converted = main.replace(/[A-Za-z]/g, (letter) => keypad[letter.toUpperCase()] ?? letter);
  return converted + (ext?.[0] ?? '');
}

/** Phone number → E.164, country, national format and line type. */
export const phoneProvider = defineProvider({
  id: 'phone',
  group: 'validate',
  description: 'Parses a phone number into E.164 with its country, national format and line type',
  configSchema,
  display: displayPhone,
  templates: (config) => [config.input],
  async enrich({ config, render }) {
    const text = render(config.input);
    if (text.trim() === '') return { kind: 'empty' };
    return { kind: 'ok', value: checkPhone(text, config.defaultCountry) };
  },
});
