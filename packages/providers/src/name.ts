import { defineProvider, displayNameParts } from '@glaze/core';
import { parseFullName } from 'parse-full-name';
import { z } from 'zod';
import { type NameOrder, orderForCountry, orderFromScript } from './support/name-order';
import { splitFamilyFirst, splitSpanish, splitUnspaced } from './support/split-name-order';

const configSchema = z.object({
  input: z.string().default('{{name}}').describe('Template for the full name to split'),
  nameOrder: z
    .enum(['auto', 'given-first', 'family-first', 'spanish'])
    .default('auto')
    .describe(
      'How the name is written: given-first (Ada Lovelace), family-first (Nguyễn Văn A, 王小明), spanish (given names then two surnames: José María García López), or auto: from country, else from the script',
    ),
  country: z
    .string()
    .default('')
    .describe(
      'Template for the ISO 3166 country code of the person (e.g. {{Country}}); with auto, it picks the order',
    ),
});

export interface NameParts {
  prefix: string | null;
  first: string | null;
  middle: string | null;
  last: string | null;
  suffix: string | null;
  nickname: string | null;
  /** The order the name was read in (what `auto` decided). */
  order: Exclude<NameOrder, 'auto'>;
}

/**
 * Splits a full name. Titles (Dr., Prof.), suffixes (Jr., III, PhD), `Last, First`, nicknames in
 * quotes and particles (van der, de la) come from `parse-full-name`; the order of the rest follows
 * `order` (docs/PROVIDERS.md has the rules). Case is kept as written: `McDonald`, `van der Berg`,
 * `mcdonald` stay so.
 * @example splitName('José María García López', 'spanish') // { first: 'José', middle: 'María', last: 'García López', … }
 * @example splitName('Nguyễn Văn A') // { first: 'A', middle: 'Văn', last: 'Nguyễn', order: 'family-first', … }
 */
export function splitName(raw: string, order: NameOrder = 'auto', country = ''): NameParts {
  const text = raw.trim().replace(/\s+/g, ' ');
  const parsed = parseFullName(text, 'all', 0, 0, 0);
  const part = (value: string | undefined) => (value ? value : null);
  const decided = order !== 'auto' ? order : (orderForCountry(country) ?? orderFromScript(text));
  const words = [parsed.first, parsed.middle, parsed.last].filter(Boolean).join(' ').split(' ');
  let core: { first: string | null; middle: string | null; last: string | null };
  // `Last, First` says which part is the family name, whatever the culture.
  if (text.includes(',') || decided === 'given-first' || words[0] === '') {
    core = { first: part(parsed.first), middle: part(parsed.middle), last: part(parsed.last) };
    // The library files a lone name ("Cher") as a last name; in a lead list it is the name to greet.
    if (core.first === null && core.middle === null) core = { first: core.last, middle: null, last: null };
  } else if (decided === 'spanish') core = splitSpanish(words);
  else if (words.length === 1) core = splitUnspaced(words[0] as string, country);
  else core = splitFamilyFirst(words);
  return {
    prefix: part(parsed.title),
    ...core,
    suffix: part(parsed.suffix),
    nickname: part(parsed.nick),
    order: decided,
  };
}

/** Full name → prefix, first, middle, last, suffix, nickname. */
export const nameProvider = defineProvider({
  id: 'name',
  group: 'transform',
  description: 'Splits a full name into prefix, first, middle, last and suffix',
  configSchema,
  display: displayNameParts,
  templates: (config) => (config.country ? [config.input, config.country] : [config.input]),
  async enrich({ config, render }) {
    const text = render(config.input);
    if (text.trim() === '') return { kind: 'empty' };
    const country = config.country ? render(config.country) : '';
    return { kind: 'ok', value: { ...splitName(text, config.nameOrder, country) } };
  },
});
