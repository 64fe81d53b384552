import type { AnyProvider } from '@glaze/core';
import { columnReads, type StoredColumn } from './column-reads';

/**
 * Enrichment columns in an order where every column comes after the columns it reads, ties kept
 * in table order: the order "run all columns" starts them in, so each run's cells find their
 * upstream cells already queued and wait for them. Cycles are refused when a column is saved; a
 * column left in one anyway (a config its provider no longer reads) goes last.
 * @example dependencyOrder(providers, [summary, company]) // [company, summary] when Summary reads {{Company}}
 */
export function dependencyOrder<C extends StoredColumn>(
  providers: ReadonlyMap<string, AnyProvider>,
  columns: readonly C[],
): C[] {
  const names = columns.map((c) => c.name);
  const reads = new Map(
    columns.map((c) => [c.name, columnReads(providers, c, names).filter((name) => name !== c.name)]),
  );
  const placed = new Set<string>();
  const order: C[] = [];
  let left = [...columns];
  while (left.length > 0) {
    const ready = left.filter((c) => (reads.get(c.name) ?? []).every((name) => placed.has(name)));
    const next = ready.length > 0 ? ready : left; // only a cycle leaves nothing ready
    for (const column of next) {
      order.push(column);
      placed.add(column.name);
    }
    left = left.filter((c) => !placed.has(c.name));
  }
  return order;
}
