import { type Column, type Row, valueToText } from '@glaze/core';
import { type GridCell, GridCellKind, type Item } from '@glideapps/glide-data-grid';
import type { TableStore } from '../store/table-store';
import { cellText } from './cell-text';
import { enrichmentCell } from './enrichment-cell';

const loading: GridCell = { kind: GridCellKind.Loading, allowOverlay: false };

/** Glide's `getCellContent`: reads the store, never React state, so it is cheap and always current. */
export function makeGetCellContent(store: TableStore): (item: Item) => GridCell {
  return ([col, rowIndex]) => {
    const column = store.shown[col];
    const row = store.rowAt(rowIndex);
    if (!column || !row) return loading;
    if (column.kind === 'input') {
      const text = copyText(store, column, row);
      return { kind: GridCellKind.Text, data: text, displayData: text, allowOverlay: true };
    }
    return enrichmentCell(cellText(column.provider, store.cell(row.id, column.id)));
  };
}

/**
 * A cell's text as the grid shows it, which is what copying a range copies: an input value as text,
 * an enrichment cell by its provider's one-line display (its error when it failed; empty when it has
 * no result).
 */
export function copyText(store: TableStore, column: Column, row: Row): string {
  if (column.kind === 'input') return valueToText(row.values[column.id]);
  return cellText(column.provider, store.cell(row.id, column.id)).text;
}
