import type { components } from '@glaze/client';
import { type HeldCell, type RunProgress, useRealtimeEnrichment } from '@glaze/react';
import { useEffect, useState } from 'react';
import { glaze } from './glaze';

type Column = components['schemas']['Column'];

/**
 * A table's first 100 rows with each enrichment cell's status and value, and its runs' progress,
 * kept live by `useRealtimeEnrichment`: a run started anywhere (the web app, curl) shows here as it goes.
 */
export function LiveTable({ tableId }: { tableId: number }) {
  // The API on the page's origin (the dev server's proxy): no token, the session cookie is sent.
  const live = useRealtimeEnrichment(tableId, { baseUrl: '/api/v1', rows: { limit: 100 } });
  const [columns, setColumns] = useState<Column[]>([]);
  const [error, setError] = useState<string>();
  // A column this page has not seen (added since it loaded) reads the table's columns again.
  const known = new Set(columns.map((column) => String(column.id)));
  const stale =
    columns.length === 0 ||
    live.rows.some((row) =>
      [...Object.keys(row.values), ...Object.keys(row.cells)].some((id) => !known.has(id)),
    );
  useEffect(() => {
    if (!stale) return;
    glaze.getTable({ params: { path: { id: String(tableId) } } }).then(
      (answer) => setColumns(answer.columns),
      (failure: Error) => setError(`Table ${tableId} could not be read: ${failure.message}`),
    );
  }, [tableId, stale]);
  const names = new Map(columns.map((column) => [column.id, column.name]));
  const runs = [...live.runs.values()].sort((a, b) => b.id - a.id).slice(0, 5);
  return (
    <section>
      <p className="connection" data-status={live.status}>
        Stream: {live.status}
        {live.error && ` · ${live.error}`}
      </p>
      {error && <p className="error">{error}</p>}
      <ul>
        {runs.map((run) => (
          <RunLine key={run.id} run={run} column={names.get(run.columnId) ?? `column ${run.columnId}`} />
        ))}
      </ul>
      <table>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.id}>{column.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {live.rows.map((row) => (
            <tr key={row.id}>
              {columns.map((column) =>
                column.kind === 'input' ? (
                  <td key={column.id}>{String(row.values[column.id] ?? '')}</td>
                ) : (
                  <CellView key={column.id} cell={row.cells[column.id]} />
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** One run: `Echo: running · 12/20 (done 11, error 1, skipped 0, cancelled 0)`. */
function RunLine({ run, column }: { run: RunProgress; column: string }) {
  const { done, error, skipped, cancelled } = run.counts;
  return (
    <li className="run" data-status={run.status}>
      {column}: {run.status} · {run.finished}/{run.total} (done {done}, error {error}, skipped {skipped},
      cancelled {cancelled})
    </li>
  );
}

/** A cell's status as its `data-status` (colour), and its value once done or its error once failed. */
function CellView({ cell }: { cell: HeldCell | undefined }) {
  if (!cell) return <td data-status="idle" />;
  const value = typeof cell.value === 'string' ? cell.value : JSON.stringify(cell.value);
  const text = cell.status === 'done' ? value : cell.status === 'error' ? cell.error : cell.status;
  return (
    <td data-status={cell.status} title={text ?? undefined}>
      {text}
    </td>
  );
}
