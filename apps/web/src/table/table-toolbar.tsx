import type { ReactNode } from 'react';
import type { RowQuery } from '../api/rows';
import { formatCount } from '../ui/format';
import { AppendCsvButton } from './append-csv-button';
import { ConnectionBadge } from './connection-badge';
import { ExportCsvButton } from './export-csv-button';
import type { TableData } from './use-table-data';

/** `find`: the search box and, while rows are narrowed, "N of M rows" in place of the row count. */
export function TableToolbar({
  data,
  onAddColumn,
  onRunAll,
  onLimits,
  find,
  edit,
  narrowed,
  rowQuery,
}: {
  data: TableData;
  onAddColumn(): void;
  /** Runs every enrichment column in dependency order; absent while the table has none. */
  onRunAll?: () => void;
  onLimits(): void;
  find?: ReactNode;
  /** Add row, delete rows, undo, redo. */
  edit?: ReactNode;
  narrowed?: boolean;
  /** The search, filter and sort shown: what the Export button exports by default. */
  rowQuery?: RowQuery;
}) {
  const { table, rowCount, status } = data;
  return (
    <div className="toolbar">
      <a href="#/" className="back" aria-label="All tables">
        ←
      </a>
      <h1 className="table-title">{table?.name ?? '…'}</h1>
      {!narrowed && <span className="muted">{formatCount(rowCount)} rows</span>}
      <ConnectionBadge status={status} />
      <span className="spacer" />
      {find}
      {edit}
      <button type="button" className="primary" onClick={onAddColumn}>
        + Enrichment column
      </button>
      {onRunAll && (
        <button
          type="button"
          onClick={onRunAll}
          title="Every enrichment column over every row, a column after those it reads"
        >
          ▶ Run all columns
        </button>
      )}
      {table && <AppendCsvButton tableId={table.id} onAppended={() => void data.reload('rows')} />}
      {table && <ExportCsvButton tableId={table.id} query={rowQuery} />}
      <button type="button" onClick={onLimits} title="How fast each provider may be called">
        Limits
      </button>
    </div>
  );
}
