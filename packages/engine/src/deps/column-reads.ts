import { type AnyProvider, templateColumns } from '@glaze/core';
import { compileExpression } from '@glaze/providers';
import { readRunOptions, withoutRunOptions } from './run-options';

export interface StoredColumn {
  id: number;
  name: string;
  provider: string | null;
  config: unknown;
}

/**
 * Which of `candidates` (column names) a column reads: its templates (`{{Company}}`,
 * `{{Company.domain}}`) and its runIf expression. A reference matches the longest column name it
 * starts with, so `{{Company.domain}}` reads "Company" (or "Company.domain" if that is a column).
 * A config its provider no longer accepts reads nothing.
 */
export function columnReads(
  providers: ReadonlyMap<string, AnyProvider>,
  column: Pick<StoredColumn, 'provider' | 'config'>,
  candidates: readonly string[],
): string[] {
  const references: string[] = [];
  const provider = column.provider ? providers.get(column.provider) : undefined;
  const raw = (column.config ?? {}) as Record<string, unknown>;
  if (provider) {
    const parsed = provider.configSchema.safeParse(withoutRunOptions(raw));
    if (parsed.success) references.push(...templateColumns(provider.templates(parsed.data)));
  }
  const { runIf } = readRunOptions(raw);
  if (runIf !== undefined) {
    try {
      references.push(...compileExpression(runIf).columns);
    } catch {
      // validated at save; an expression the language no longer accepts reads nothing
    }
  }
  const byLength = longestFirst(candidates);
  const reads = new Set<string>();
  for (const reference of references) {
    const match = resolveReference(reference, byLength);
    if (match !== undefined) reads.add(match);
  }
  return [...reads];
}

/** Column names, longest first, as `resolveReference` takes them. */
export function longestFirst(names: readonly string[]): string[] {
  return [...names].sort((a, b) => b.length - a.length);
}

/**
 * The column a reference (`Company`, `Company.domain`) reads: the longest name it equals or
 * starts with followed by a dot. Dependency detection and rename both resolve through it, so they
 * cannot disagree about which column a reference names.
 */
export function resolveReference(
  reference: string,
  namesLongestFirst: readonly string[],
): string | undefined {
  return namesLongestFirst.find((name) => reference === name || reference.startsWith(`${name}.`));
}

export interface ColumnDependencies {
  /** Enrichment columns this column reads: a row's cell waits while theirs is queued or running. */
  upstream: number[];
  /** Enrichment columns with autoRun that read this one: queued for a row when it finishes there. */
  autoRunDownstream: number[];
}

/** Upstream and auto-run downstream columns of one enrichment column among the table's enrichment columns. */
export function columnDependencies(
  providers: ReadonlyMap<string, AnyProvider>,
  columnId: number,
  enrichments: readonly StoredColumn[],
): ColumnDependencies {
  const names = enrichments.map((c) => c.name);
  const self = enrichments.find((c) => c.id === columnId);
  if (!self) return { upstream: [], autoRunDownstream: [] };
  const reads = new Set(columnReads(providers, self, names));
  const upstream = enrichments.filter((c) => c.id !== columnId && reads.has(c.name)).map((c) => c.id);
  const autoRunDownstream = enrichments
    .filter(
      (c) =>
        c.id !== columnId &&
        readRunOptions(c.config).autoRun === true &&
        columnReads(providers, c, names).includes(self.name),
    )
    .map((c) => c.id);
  return { upstream, autoRunDownstream };
}
