import { type Cell, type CellStatus, displayCell } from '@glaze/core';
import { formatBytes } from '../ui/format';

/** What an enrichment cell shows: its status, one line of text, and whether it finished with no result. */
export interface CellText {
  status: CellStatus;
  /** The provider's display of the value (done, stale), or the error message (error). */
  text: string;
  /** Done (or stale) with no value: drawn `— no result`, unlike a cell never run, which is blank. */
  noResult: boolean;
}

/**
 * The text of an enrichment cell, by its provider's display (`✓ valid`, `acme.io · via http (step 2)`).
 * @example cellText('email', undefined) // { status: 'idle', text: '', noResult: false }
 */
export function cellText(
  provider: string | null,
  cell: (Pick<Cell, 'status' | 'value' | 'error'> & Partial<Pick<Cell, 'largeValueBytes'>>) | undefined,
): CellText {
  if (!cell) return { status: 'idle', text: '', noResult: false };
  if (cell.status === 'error') return { status: 'error', text: cell.error ?? '', noResult: false };
  // left out of the page and the feed (over 64 KB): the cell's panel reads it whole
  if (cell.largeValueBytes != null)
    return {
      status: cell.status,
      text: `${formatBytes(cell.largeValueBytes)} value · open the cell`,
      noResult: false,
    };
  const text = displayCell(provider, cell.value);
  const finished = cell.status === 'done' || cell.status === 'stale';
  return { status: cell.status, text, noResult: finished && text === '' };
}
