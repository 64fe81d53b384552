export type NameOrder = 'auto' | 'given-first' | 'family-first' | 'spanish';

// Where the family name is written first, in the person's own usage.
const familyFirst = new Set(['CN', 'TW', 'HK', 'MO', 'JP', 'KR', 'KP', 'VN', 'HU', 'KH']);
// Given names then two surnames (paternal, maternal; in Portuguese usage maternal, paternal).
const twoSurnames = new Set([
  ...['ES', 'MX', 'AR', 'CO', 'CL', 'PE', 'VE', 'EC', 'GT', 'CU', 'BO', 'DO', 'HN', 'PY'],
  ...['SV', 'NI', 'CR', 'PA', 'UY', 'PR', 'GQ', 'PT', 'BR', 'AO', 'MZ'],
]);

/** The order a country's names are written in; undefined for a blank or unlisted country. */
export function orderForCountry(country: string): Exclude<NameOrder, 'auto'> | undefined {
  const code = country.trim().toUpperCase();
  if (familyFirst.has(code)) return 'family-first';
  if (twoSurnames.has(code)) return 'spanish';
  return undefined;
}

// Han, Hangul, kana: written family name first. Vietnamese letters (ă â đ ê ô ơ ư and the tone
// marks of the Latin Extended Additional block) mark a Vietnamese name, also family name first.
const eastAsian = /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const vietnamese = /[ăđơưĂĐƠƯ\u1EA0-\u1EF9]/u;

/** Without a country: family-first for East Asian scripts and Vietnamese letters, else given-first. */
export function orderFromScript(name: string): Exclude<NameOrder, 'auto'> {
  return eastAsian.test(name) || vietnamese.test(name) ? 'family-first' : 'given-first';
}
