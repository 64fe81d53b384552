import { type AST, compile, parse } from 'subscript/justin';
import { checkSyntax } from './check-syntax';
import { coerceOperands, num, operate, operateName, text } from './coerce-operands';
import { textHelpers } from './text-helpers';

/**
 * The expression language of `formula` columns and `runIf` conditions: JavaScript expression
 * syntax (the "justin" preset of the `subscript` library), evaluated by walking a syntax tree:
 * no eval, no Function, no globals. Columns are read by name (`Score * 2`); names with spaces
 * or symbols through `row`: `row["First Name"]`; a blank or missing column reads as `""`. Helpers: Math,
 * Number, String, isEmpty(x), num(x), text(x) and the text helpers (lower, upper, trim, len, domain,
 * split, join, coalesce). Column values in arithmetic are read as numbers when they look like one
 * (`coerceOperands`).
 * @example compileExpression('row["Deal Size"] > 10000 && Country == "DE"').evaluate(row) // true
 */
export interface CompiledExpression {
  source: string;
  /** Columns it reads, for dependency tracking. */
  columns: string[];
  /** It may read columns besides `columns` (`row[key]`, `"Email" in row`): give it the whole row. */
  readsWholeRow: boolean;
  /** Evaluates against a row; throws an ExpressionError when evaluation fails. */
  evaluate(row: Readonly<Record<string, unknown>>): unknown;
}

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

const isEmpty = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

// Capabilities given to every expression. Nothing here reaches the process, the file system or
// a constructor (subscript blocks `constructor`, `prototype` and `__*` property access).
const objects = { Math, Number, String };
// Helpers are called by name: `domain(Email)` is the helper even in a table with a column named
// "domain", and a bare `domain` is that column. Calls are bound to `#name`, which no one can type.
const functions: Record<string, (...args: never[]) => unknown> = { isEmpty, num, text, ...textHelpers };
/** Helper functions of the language, by the name an expression calls them with. */
export const expressionFunctions: ReadonlySet<string> = new Set(Object.keys(functions));
/** Names that are never columns: `Math`, `Number`, `String`, `row` and the literals. */
export const expressionGlobals: ReadonlySet<string> = new Set([
  ...Object.keys(objects),
  'row',
  'true',
  'false',
  'null',
  'undefined',
]);
const boundFunctions = Object.fromEntries(Object.entries(functions).map(([name, fn]) => [`#${name}`, fn]));

/** Parses and checks an expression once; throws an ExpressionError naming the problem and where. */
export function compileExpression(source: string): CompiledExpression {
  if (source.trim() === '') throw new ExpressionError('expression is empty');
  let ast: ReturnType<typeof parse>;
  try {
    ast = parse(source);
  } catch (error) {
    // subscript's message is "Unexpected token at 1:7\n<source with a mark>": keep the first line.
    const first = (error as Error).message.split('\n')[0];
    throw new ExpressionError(`expression "${source}": ${first?.toLowerCase()}`);
  }
  let columns: string[];
  let wholeRow: boolean;
  try {
    ({ columns, wholeRow } = checkSyntax(ast, expressionGlobals, expressionFunctions));
  } catch (error) {
    throw new ExpressionError(`expression "${source}": ${(error as Error).message}`);
  }
  const run = compile(bindCalls(coerceOperands(ast, new Set(columns))));
  return {
    source,
    columns,
    readsWholeRow: wholeRow,
    evaluate(row) {
      // A copy: array methods such as sort() mutate, and the row is shared with other cells.
      const values = structuredClone(row) as Record<string, unknown>;
      // A blank CSV field or a column with no value yet reads as "", so `Email.split("@")` and
      // `row["Work Email"].toLowerCase()` give "" for those rows instead of failing on undefined.
      for (const column of columns)
        if (values[column] === undefined || values[column] === null) values[column] = '';
      const context = Object.assign(Object.create(null) as Record<string, unknown>, objects, values, {
        ...boundFunctions,
        row: values,
        [operateName]: operate,
      });
      try {
        return run(context);
      } catch (error) {
        throw new ExpressionError(`expression "${source}": ${(error as Error).message}`);
      }
    },
  };
}

/** Points every call of a helper by name (`lower(x)`) at its bound name (`#lower`). */
function bindCalls(node: AST): AST {
  if (!Array.isArray(node) || node[0] === undefined || node[0] === null) return node;
  const [op, ...args] = node as [string, ...AST[]];
  const [callee, ...rest] = args;
  if (op === '()' && typeof callee === 'string' && expressionFunctions.has(callee))
    return [op, `#${callee}`, ...rest.map(bindCalls)] as AST;
  return [op, ...args.map(bindCalls)] as AST;
}

const compiled = new Map<string, CompiledExpression>();

/**
 * Evaluates an expression against a row, compiling it once per process (runIf conditions are
 * evaluated per cell; parsing each time would dominate).
 * @example evaluateExpression('isEmpty(Email)', { Email: '' }) // true
 */
export function evaluateExpression(source: string, row: Readonly<Record<string, unknown>>): unknown {
  let expression = compiled.get(source);
  if (!expression) {
    expression = compileExpression(source);
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(source, expression);
  }
  return expression.evaluate(row);
}
