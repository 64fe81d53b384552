import { type AnyProvider, AppError, renameTemplateColumns } from '@glaze/core';
import type { PoolClient } from '@glaze/db';
import { ExpressionError, renameExpressionColumns } from '@glaze/providers';
import { columnReads, longestFirst, resolveReference, type StoredColumn } from './column-reads';
import { withoutRunOptions } from './run-options';

type Rename = (reference: string) => string | undefined;

/**
 * Rewrites, in the caller's transaction, every column of the table that reads column `from` so it
 * reads `to`: templates (`{{from}}`, `{{from.field}}`) in any config field, formula expressions
 * (`from`, `row["from"]`, `row.from`), `runIf`, and the same inside waterfall steps. One read
 * statement and at most one write; cells are not touched, so nothing turns stale.
 * Call it before the rename itself, with the table's names as they were.
 * @example await renameReads(client, providers, { tableId, columnId, from: 'Website', to: 'Site' });
 */
export async function renameReads(
  client: PoolClient,
  providers: ReadonlyMap<string, AnyProvider>,
  rename: { tableId: number; columnId: number; from: string; to: string },
): Promise<number> {
  const { rows } = await client.query(
    `select id, name, provider, config from columns where table_id = $1 order by position`,
    [rename.tableId],
  );
  const columns = rows as StoredColumn[];
  const names = columns.map((c) => c.name);
  // Renaming onto a taken name fails on the unique index right after: nothing to rewrite.
  if (columns.some((c) => c.name === rename.to && c.id !== rename.columnId)) return 0;
  const changed: { id: number; config: Record<string, unknown> }[] = [];
  for (const column of columns) {
    if (column.id === rename.columnId || !column.provider) continue;
    const config = renamedConfig(providers, column, { ...rename, names });
    if (config) changed.push({ id: column.id, config });
  }
  if (changed.length === 0) return 0;
  await client.query(
    `update columns c set config = u.config, updated_at = now()
     from unnest($2::bigint[], $3::jsonb[]) as u(id, config)
     where c.id = u.id and c.table_id = $1`,
    [rename.tableId, changed.map((c) => c.id), changed.map((c) => JSON.stringify(c.config))],
  );
  return changed.length;
}

/**
 * `column`'s config with its reads of `from` renamed `to`, or undefined when it does not read
 * `from`. References resolve through `resolveReference`, as dependency detection does; the result
 * must read exactly the renamed columns, else the rename is refused naming the column.
 */
export function renamedConfig(
  providers: ReadonlyMap<string, AnyProvider>,
  column: StoredColumn,
  rename: { from: string; to: string; names: readonly string[] },
): Record<string, unknown> | undefined {
  const { from, to, names } = rename;
  const before = columnReads(providers, column, names);
  if (!before.includes(from)) return undefined;
  const byLength = longestFirst(names);
  const renameRef: Rename = (reference) =>
    resolveReference(reference, byLength) === from ? to + reference.slice(from.length) : undefined;
  const raw = (column.config ?? {}) as Record<string, unknown>;
  const provider = providers.get(column.provider ?? '');
  let config: Record<string, unknown>;
  try {
    config = provider ? renameInConfig(provider, withoutRunOptions(raw), renameRef) : { ...raw };
    for (const [key, value] of Object.entries(raw)) if (!(key in config)) config[key] = value;
    if (typeof raw.runIf === 'string') config.runIf = renameExpressionColumns(raw.runIf, renameRef);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    throw new AppError(
      'validation_failed',
      `column "${column.name}" reads "${from}": ${error.message}`,
      'name',
    );
  }
  const renamedNames = names.map((name) => (name === from ? to : name));
  const after = new Set(columnReads(providers, { ...column, config }, renamedNames));
  const expected = new Set(before.map((name) => (name === from ? to : name)));
  if (after.size !== expected.size || [...expected].some((name) => !after.has(name))) {
    throw new AppError(
      'validation_failed',
      `column "${column.name}" reads "${from}" in a way a rename cannot rewrite; edit it first`,
      'name',
    );
  }
  return config;
}

/** A provider config with templates renamed in every string and expressions in its expression fields. */
function renameInConfig(
  provider: AnyProvider,
  config: Record<string, unknown>,
  rename: Rename,
): Record<string, unknown> {
  const expressions = new Set(provider.expressionFields ?? []);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] =
      expressions.has(key) && typeof value === 'string'
        ? renameExpressionColumns(value, rename)
        : renameInStrings(value, rename);
  }
  for (const nested of provider.nestedConfigs?.(config) ?? []) {
    const inner = renameInConfig(nested.provider, nested.config as Record<string, unknown>, rename);
    setAt(out, nested.path, inner);
  }
  return out;
}

function renameInStrings(value: unknown, rename: Rename): unknown {
  if (typeof value === 'string') return renameTemplateColumns(value, rename);
  if (Array.isArray(value)) return value.map((item) => renameInStrings(item, rename));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renameInStrings(v, rename)]));
  }
  return value;
}

function setAt(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
}
