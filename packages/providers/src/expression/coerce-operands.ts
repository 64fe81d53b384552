import type { AST } from 'subscript/justin';

/**
 * Input coercion for the expression language. Cells hold text ("12000"), so `+` would join
 * instead of add. Where a column read is an operand of arithmetic or of `<` `<=` `>` `>=`, its
 * value is read as a number when it looks like one, and a blank (`''`, spaces, a missing column)
 * is null. Null propagates: any arithmetic or ordering with a null operand is null (an empty
 * cell, a false runIf), except `+` with text on the other side, which joins as if blank were ''.
 * Anywhere else (`Email.split("@")`, `text(Zip)`) a column keeps its text.
 */
const binary = new Set(['+', '-', '*', '/', '%', '**', '<', '<=', '>', '>=']);
const unary = new Set(['-', '+']);

/** The name the rewritten tree calls; `#` cannot be typed in an expression, so no one can shadow it. */
export const operateName = '#operate';

/** Rewrites arithmetic and ordering nodes into calls of `operate`, marking column operands. */
export function coerceOperands(ast: AST, columns: ReadonlySet<string>): AST {
  const isColumn = (node: AST, bound: ReadonlySet<string>): boolean => {
    if (typeof node === 'string') return columns.has(node) && !bound.has(node);
    if (!Array.isArray(node)) return false;
    const [op, target, key] = node;
    if (target !== 'row' || bound.has('row')) return false;
    return (
      op === '.' ||
      op === '?.' ||
      ((op === '[]' || op === '?.[]') && Array.isArray(key) && key[0] === undefined)
    );
  };
  const operand = (node: AST, bound: ReadonlySet<string>): AST => {
    const rewritten = visit(node, bound);
    return isColumn(node, bound) ? ['()', operateName, [',', [undefined, 'input'], rewritten]] : rewritten;
  };
  const visit = (node: AST, bound: ReadonlySet<string>): AST => {
    if (!Array.isArray(node) || node[0] === undefined || node[0] === null) return node;
    const [op, ...args] = node as [string, ...AST[]];
    if (op === '=>')
      return [op, args[0] as AST, visit(args[1] as AST, new Set([...bound, ...names(args[0])]))];
    if (op === '.' || op === '?.') return [op, visit(args[0] as AST, bound), args[1] as AST];
    if (op === ':') return [op, args[0] as AST, visit(args[1] as AST, bound)];
    if (args.length === 2 && binary.has(op)) {
      return [
        '()',
        operateName,
        [',', [undefined, op], operand(args[0] as AST, bound), operand(args[1] as AST, bound)],
      ];
    }
    if (args.length === 1 && unary.has(op)) {
      return ['()', operateName, [',', [undefined, `unary${op}`], operand(args[0] as AST, bound)]];
    }
    return [op, ...args.map((arg) => visit(arg, bound))] as AST;
  };
  return visit(ast, new Set());
}

function names(node: AST | undefined): string[] {
  if (typeof node === 'string') return [node];
  if (!Array.isArray(node)) return [];
  return node.slice(1).flatMap((child) => names(child as AST));
}

const numeric = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?\s*$/i;
const grouped = /^\s*[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?\s*$/;

const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** A column value as an operand: numeric-looking text → number, blank → null, anything else as is. */
function input(value: unknown): unknown {
  if (isBlank(value)) return null;
  return typeof value === 'string' && numeric.test(value) ? Number(value) : value;
}

/** Carries out one operator of the rewritten tree with the null rules above. */
export function operate(op: string, a: unknown, b?: unknown): unknown {
  if (op === 'input') return input(a);
  if (op === 'unary-') return a === null || a === undefined ? null : -(a as number);
  if (op === 'unary+') return a === null || a === undefined ? null : +(a as number);
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) {
    if (op === '+' && typeof a === 'string') return a;
    if (op === '+' && typeof b === 'string') return b;
    return null;
  }
  const [x, y] = [a as number, b as number];
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '%':
      return x % y;
    case '**':
      return x ** y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

/**
 * `num(x)`: a number, or null for a blank; text with thousands separators (`12,000.50`) reads too.
 * Throws for text that is not a number, so a typo does not become 0.
 * @example num(" 12,000 ") // 12000
 */
export function num(value: unknown): number | null {
  if (isBlank(value)) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && numeric.test(value)) return Number(value);
  if (typeof value === 'string' && grouped.test(value)) return Number(value.replace(/,/g, ''));
  throw new Error(`num(${JSON.stringify(value)}): not a number`);
}

/** `text(x)`: text, for joining digits (`text(Zip) + text(Suffix)`); null and missing → ''. */
export function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
