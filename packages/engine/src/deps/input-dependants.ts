import type { AnyProvider, Column } from '@glaze/core';
import { columnReads } from './column-reads';

/** An enrichment column whose cells go stale when an input column changes. */
export interface InputDependant {
  inputId: number;
  columnId: number;
}

/**
 * For each input column, the enrichment and formula columns whose results depend on it: those that
 * read it (`{{Email}}`, runIf), and, transitively, those that read one of them. Pairs, for an
 * `unnest` in SQL.
 * @example inputDependants(providers, columns) // [{ inputId: 3, columnId: 7 }, { inputId: 3, columnId: 9 }]
 */
export function inputDependants(
  providers: ReadonlyMap<string, AnyProvider>,
  columns: readonly Column[],
): InputDependant[] {
  const names = columns.map((c) => c.name);
  const byName = new Map(columns.map((c) => [c.name, c]));
  const readers = new Map<number, number[]>();
  for (const column of columns) {
    if (column.kind === 'input') continue;
    for (const name of columnReads(providers, column, names)) {
      const read = byName.get(name);
      if (read) readers.set(read.id, [...(readers.get(read.id) ?? []), column.id]);
    }
  }
  const pairs: InputDependant[] = [];
  for (const input of columns.filter((c) => c.kind === 'input')) {
    const seen = new Set<number>();
    const queue = [...(readers.get(input.id) ?? [])];
    while (queue.length > 0) {
      const id = queue.pop() as number;
      if (seen.has(id)) continue;
      seen.add(id);
      pairs.push({ inputId: input.id, columnId: id });
      queue.push(...(readers.get(id) ?? []));
    }
  }
  return pairs;
}
