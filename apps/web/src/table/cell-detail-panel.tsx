import type { Cell, Column } from '@glaze/core';
import { useSyncExternalStore } from 'react';
import type { TableStore } from '../store/table-store';
import { formatWhen } from '../ui/format';
import { SidePanel } from '../ui/side-panel';

interface Props {
  store: TableStore;
  rowIndex: number;
  column: Column;
  onRun(rowId: number): void;
  /** Every enrichment column for this row, in dependency order. */
  onRunRow(rowId: number): void;
  onClose(): void;
}

/** One cell in full: status, the whole JSON value, the error, attempts and timings. Live. */
export function CellDetailPanel({ store, rowIndex, column, onRun, onRunRow, onClose }: Props) {
  useSyncExternalStore(store.subscribe, store.getVersion);
  const row = store.rowAt(rowIndex);
  const cell = row ? store.cell(row.id, column.id) : undefined;
  const status = cell?.status ?? 'idle';

  return (
    <SidePanel title={`${column.name} · row ${rowIndex + 1}`} onClose={onClose} testId="cell-detail">
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="cell-status" className={`status-word ${status}`}>
          {status}
        </dd>
        {cell && <CellFacts cell={cell} />}
      </dl>
      {cell?.error && (
        <>
          <h4>Error</h4>
          <pre className="error-text">{cell.error}</pre>
        </>
      )}
      <h4>Value</h4>
      <pre className="json">{cell?.value === undefined ? '—' : JSON.stringify(cell.value, null, 2)}</pre>
      {cell?.meta && Object.keys(cell.meta).length > 0 && (
        <>
          <h4>Meta</h4>
          <pre className="json">{JSON.stringify(cell.meta, null, 2)}</pre>
        </>
      )}
      {row && (
        <div className="form-actions">
          <button type="button" className="primary" onClick={() => onRun(row.id)}>
            Run this cell
          </button>
          <button type="button" onClick={() => onRunRow(row.id)} title="Every enrichment column for this row">
            Run this row
          </button>
        </div>
      )}
    </SidePanel>
  );
}

function CellFacts({ cell }: { cell: Cell }) {
  const took =
    cell.startedAt && cell.finishedAt
      ? `${((Date.parse(cell.finishedAt) - Date.parse(cell.startedAt)) / 1000).toFixed(3)} s`
      : undefined;
  return (
    <>
      <dt>Attempt</dt>
      <dd>
        {cell.attempt} ({cell.tries} {cell.tries === 1 ? 'try' : 'tries'})
      </dd>
      <dt>Run</dt>
      <dd>{cell.runId ?? '—'}</dd>
      <dt>Started</dt>
      <dd>{cell.startedAt ? formatWhen(cell.startedAt) : '—'}</dd>
      <dt>Finished</dt>
      <dd>{cell.finishedAt ? formatWhen(cell.finishedAt) : '—'}</dd>
      {took && (
        <>
          <dt>Took</dt>
          <dd>{took}</dd>
        </>
      )}
      {cell.cost !== null && (
        <>
          <dt>Cost</dt>
          <dd>{cell.cost}</dd>
        </>
      )}
      <dt>Seq</dt>
      <dd>{cell.seq}</dd>
    </>
  );
}
