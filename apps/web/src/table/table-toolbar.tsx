import { formatCount } from '../ui/format';
import { AppendCsvButton } from './append-csv-button';
import { ConnectionBadge } from './connection-badge';
import { ExportCsvButton } from './export-csv-button';
import type { TableData } from './use-table-data';

export function TableToolbar({
  data,
  onAddColumn,
  onLimits,
}: {
  data: TableData;
  onAddColumn(): void;
  onLimits(): void;
}) {
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
      <button type="button" onClick={onLimits} title="How fast each provider may be called">
        Limits
      </button>
    </div>
  );
}
