import {
  compileExpression,
  ExpressionError,
  expressionFunctions,
  expressionGlobals,
} from './compile-expression';

const identifier = /^[A-Za-z_$][\w$]*$/;
const keywords = new Set(['true', 'false', 'null', 'undefined', 'typeof', 'in', 'new', 'delete', 'void']);

/**
 * Rewrites the column reads of an expression in its source text, every form the language reads a
 * column by: `Name`, `row.Name`, `row?.Name`, `row["Name"]`, `row['Name']`, `row?.["Name"]`.
 * `rename(reference)` gives the new reference, or undefined to keep it. A new name that is not an
 * identifier is written `row["New name"]`. Strings, properties (`Company.domain`), object keys and
 * arrow parameters are left alone.
 *
 * The result is checked with the same parser that finds an expression's columns: if it does not
 * read exactly the renamed columns (a read inside a template literal, a parameter that shadows a
 * column), it throws an ExpressionError rather than return a formula that reads something else.
 * @example renameExpressionColumns('Email.split("@")', (c) => (c === 'Email' ? 'Work Email' : undefined)) // 'row["Work Email"].split("@")'
 */
export function renameExpressionColumns(
  source: string,
  rename: (reference: string) => string | undefined,
): string {
  const before = compileExpression(source).columns;
  if (!before.some((column) => rename(column) !== undefined)) return source;
  const result = rewrite(source, rename);
  const expected = new Set(before.map((column) => rename(column) ?? column));
  const after = new Set(compileExpression(result).columns);
  if (after.size !== expected.size || [...expected].some((column) => !after.has(column))) {
    throw new ExpressionError(
      `expression "${source}": cannot rewrite its column names safely (it would read ${[...after].map((c) => `"${c}"`).join(', ')}); edit it by hand`,
    );
  }
  return result;
}

/** A bare reference where the name allows it, else `row["…"]`. */
function bare(name: string): string {
  return identifier.test(name) &&
    !keywords.has(name) &&
    !expressionGlobals.has(name) &&
    !expressionFunctions.has(name)
    ? name
    : `row[${JSON.stringify(name)}]`;
}

function rewrite(source: string, rename: (reference: string) => string | undefined): string {
  let out = '';
  let i = 0;
  let previous = ''; // the previous significant token: '.', '?.', '{', ',', 'name', 'value', …
  const brackets: string[] = [];
  const skipSpace = (from: number) => {
    let j = from;
    while (j < source.length && /\s/.test(source.charAt(j))) j++;
    return j;
  };
  while (i < source.length) {
    const ch = source.charAt(i);
    if (/\s/.test(ch)) {
      out += ch;
      i++;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = stringEnd(source, i);
      out += source.slice(i, end);
      previous = 'value';
      i = end;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const end = i + (/^[0-9][\w.]*/.exec(source.slice(i))?.[0].length ?? 1);
      out += source.slice(i, end);
      previous = 'value';
      i = end;
      continue;
    }
    const name = /^[A-Za-z_$][\w$]*/.exec(source.slice(i))?.[0];
    if (name !== undefined) {
      const after = i + name.length;
      const property = previous === '.' || previous === '?.';
      if (name === 'row' && !property) {
        const access = rowAccess(source, after);
        const renamed = access && rename(access.reference);
        if (access && renamed !== undefined) {
          const dot = access.optional ? '?.' : '';
          out +=
            access.form === 'dot' && identifier.test(renamed)
              ? `row${dot || '.'}${renamed}`
              : `row${dot}[${JSON.stringify(renamed)}]`;
          i = access.end;
          previous = 'value';
          continue;
        }
      }
      const next = skipSpace(after);
      const isKey =
        source.charAt(next) === ':' && brackets.at(-1) === '{' && (previous === '{' || previous === ',');
      const isParameter = source.startsWith('=>', next);
      const isHelperCall = source.charAt(next) === '(' && expressionFunctions.has(name);
      const renamed = property || isKey || isParameter || isHelperCall ? undefined : rename(name);
      out += renamed === undefined ? name : bare(renamed);
      previous = 'name';
      i = after;
      continue;
    }
    const token = source.startsWith('?.', i) && !/[0-9]/.test(source.charAt(i + 2)) ? '?.' : ch;
    if (token === '(' || token === '[' || token === '{') brackets.push(token);
    if (token === ')' || token === ']' || token === '}') brackets.pop();
    out += token;
    previous = token;
    i += token.length;
  }
  return out;
}

interface RowAccess {
  reference: string;
  form: 'dot' | 'index';
  optional: boolean;
  /** Where the access ends in the source. */
  end: number;
}

/** `.Name`, `?.Name`, `["Name"]` or `?.["Name"]` right after `row`, or undefined. */
function rowAccess(source: string, from: number): RowAccess | undefined {
  const rest = source.slice(from);
  const dot = /^\s*(\?\.|\.)\s*([A-Za-z_$][\w$]*)/.exec(rest);
  if (dot) {
    return {
      reference: dot[2] as string,
      form: 'dot',
      optional: dot[1] === '?.',
      end: from + dot[0].length,
    };
  }
  const open = /^\s*(\?\.)?\s*\[\s*/.exec(rest);
  if (!open) return undefined;
  const start = from + open[0].length;
  const quote = source.charAt(start);
  if (quote !== '"' && quote !== "'") return undefined;
  const end = stringEnd(source, start);
  const close = /^\s*\]/.exec(source.slice(end));
  if (!close) return undefined;
  const reference = readString(source.slice(start, end));
  return reference === undefined
    ? undefined
    : { reference, form: 'index', optional: open[1] === '?.', end: end + close[0].length };
}

/** Index just past the string literal (or template literal) that starts at `start`. */
function stringEnd(source: string, start: number): number {
  const quote = source.charAt(start);
  let j = start + 1;
  while (j < source.length && source.charAt(j) !== quote) j += source.charAt(j) === '\\' ? 2 : 1;
  return Math.min(j + 1, source.length);
}

/** The value of a quoted string literal, or undefined for one JSON cannot read. */
function readString(literal: string): string | undefined {
  const body = literal.slice(1, -1);
  const json = literal.startsWith("'") ? `"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"` : literal;
  try {
    return JSON.parse(json) as string;
  } catch {
    return undefined;
  }
}
