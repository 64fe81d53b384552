import { text } from './coerce-operands';

/**
 * Text helpers of the expression language. Each takes what a cell holds (text, a number, a blank,
 * a JSON value) and never throws on a blank: a formula over a CSV with empty cells gives '' for
 * those rows, not an error.
 */

const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** `lower(x)`: lower-cased text; '' for a blank. */
export const lower = (value: unknown): string => text(value).toLowerCase();

/** `upper(x)`: upper-cased text; '' for a blank. */
export const upper = (value: unknown): string => text(value).toUpperCase();

/** `trim(x)`: text without leading and trailing spaces; '' for a blank. */
export const trim = (value: unknown): string => text(value).trim();

/** `len(x)`: the length of text or a list; 0 for a blank. */
export const len = (value: unknown): number => (Array.isArray(value) ? value.length : text(value).length);

/**
 * `domain(x)`: the domain of an email address or a URL, lower-cased, without `www.`; '' when there is none.
 * @example domain("Ada@Acme.IO") // "acme.io"; domain("https://www.acme.io/about") // "acme.io"
 */
export function domain(value: unknown): string {
  const raw = text(value).trim().toLowerCase();
  if (raw === '') return '';
  const at = raw.lastIndexOf('@');
  if (at >= 0 && !raw.includes('/')) return raw.slice(at + 1);
  const host = raw
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^[^/?#]*@/, '')
    .split(/[/?#]/)[0]
    ?.replace(/:\d*$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  return host ?? '';
}

/**
 * `split(x, sep, index?)`: the parts of text (a list), or the part at `index` ('' when there is
 * none; a negative index counts from the end). A blank splits into no parts.
 * @example split("Ada Lovelace", " ", 0) // "Ada"; split("a,b", ",") // ["a", "b"]
 */
export function split(value: unknown, separator: unknown = ',', index?: unknown): string[] | string {
  const parts = isBlank(value) ? [] : text(value).split(text(separator));
  if (index === undefined) return parts;
  const at = Number(index);
  return parts.at(at < 0 ? at : Math.trunc(at)) ?? '';
}

/** `join(list, sep?)`: the non-blank items of a list as text, `", "` between them by default. */
export function join(value: unknown, separator: unknown = ', '): string {
  const items = Array.isArray(value) ? value : [value];
  return items
    .filter((item) => !isBlank(item))
    .map(text)
    .join(text(separator));
}

/** `coalesce(a, b, …)`: the first argument that is not blank (null, missing or only spaces); '' if all are. */
export function coalesce(...values: unknown[]): unknown {
  return values.find((value) => !isBlank(value)) ?? '';
}

export const textHelpers = { lower, upper, trim, len, domain, split, join, coalesce };
