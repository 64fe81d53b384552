import { defineProvider } from '@glaze/core';
import { parseFullName } from 'parse-full-name';
import { z } from 'zod';

const configSchema = z.object({
  input: z.string().default('{{name}}').describe('Template for the full name to split'),
});

export interface NameParts {
  prefix: string | null;
  first: string | null;
  middle: string | null;
  last: string | null;
  suffix: string | null;
  nickname: string | null;
}

/**
 * Splits a full name with `parse-full-name`, which knows titles (Dr., Prof.), suffixes (Jr., III,
 * PhD), `Last, First` order, nicknames in quotes and particles (van der, de la). Case is fixed only
 * when the input is all upper or all lower case (`JOHN SMITH` → `John Smith`).
 * @example splitName('Dr. Ada King Lovelace Jr.') // { prefix: 'Dr.', first: 'Ada', middle: 'King', last: 'Lovelace', suffix: 'Jr.' }
 */
export function splitName(raw: string): NameParts {
  const parsed = parseFullName(raw.trim().replace(/\s+/g, ' '), 'all', -1, 0, 0);
  const part = (text: string | undefined) => (text ? text : null);
  const parts: NameParts = {
    prefix: part(parsed.title),
    first: part(parsed.first),
    middle: part(parsed.middle),
    last: part(parsed.last),
    suffix: part(parsed.suffix),
    nickname: part(parsed.nick),
  };
  // The library files a lone name ("Cher") as a last name; in a lead list it is the name to greet.
  if (parts.first === null && parts.middle === null && parts.last !== null) {
    return { ...parts, first: parts.last, last: null };
  }
  return parts;
}

/** Full name → prefix, first, middle, last, suffix, nickname. */
export const nameProvider = defineProvider({
  id: 'name',
  description: 'Splits a full name into prefix, first, middle, last and suffix',
  configSchema,
  templates: (config) => [config.input],
  async enrich({ config, render }) {
    const text = render(config.input);
    if (text.trim() === '') return { kind: 'empty' };
    return { kind: 'ok', value: { ...splitName(text) } };
  },
});
