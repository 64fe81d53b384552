import { notFound } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { type ColumnInfo, listColumns } from '../tables/list-columns';
import { csvStatements } from './statements';

export interface ExportColumn {
  column: ColumnInfo;
  /** CSV header names this column fills: its header for inputs, `NAME` and/or `NAME.field…` otherwise. */
  labels: string[];
}

/**
 * The columns of an export, in order: input columns (headed as the imported file spelled them,
 * see `inputHeader`), then each enrichment or formula column as the `NAME` / `NAME.field` headers
 * its done values fill. Every real column appears, even with no values; nothing else does.
 */
export async function exportColumns(
  pool: Pool,
  tableId: number,
  workspaceId?: number,
): Promise<ExportColumn[]> {
  const found = await pool.query(
    'select 1 from tables where id = $1 and ($2::bigint is null or workspace_id = $2)',
    [tableId, workspaceId ?? null],
  );
  if (found.rowCount === 0) throw notFound('table', tableId);
  const columns = await listColumns(pool, tableId);
  const inputs = columns.filter((c) => c.kind === 'input');
  const values = columns.filter((c) => c.kind !== 'input');
  const paths = new Map<number, string[]>();
  if (values.length > 0) {
    // Recorded as values are written (migration 021): a few index entries, however many rows.
    const { rows } = await pool.query({ ...csvStatements.exportHeaders, values: [values.map((c) => c.id)] });
    for (const { columnId, path } of rows as { columnId: number; path: string }[]) {
      paths.set(Number(columnId), [...(paths.get(Number(columnId)) ?? []), path]);
    }
  }
  return [
    ...inputs.map((column) => ({ column, labels: [inputHeader(column)] })),
    ...values.map((column) => ({
      column,
      labels: (paths.get(column.id) ?? ['']).map((path) => column.name + path),
    })),
  ];
}

/**
 * An input column's header: the name as the imported CSV spelled it (`" Notes "`, kept in
 * `config.csvHeader` because names are stored trimmed), else its name.
 */
export function inputHeader(column: Pick<ColumnInfo, 'name' | 'config'>): string {
  const spelled = column.config?.csvHeader;
  return typeof spelled === 'string' && spelled.trim() === column.name ? spelled : column.name;
}
