import { type Column, type Row, valueToText } from '@glaze/core';
import { type GridCell, GridCellKind, type Item } from '@glideapps/glide-data-grid';
import type { TableStore } from '../store/table-store';
import { summariseValue } from '../ui/summarise-value';
import { enrichmentCell } from './enrichment-cell';

const loading: GridCell = { kind: GridCellKind.Loading, allowOverlay: false };

/** Glide's `getCellContent`: reads the store, never React state, so it is cheap and always current. */
export function makeGetCellContent(store: TableStore): (item: Item) => GridCell {
  return ([col, rowIndex]) => {
    const column = store.shown[col];
    const row = store.rowAt(rowIndex);
    if (!column || !row) return loading;
    if (column.kind === 'input') {
      const text = cellText(store, column, row);
      return { kind: GridCellKind.Text, data: text, displayData: text, allowOverlay: true };
    }
    const cell = store.cell(row.id, column.id);
    return enrichmentCell(cell?.status ?? 'idle', cellText(store, column, row));
  };
}

/**
 * A cell's text as the grid shows it: an input value as text, an enrichment cell's value summarised
 * (its error when it failed). Copying a range copies this.
 */
export function cellText(store: TableStore, column: Column, row: Row): string {
  if (column.kind === 'input') return valueToText(row.values[column.id]);
  const cell = store.cell(row.id, column.id);
  if (!cell) return '';
  return cell.status === 'error' ? (cell.error ?? '') : summariseValue(cell.value);
}
