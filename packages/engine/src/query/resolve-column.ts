import { AppError, type ColumnRef, quoteInput } from '@glaze/core';

export interface QueryColumn {
  id: number;
  name: string;
  kind: 'input' | 'enrichment' | 'formula';
}

/** A column a query refers to, by id; `path` is set only for enrichment values. */
export type ResolvedColumn =
  | { kind: 'input'; id: number }
  | { kind: 'cell'; id: number; path: readonly string[] };

/**
 * Finds the column a query names: an id, a name, or an enrichment column's name followed by a dotted
 * path into its value (`Email check.valid`; the longest column name that matches wins).
 */
export function resolveColumn(
  columns: readonly QueryColumn[],
  ref: ColumnRef,
  path: readonly string[] | undefined,
  field: string,
): ResolvedColumn {
  let column: QueryColumn | undefined;
  let fullPath = path ?? [];
  if (typeof ref === 'number') {
    column = columns.find((c) => c.id === ref);
    if (!column)
      throw new AppError('validation_failed', `no column with id ${ref} in this table`, `${field}.column`);
  } else {
    column = columns.find((c) => c.name === ref);
    if (!column) {
      const prefix = columns
        .filter((c) => c.kind !== 'input' && ref.startsWith(`${c.name}.`))
        .sort((a, b) => b.name.length - a.name.length)[0];
      if (prefix) {
        column = prefix;
        fullPath = [...ref.slice(prefix.name.length + 1).split('.'), ...fullPath];
      }
    }
    if (!column)
      throw new AppError(
        'validation_failed',
        `no column ${quoteInput(ref)} in this table`,
        `${field}.column`,
      );
  }
  if (column.kind === 'input') {
    if (fullPath.length > 0)
      throw new AppError(
        'validation_failed',
        `${quoteInput(column.name)} is an input column: its values have no path`,
        `${field}.path`,
      );
    return { kind: 'input', id: column.id };
  }
  const bad = fullPath.find((part) => !/^[A-Za-z0-9_ -]{1,64}$/.test(part));
  if (bad !== undefined || fullPath.length > 8)
    throw new AppError(
      'validation_failed',
      'a value path has at most 8 parts of letters, digits, spaces, "_" or "-"',
      `${field}.path`,
    );
  return { kind: 'cell', id: column.id, path: fullPath };
}
