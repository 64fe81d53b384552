import type { AST } from 'subscript/justin';

/**
 * Operators an expression may use. Everything else the parser knows is refused before anything
 * runs: assignment (`=`, `+=`, `++`) could write into the row, `new`/`delete` reach constructors
 * and mutate objects. Arrows stay (`Tags.some(t => t == "vip")`); without assignment they cannot
 * name themselves, so they cannot recurse.
 */
const allowed = new Set([
  ...['+', '-', '*', '/', '%', '**'],
  ...['==', '!=', '===', '!==', '<', '<=', '>', '>='],
  ...['!', '&&', '||', '??', '?', 'typeof', 'in'],
  ...['.', '?.', '[]', '?.[]', '()', '{}', ':', ',', '`', '=>', '...'],
]);

const names: Record<string, string> = {
  '=': 'assignment',
  '++': 'increment',
  '--': 'decrement',
  new: '"new"',
  delete: '"delete"',
};

export interface SyntaxFacts {
  /** Column names the expression reads: bare identifiers and `row["Name"]` / `row.Name`. */
  columns: string[];
  /**
   * Whether it may read any column: `row` used other than as `row["Name"]` / `row.Name` (`row[key]`,
   * `"Email" in row`, `{...row}`), so `columns` is not all it reads.
   */
  wholeRow: boolean;
}

/**
 * Walks a parsed expression, refusing operators outside the allowed set and collecting column names.
 * `globals` are never columns; `functions` are helpers when called (`lower(x)`), columns when bare.
 */
export function checkSyntax(
  ast: AST,
  globals: ReadonlySet<string>,
  functions: ReadonlySet<string> = new Set(),
): SyntaxFacts {
  const columns = new Set<string>();
  let wholeRow = false;
  const visit = (node: AST | undefined, bound: ReadonlySet<string>): void => {
    if (node === undefined || node === null) return;
    if (typeof node === 'string') {
      if (bound.has(node)) return;
      if (!globals.has(node)) columns.add(node);
      else if (node === 'row') wholeRow = true;
      return;
    }
    const [op, ...args] = node;
    if (op === undefined) return; // a literal: [, value]
    if (!allowed.has(op)) {
      throw new Error(
        `${names[op] ?? (op.endsWith('=') ? 'assignment' : `"${op}"`)} is not allowed in an expression`,
      );
    }
    if (op === '()' && typeof args[0] === 'string' && functions.has(args[0]) && !bound.has(args[0])) {
      visit(args[1], bound); // a helper called by name; the same name bare is a column
      return;
    }
    if ((op === '[]' || op === '?.[]') && args[0] === 'row' && isStringLiteral(args[1])) {
      columns.add((args[1] as [undefined, string])[1]);
      return;
    }
    if (op === '.' || op === '?.') {
      if (args[0] === 'row' && typeof args[1] === 'string') columns.add(args[1]);
      else visit(args[0], bound); // args[1] is a property name, not a column
      return;
    }
    if (op === ':')
      visit(args[1], bound); // args[0] is an object key
    else if (op === '=>') visit(args[1], new Set([...bound, ...parameterNames(args[0])]));
    else for (const arg of args) visit(arg, bound);
  };
  visit(ast, new Set());
  return { columns: [...columns], wholeRow };
}

function isStringLiteral(node: AST | undefined): boolean {
  return Array.isArray(node) && node[0] === undefined && typeof node[1] === 'string';
}

function parameterNames(node: AST | undefined): string[] {
  if (typeof node === 'string') return [node];
  if (!Array.isArray(node)) return [];
  return node.slice(1).flatMap((child) => parameterNames(child as AST));
}
