import { type Cell, type Column, displayCell } from '@glaze/core';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { errorText, glaze } from '../api/client';
import type { TableStore } from '../store/table-store';
import { formatBytes, formatWhen } from '../ui/format';
import { JsonView } from '../ui/json-view';
import { SidePanel } from '../ui/side-panel';
import { cellHistory } from './cell-history';

interface Props {
  store: TableStore;
  rowIndex: number;
  column: Column;
  onRun(rowId: number): void;
  /** Every enrichment column for this row, in dependency order. */
  onRunRow(rowId: number): void;
  onClose(): void;
}

/** One cell in full: its one-line display, the whole value as highlighted JSON, timings, tries, steps and cost. Live. */
export function CellDetailPanel({ store, rowIndex, column, onRun, onRunRow, onClose }: Props) {
  useSyncExternalStore(store.subscribe, store.getVersion);
  const row = store.rowAt(rowIndex);
  const cell = row ? store.cell(row.id, column.id) : undefined;
  const status = cell?.status ?? 'idle';
  const history = cell ? cellHistory(cell) : undefined;
  const whole = useWholeValue(store.tableId, cell);
  const value = cell?.largeValueBytes != null ? whole.value : cell?.value;
  const shown = cell && value !== undefined ? displayCell(column.provider, value) : '';

  return (
    <SidePanel title={`${column.name} · row ${rowIndex + 1}`} onClose={onClose} testId="cell-detail">
      {shown !== '' && (
        <p className="display-line" data-testid="cell-display">
          {shown}
        </p>
      )}
      {history?.noResult && (
        <p className="no-result" data-testid="cell-display">
          — no result: the provider answered, with nothing for this row
        </p>
      )}
      <dl className="facts">
        <dt>Provider</dt>
        <dd>{column.provider ?? '—'}</dd>
        <dt>Status</dt>
        <dd data-testid="cell-status" className={`status-word ${status}`}>
          {status === 'idle' ? 'never run' : status}
        </dd>
        {cell && history && <CellFacts cell={cell} tries={history.tries} seconds={history.seconds} />}
        {history?.throttled !== undefined && (
          <>
            <dt>Throttled</dt>
            <dd>{history.throttled}× (HTTP 429; retried without using a try)</dd>
          </>
        )}
      </dl>
      {cell?.error && (
        <>
          <h4>Error</h4>
          <pre className="error-text">{cell.error}</pre>
        </>
      )}
      {history && history.steps.length > 0 && (
        <>
          <h4>Steps</h4>
          <ol className="attempts" data-testid="cell-steps">
            {history.steps.map((s) => (
              <li key={s.step}>
                {s.provider} · <span className={`outcome-${s.outcome}`}>{s.outcome}</span>
                {s.message ? ` · ${s.message}` : ''}
              </li>
            ))}
          </ol>
        </>
      )}
      <h4>Value</h4>
      {cell?.largeValueBytes != null && value === undefined ? (
        <pre className="json" data-testid="cell-value-loading">
          {whole.error ?? `reading ${formatBytes(cell.largeValueBytes)}…`}
        </pre>
      ) : value === undefined || value === null ? (
        <pre className="json">{history?.noResult ? 'null (no result)' : '—'}</pre>
      ) : (
        <JsonView value={value} testId="cell-value" />
      )}
      {cell?.meta && Object.keys(cell.meta).length > 0 && (
        <>
          <h4>Meta</h4>
          <JsonView value={cell.meta} />
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

function CellFacts({ cell, tries, seconds }: { cell: Cell; tries: string; seconds?: number }) {
  return (
    <>
      <dt>Started</dt>
      <dd>{cell.startedAt ? formatWhen(cell.startedAt) : '—'}</dd>
      <dt>Finished</dt>
      <dd>{cell.finishedAt ? formatWhen(cell.finishedAt) : '—'}</dd>
      {seconds !== undefined && (
        <>
          <dt>Took</dt>
          <dd>{seconds.toFixed(3)} s</dd>
        </>
      )}
      <dt>Tries</dt>
      <dd>{tries}</dd>
      <dt>Cost</dt>
      <dd>{cell.cost ?? '—'}</dd>
      <dt>Run</dt>
      <dd>{cell.runId ?? '—'}</dd>
      <dt>Seq</dt>
      <dd>{cell.seq}</dd>
    </>
  );
}

/**
 * A value over 64 KB, which row pages and the feed leave out (`largeValueBytes`), read whole from
 * GET /tables/:id/cells/:cellId; again when the cell changes (a newer seq), not when the same change
 * arrives twice (a read ahead, then its batch: a new object, the same seq).
 */
function useWholeValue(tableId: number, cell: Cell | undefined): { value?: unknown; error?: string } {
  const [read, setRead] = useState<{ key: string; value?: unknown; error?: string }>({ key: '' });
  const cellId = cell?.largeValueBytes != null ? cell.id : undefined;
  const key = cellId === undefined ? '' : `${cellId}@${cell?.seq}`;
  useEffect(() => {
    if (cellId === undefined) return;
    let current = true;
    glaze
      .getCell({ params: { path: { id: String(tableId), cellId: String(cellId) } } })
      .then(({ cell: whole }) => current && setRead({ key, value: whole.value }))
      .catch(
        (error: unknown) =>
          current && setRead({ key, error: `could not read the value: ${errorText(error)}` }),
      );
    return () => {
      current = false;
    };
  }, [key, tableId, cellId]);
  return read.key === key && key ? read : {};
}
