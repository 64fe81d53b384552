interface Core {
  first: string | null;
  middle: string | null;
  last: string | null;
}

const join = (words: string[]) => (words.length > 0 ? words.join(' ') : null);

/**
 * Family name first (Nguyễn Văn A, Wang Xiaoming, Kovács János): the first word is the family
 * name, the last word the given name used to greet, any words between are middle names.
 */
export function splitFamilyFirst(words: string[]): Core {
  if (words.length === 1) return { first: words[0] ?? null, middle: null, last: null };
  return { last: words[0] ?? null, middle: join(words.slice(1, -1)), first: words.at(-1) ?? null };
}

// Chinese two-character surnames (复姓) and Korean two-syllable ones: the rest are one character.
const compoundSurnames = new Set([
  ...['欧阳', '歐陽', '司马', '司馬', '上官', '诸葛', '諸葛', '东方', '東方', '皇甫', '尉迟', '尉遲'],
  ...['公孙', '公孫', '慕容', '令狐', '夏侯', '长孙', '長孫', '宇文', '司徒', '澹台', '轩辕', '軒轅'],
  ...['남궁', '선우', '제갈', '황보', '독고', '사공', '서문', '동방'],
]);
const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * A name written without spaces (王小明, 김민준): the family name is the first character, or the
 * first two when they are a listed compound surname. Japanese names (kana, or country JP) are not
 * split: their family names are one to three characters and nothing in the text says which.
 */
export function splitUnspaced(name: string, country: string): Core {
  const chars = [...name];
  if (kana.test(name) || country.trim().toUpperCase() === 'JP' || chars.length < 2) {
    return { first: name, middle: null, last: null };
  }
  const cut = chars.length > 2 && compoundSurnames.has(chars.slice(0, 2).join('')) ? 2 : 1;
  return { last: chars.slice(0, cut).join(''), middle: null, first: chars.slice(cut).join('') };
}

// A particle belongs to the surname (or given name) that follows it: "de la Vega", "y García".
const particles = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'e', 'da', 'das', 'do', 'dos', 'di']);
// Compound given names common enough that "Juan Carlos Pérez" is one given name and one surname.
const compoundGiven = new Set([
  ...['josé maría', 'maría josé', 'juan carlos', 'juan pablo', 'juan josé', 'josé luis', 'josé antonio'],
  ...['josé manuel', 'ana maría', 'maría luisa', 'maría elena', 'maría teresa', 'miguel ángel'],
  ...['luis miguel', 'francisco javier', 'maría fernanda', 'ana paula', 'joão pedro', 'maria eduarda'],
]);

/**
 * Given names then two surnames (José María García López): words are grouped with the particles
 * before them (`de la Vega` is one), the last two groups are the surnames. With three groups whose
 * first two are a listed compound given name (`Juan Carlos Pérez`), only the last is a surname.
 */
export function splitSpanish(words: string[]): Core {
  const groups: string[][] = [];
  let pending: string[] = [];
  for (const word of words) {
    pending.push(word);
    if (!particles.has(word.toLowerCase())) {
      groups.push(pending);
      pending = [];
    }
  }
  if (pending.length > 0) groups.push(pending);
  const names = groups.map((group) => group.join(' '));
  if (names.length === 1) return { first: names[0] ?? null, middle: null, last: null };
  if (names.length === 2) return { first: names[0] ?? null, middle: null, last: names[1] ?? null };
  const compound = names.length === 3 && compoundGiven.has(`${names[0]} ${names[1]}`.toLowerCase());
  const surnames = compound ? 1 : 2;
  return {
    first: names[0] ?? null,
    middle: join(names.slice(1, -surnames)),
    last: join(names.slice(-surnames)),
  };
}
