import { formatCount } from '../ui/format';
import { AppendCsvButton } from './append-csv-button';
import { ConnectionBadge } from './connection-badge';
import { ExportCsvButton } from './export-csv-button';
import type { TableData } from './use-table-data';

export function TableToolbar({ data, onAddColumn }: { data: TableData; onAddColumn(): void }) {
  const { table, rowCount, status } = data;
  return (
    <div className="toolbar">
      <a href="#/" className="back" aria-label="All tables">
        ←
      </a>
      <h1 className="table-title">{table?.name ?? '…'}</h1>
      <span className="muted">{formatCount(rowCount)} rows</span>
      <ConnectionBadge status={status} />
      <span className="spacer" />
      <button type="button" className="primary" onClick={onAddColumn}>
        + Enrichment column
      </button>
      {table && <AppendCsvButton tableId={table.id} onAppended={() => void data.reload('rows')} />}
      {table && <ExportCsvButton tableId={table.id} />}
    </div>
  );
}
