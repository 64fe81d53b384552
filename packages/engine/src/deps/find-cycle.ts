/** A column and the names of the columns it reads. */
export interface ColumnReads {
  name: string;
  reads: readonly string[];
}

/**
 * The first dependency cycle among columns, as names from the first column back to itself
 * (`["A", "B", "A"]`), or undefined. Columns are searched in order, so put the column being saved
 * first to get the cycle it closes. Reads of unknown names are ignored. Pure.
 * @example findCycle([{ name: 'A', reads: ['B'] }, { name: 'B', reads: ['A'] }]) // ['A', 'B', 'A']
 */
export function findCycle(columns: readonly ColumnReads[]): string[] | undefined {
  const edges = new Map<string, readonly string[]>();
  for (const column of columns) if (!edges.has(column.name)) edges.set(column.name, column.reads);
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();

  // Iterative depth-first search: a table of thousands of columns must not overflow the stack.
  for (const start of edges.keys()) {
    if (done.has(start)) continue;
    const stack: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
    path.push(start);
    onPath.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { name: string; next: number };
      const reads = edges.get(top.name) ?? [];
      if (top.next >= reads.length) {
        stack.pop();
        path.pop();
        onPath.delete(top.name);
        done.add(top.name);
        continue;
      }
      const next = reads[top.next++] as string;
      if (!edges.has(next) || done.has(next)) continue;
      if (onPath.has(next)) return [...path.slice(path.indexOf(next)), next];
      stack.push({ name: next, next: 0 });
      path.push(next);
      onPath.add(next);
    }
  }
  return undefined;
}

/** `column "A" → "B" → "A" forms a cycle` */
export function describeCycle(cycle: readonly string[]): string {
  return `column ${cycle.map((name) => `"${name}"`).join(' → ')} forms a cycle`;
}
