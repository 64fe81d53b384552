import { valueToText } from '@glaze/core';
import { type GridCell, GridCellKind, type Item } from '@glideapps/glide-data-grid';
import type { TableStore } from '../store/table-store';
import { cellText } from './cell-text';
import { enrichmentCell } from './enrichment-cell';

const loading: GridCell = { kind: GridCellKind.Loading, allowOverlay: false };

/** Glide's `getCellContent`: reads the store, never React state, so it is cheap and always current. */
export function makeGetCellContent(store: TableStore): (item: Item) => GridCell {
  return ([col, rowIndex]) => {
    const column = store.columns[col];
    const row = store.rowAt(rowIndex);
    if (!column || !row) return loading;
    if (column.kind === 'input') {
      const text = valueToText(row.values[column.id]);
      return { kind: GridCellKind.Text, data: text, displayData: text, allowOverlay: true };
    }
    return enrichmentCell(cellText(column.provider, store.cell(row.id, column.id)));
  };
}
