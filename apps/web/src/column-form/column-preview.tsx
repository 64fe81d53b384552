import { GlazeError } from '@glaze/client';
import type { PreviewCell } from '@glaze/core';
import { useEffect, useState } from 'react';
import { errorText } from '../api/client';
import { previewColumn } from '../api/columns';
import { previewText } from './preview-text';

interface Props {
  tableId: number;
  provider: string;
  config: Record<string, unknown>;
  /** The column being edited: its own values are not read as inputs. */
  columnId?: number;
}

/** How long the form waits after the last change before it asks for a preview. */
const debounceMs = 400;

/**
 * The column as it stands, tried live on the table's first 5 rows (nothing is written): each row's
 * value or error, refreshed 400 ms after the last change. A config the server refuses shows its
 * plain message (`Latency ms must be a number`) instead.
 */
export function ColumnPreview({ tableId, provider, config, columnId }: Props) {
  const key = JSON.stringify([provider, config, columnId]);
  const [state, setState] = useState<{ key: string; cells?: PreviewCell[]; error?: string }>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for provider, config and columnId
  useEffect(() => {
    if (!provider) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      previewColumn(tableId, { provider, config, columnId }, abort.signal).then(
        ({ cells }) => setState({ key, cells }),
        (thrown) => {
          if (abort.signal.aborted) return;
          setState({ key, error: thrown instanceof GlazeError ? thrown.detail : errorText(thrown) });
        },
      );
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [key, tableId]);

  const fresh = state?.key === key;
  return (
    <section className="column-preview" data-testid="column-preview" data-fresh={fresh || undefined}>
      <h4>
        Preview on the first 5 rows <span className="muted">{fresh ? '' : '· updating…'}</span>
      </h4>
      {state?.error && <p className="field-warning">{state.error}</p>}
      {state?.cells && state.cells.length === 0 && <p className="muted">No rows yet.</p>}
      {state?.cells && state.cells.length > 0 && (
        <ol className="preview-rows">
          {state.cells.map((cell, index) => (
            <li key={cell.rowId} data-preview-row={index + 1} data-status={cell.status}>
              <span className="muted">Row {index + 1}</span>{' '}
              <span className={`status-word ${cell.status}`}>{cell.status}</span>{' '}
              <code>{previewText(cell)}</code>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
