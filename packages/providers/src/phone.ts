import { defineProvider } from '@glaze/core';
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

const configSchema = z.object({
  input: z.string().default('{{phone}}').describe('Template for the phone number to parse'),
  defaultCountry: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be a two-letter ISO 3166 country code such as "US" or "GB"')
    .refine((code) => isSupportedCountry(code.toUpperCase()), 'is not a country libphonenumber knows')
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
    }
  | { valid: false; input: string; reason: string };

/**
 * Parses with libphonenumber's `max` metadata, the only build that knows line types
 * (mobile, fixed line, toll free…); the `min` build would report every type as unknown.
 * @example checkPhone('(201) 555-0123', 'US') // { valid: true, e164: '+12015550123', … }
 */
export function checkPhone(raw: string, defaultCountry?: string): PhoneCheck {
  const input = raw.trim();
  const country = defaultCountry?.toUpperCase() as CountryCode | undefined;
  const number = parsePhoneNumberFromString(input, country ? { defaultCountry: country } : {});
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
  };
}

/** Phone number → E.164, country, national format and line type. */
export const phoneProvider = defineProvider({
  id: 'phone',
  description: 'Parses a phone number into E.164 with its country, national format and line type',
  configSchema,
  templates: (config) => [config.input],
  async enrich({ config, render }) {
    const text = render(config.input);
    if (text.trim() === '') return { kind: 'empty' };
    return { kind: 'ok', value: checkPhone(text, config.defaultCountry) };
  },
});
