import type { Column } from '@glaze/core';
import {
  type CellClickedEventArgs,
  CompactSelection,
  DataEditor,
  type DataEditorRef,
  type EditableGridCell,
  GridCellKind,
  type GridMouseEventArgs,
  type GridSelection,
  type Item,
  type Rectangle,
} from '@glideapps/glide-data-grid';
import { type ClipboardEvent, type RefObject, useCallback, useMemo, useRef, useState } from 'react';
import { formatTsv } from '../edit/tsv';
import type { TableStore } from '../store/table-store';
import { copyText, makeGetCellContent } from './cell-content';
import { enrichmentCellRenderer } from './enrichment-cell';
import { makeDrawHeader, toGridColumns } from './grid-columns';
import { gridTheme } from './grid-theme';
import type { RepaintQueue } from './repaint-queue';
import { copyBlock, type Range, selectionRanges } from './selection-ranges';

export interface GridProps {
  /** The rows, cells and columns to draw, read outside React. */
  store: TableStore;
  /** Told which rows are on screen, so live changes repaint only those. */
  queue: RepaintQueue;
  gridRef: RefObject<DataEditorRef>;
  columns: Column[];
  rowCount: number;
  /** Rows `from`..`to` (exclusive) came on screen: load them if they are not yet. */
  onWantRows(from: number, to: number): void;
  widths: Record<string, number>;
  selection: GridSelection;
  onSelection(selection: GridSelection): void;
  onResize(columnId: number, width: number): void;
  onMove(from: number, to: number): void;
  onHeaderMenu(column: Column, bounds: Rectangle): void;
  onCellOpen(rowIndex: number, column: Column): void;
  onCellEdit(rowIndex: number, column: Column, text: string): void;
  /** Delete or Backspace over these regions: empty their input cells. */
  onClear(ranges: Range[]): void;
  /** Text pasted with the cell `target` (column, row) selected. */
  onPasteText(target: Item, text: string): void;
  /** The column the rows are sorted by, drawn with ↑ or ↓ in its header. */
  sorted?: { column: number; direction: 'asc' | 'desc' };
}

export const emptySelection: GridSelection = {
  columns: CompactSelection.empty(),
  rows: CompactSelection.empty(),
};
const customRenderers = [enrichmentCellRenderer];
/** A fixed marker width keeps column positions predictable (the e2e test clicks headers by position). */
export const rowMarkerWidth = 56;
const rowMarkers = { kind: 'both', width: rowMarkerWidth } as const;
/** Copy and paste are ours (TSV both ways, enrichment cells as shown); Backspace clears as Delete does. */
const keybindings = { copy: false, paste: false, cut: false, delete: 'Backspace|Delete' } as const;
/** A field with a clipboard and an undo of its own: the grid's overlay editor, a search box. */
const isTextField = (target: EventTarget) =>
  target instanceof HTMLElement && target.closest('textarea, input, [contenteditable=true]') !== null;

/** The table as a canvas grid: virtualised rows, two-line headers, live enrichment cells. */
export function EnrichmentGrid(props: GridProps) {
  const { store, queue, columns, rowCount, widths, onWantRows, onHeaderMenu, onCellOpen, onCellEdit } = props;
  const [tooltip, setTooltip] = useState<{ text: string; x: number; y: number }>();
  const resizedAt = useRef(0);

  const getCellContent = useMemo(() => makeGetCellContent(store), [store]);
  const gridColumns = useMemo(() => toGridColumns(columns, widths), [columns, widths]);
  const sortedColumn = props.sorted?.column;
  const sortedDirection = props.sorted?.direction;
  const drawHeader = useMemo(
    () =>
      makeDrawHeader(
        (index) => store.shown[index],
        sortedColumn === undefined || sortedDirection === undefined
          ? undefined
          : { column: sortedColumn, direction: sortedDirection },
      ),
    [store, sortedColumn, sortedDirection],
  );

  const onVisible = useCallback(
    (range: Rectangle) => {
      queue.visible = range;
      onWantRows(range.y, range.y + range.height);
    },
    [queue, onWantRows],
  );

  const onCellClicked = useCallback(
    ([col, row]: Item, _event: CellClickedEventArgs) => {
      const column = store.shown[col];
      if (column && column.kind !== 'input' && store.rowAt(row)) onCellOpen(row, column);
    },
    [store, onCellOpen],
  );

  const onItemHovered = useCallback(
    (args: GridMouseEventArgs) => {
      if (args.kind !== 'cell') return setTooltip(undefined);
      const [col, row] = args.location;
      const column = store.shown[col];
      const rowData = store.rowAt(row);
      const cell = column && rowData ? store.cell(rowData.id, column.id) : undefined;
      if (cell?.status !== 'error') return setTooltip(undefined);
      setTooltip({ text: cell.error ?? 'error', x: args.bounds.x, y: args.bounds.y + args.bounds.height });
    },
    [store],
  );

  const onCellEdited = useCallback(
    ([col, row]: Item, value: EditableGridCell) => {
      const column = store.shown[col];
      if (column?.kind === 'input' && value.kind === GridCellKind.Text) onCellEdit(row, column, value.data);
    },
    [store, onCellEdit],
  );

  const { selection, onClear, onPasteText } = props;
  const onDelete = useCallback(
    (toClear: GridSelection) => {
      onClear(selectionRanges(toClear, store.shown.length, store.rowCount));
      return false;
    },
    [store, onClear],
  );

  const onCopy = useCallback(
    (event: ClipboardEvent) => {
      const block = isTextField(event.target) ? undefined : copyBlock(selection, store.shown.length);
      if (!block) return;
      const cells = block.rows.map((index) => {
        const row = store.rowAt(index);
        return block.columns.map((col) => {
          const column = store.shown[col];
          return row && column ? copyText(store, column, row) : '';
        });
      });
      event.clipboardData.setData('text/plain', formatTsv(cells));
      event.preventDefault();
    },
    [store, selection],
  );

  const onPaste = useCallback(
    (event: ClipboardEvent) => {
      const target = selection.current?.cell;
      if (!target || isTextField(event.target)) return;
      event.preventDefault();
      onPasteText(target, event.clipboardData.getData('text/plain'));
    },
    [selection, onPasteText],
  );

  return (
    <div className="grid-wrap" onCopy={onCopy} onPaste={onPaste}>
      <DataEditor
        ref={props.gridRef}
        columns={gridColumns}
        rows={rowCount}
        getCellContent={getCellContent}
        customRenderers={customRenderers}
        drawHeader={drawHeader}
        headerHeight={46}
        rowHeight={32}
        rowMarkers={rowMarkers}
        rowSelectionMode="multi"
        smoothScrollX
        smoothScrollY
        width="100%"
        height="100%"
        theme={gridTheme}
        gridSelection={props.selection}
        onGridSelectionChange={props.onSelection}
        onVisibleRegionChanged={onVisible}
        onColumnResize={(column, size) => {
          resizedAt.current = performance.now();
          props.onResize(Number(column.id), size);
        }}
        onColumnMoved={props.onMove}
        onHeaderMenuClick={(col, bounds) => {
          // A resize ends with the pointer on the column's new edge, where its menu dots are: glide
          // reports that mouse-up as a menu click. Not a click the person meant.
          if (performance.now() - resizedAt.current < 250) return;
          const column = store.shown[col];
          if (column) onHeaderMenu(column, bounds);
        }}
        onCellClicked={onCellClicked}
        onItemHovered={onItemHovered}
        onCellEdited={onCellEdited}
        onDelete={onDelete}
        keybindings={keybindings}
        getCellsForSelection
      />
      {tooltip && (
        <div className="cell-tooltip" role="tooltip" style={{ left: tooltip.x, top: tooltip.y + 4 }}>
          {tooltip.text}
        </div>
      )}
    </div>
  );
}
