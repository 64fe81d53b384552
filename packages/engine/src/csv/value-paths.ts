/** A field an enrichment value fills: `''` for a scalar, `.a.b` for an object's leaf, and where it sits. */
export interface ValuePath {
  path: string;
  /** 1-based positions of the keys on the way, in jsonb's key order (shorter keys first, then bytewise). */
  ord: number[];
}

/**
 * The export fields a done value fills, as migration 021's SQL walk finds them: objects are walked,
 * every other value (arrays included) is a leaf; null and `""` leaves and empty objects fill nothing.
 * @example valuePaths({ valid: true, domain: 'x.com' }) // [{ path: '.valid', ord: [1] }, { path: '.domain', ord: [2] }]
 */
export function valuePaths(
  value: unknown,
  path = '',
  ord: number[] = [],
  out: ValuePath[] = [],
): ValuePath[] {
  if (value === null || value === undefined || value === '') return out;
  if (typeof value !== 'object' || Array.isArray(value)) {
    out.push({ path, ord });
    return out;
  }
  const keys = Object.keys(value).sort(jsonbKeyOrder);
  keys.forEach((key, i) => {
    valuePaths((value as Record<string, unknown>)[key], `${path}.${key}`, [...ord, i + 1], out);
  });
  return out;
}

/** jsonb stores an object's keys shortest first, equal lengths bytewise (UTF-8): `jsonb_each` lists them so. */
function jsonbKeyOrder(a: string, b: string): number {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length - bb.length || Buffer.compare(ab, bb);
}

/** Orders key positions as Postgres orders bigint[]: element by element, a prefix first. */
export function compareOrd(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++)
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}
