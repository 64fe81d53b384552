import type { Column, RunScope, StartRunBody, View } from '@glaze/core';
import type { GridSelection, Rectangle } from '@glideapps/glide-data-grid';
import { useCallback, useMemo, useState } from 'react';
import { errorText } from '../api/client';
import { reorderColumns } from '../api/columns';
import { runAllColumns, runCell, startRun } from '../api/runs';
import { ColumnPanel } from '../column-form/column-panel';
import { FilterBar } from '../find/filter-bar';
import { isNarrowed, toRowQuery } from '../find/find-state';
import { MatchCount } from '../find/match-count';
import { SearchBox } from '../find/search-box';
import { useFindState } from '../find/use-find-state';
import { ViewsMenu } from '../find/views-menu';
import { EnrichmentGrid, emptySelection } from '../grid/enrichment-grid';
import { moveShownColumn, shownColumns } from '../grid/shown-columns';
import { ProviderLimitsPanel } from '../limits/provider-limits-panel';
import { CellDetailPanel } from './cell-detail-panel';
import { ColumnMenu } from './column-menu';
import { EditBar } from './edit-bar';
import { RunTimelinePanel } from './run-timeline-panel';
import { RunsBar } from './runs-bar';
import { TableToolbar } from './table-toolbar';
import { useColumnWidths } from './use-column-widths';
import { useRowEdits } from './use-row-edits';
import { useTableData } from './use-table-data';

type Side =
  | { panel: 'none' }
  | { panel: 'column'; column?: Column }
  | { panel: 'cell'; rowIndex: number; column: Column }
  | { panel: 'timeline'; runId: number }
  | { panel: 'limits' };

export function TablePage({ tableId }: { tableId: number }) {
  const [find, setFind] = useFindState();
  const rowQuery = useMemo(() => toRowQuery(find), [find]);
  const data = useTableData(tableId, rowQuery);
  const narrowed = isNarrowed(find);
  const { store, loader, columns, setColumns } = data;
  const hidden = find.hidden;
  // The grid reads the store by column index, so its list changes in the same render as its props.
  const shown = useMemo(() => {
    store.shown = shownColumns(columns, hidden);
    return store.shown;
  }, [store, columns, hidden]);
  const [views, setViews] = useState<View[]>([]);
  const openView = views.find((view) => view.id === find.view);
  const [widths, setWidth] = useColumnWidths(tableId);
  const [selection, setSelection] = useState<GridSelection>(emptySelection);
  const [menu, setMenu] = useState<{ column: Column; bounds: Rectangle }>();
  const [side, setSide] = useState<Side>({ panel: 'none' });
  const [actionError, setActionError] = useState<string>();

  const act = useCallback(async (action: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await action();
    } catch (thrown) {
      setActionError(errorText(thrown));
    }
  }, []);

  const selectedRowIds = useCallback(
    () => selection.rows.toArray().flatMap((index) => store.rowAt(index)?.id ?? []),
    [selection, store],
  );

  const run = (column: Column, scope: StartRunBody['scope']) =>
    act(async () => {
      const { run } = await startRun(tableId, column.id, scope);
      store.setRuns([run]);
    });

  /** Every enrichment column, in dependency order: "Run all columns", or one row's "Run this row". */
  const runAll = (scope: RunScope) =>
    act(async () => {
      const { runs } = await runAllColumns(tableId, scope);
      store.setRuns(runs);
    });

  const onMove = useCallback(
    (from: number, to: number) => {
      const next = moveShownColumn(columns, hidden, from, to);
      setColumns(next);
      void act(() =>
        reorderColumns(
          tableId,
          next.map((c) => c.id),
        ),
      );
    },
    [columns, hidden, setColumns, tableId, act],
  );

  const openTimeline = useCallback((runId: number) => setSide({ panel: 'timeline', runId }), []);

  const onWantRows = useCallback((from: number, to: number) => loader.want(from, to), [loader]);
  const previewRow = useCallback(() => (store.rowAt(0) ? store.namedValues(0) : undefined), [store]);

  const edits = useRowEdits({ tableId, store, columns, act, onError: setActionError });
  const deleteRows = () =>
    void edits.deleteSelected(selection).then((deleted) => deleted && setSelection(emptySelection));

  return (
    <main className="table-page">
      <TableToolbar
        data={data}
        onAddColumn={() => setSide({ panel: 'column' })}
        onRunAll={columns.some((c) => c.kind === 'enrichment') ? () => void runAll('all') : undefined}
        onLimits={() => setSide({ panel: 'limits' })}
        narrowed={narrowed}
        edit={
          <EditBar
            selectedRows={selection.rows.length}
            canUndo={edits.stack.canUndo}
            canRedo={edits.stack.canRedo}
            undoLabel={edits.stack.nextUndo?.label}
            redoLabel={edits.stack.nextRedo?.label}
            onAddRow={edits.addRow}
            onDeleteRows={deleteRows}
            onUndo={edits.undo}
            onRedo={edits.redo}
          />
        }
        rowQuery={rowQuery}
        find={
          <>
            {narrowed && <MatchCount matched={data.matched} total={data.table?.rowCount ?? 0} />}
            <ViewsMenu
              tableId={tableId}
              state={find}
              columns={columns}
              onChange={setFind}
              onViews={setViews}
            />
            <SearchBox value={find.q} onSearch={(q) => setFind((held) => ({ ...held, q }))} />
          </>
        }
      />
      <FilterBar state={find} columns={columns} onChange={setFind} />
      {(data.error || actionError) && <p className="banner error">{actionError ?? data.error}</p>}
      <RunsBar store={store} onTimeline={openTimeline} />
      <div className="table-body">
        <EnrichmentGrid
          store={store}
          queue={data.queue}
          gridRef={data.gridRef}
          columns={shown}
          rowCount={data.rowCount}
          onWantRows={onWantRows}
          widths={widths}
          selection={selection}
          onSelection={setSelection}
          onResize={setWidth}
          onMove={onMove}
          onHeaderMenu={(column, bounds) => setMenu({ column, bounds })}
          onCellOpen={(rowIndex, column) => setSide({ panel: 'cell', rowIndex, column })}
          onCellEdit={edits.onCellEdit}
          onClear={edits.onClear}
          onPasteText={edits.onPasteText}
          sorted={find.sort}
        />
        {side.panel === 'column' && (
          <ColumnPanel
            tableId={tableId}
            columns={columns}
            previewRow={previewRow}
            column={side.column}
            onClose={() => setSide({ panel: 'none' })}
            onSaved={(_, started) => {
              if (started) store.setRuns([started]);
              setSide({ panel: 'none' });
              void data.reload('schema');
            }}
          />
        )}
        {side.panel === 'cell' && (
          <CellDetailPanel
            store={store}
            rowIndex={side.rowIndex}
            column={side.column}
            onRun={(rowId) => act(() => runCell(tableId, rowId, side.column.id))}
            onRunRow={(rowId) => runAll({ rowIds: [rowId] })}
            onClose={() => setSide({ panel: 'none' })}
          />
        )}
        {side.panel === 'timeline' && (
          <RunTimelinePanel
            key={side.runId}
            store={store}
            runId={side.runId}
            onClose={() => setSide({ panel: 'none' })}
          />
        )}
        {side.panel === 'limits' && <ProviderLimitsPanel onClose={() => setSide({ panel: 'none' })} />}
      </div>
      {menu && (
        <ColumnMenu
          tableId={tableId}
          column={menu.column}
          bounds={menu.bounds}
          selectedRows={selection.rows.length}
          viewName={openView?.name}
          onSort={(direction) => setFind({ ...find, sort: { column: menu.column.id, direction } })}
          onHide={() => setFind((held) => ({ ...held, hidden: [...held.hidden, menu.column.id] }))}
          onRun={(scope) => {
            // "Rows of this view": the rows the saved view matches when the run starts (server side).
            if (scope === 'view') return openView && run(menu.column, { view: openView.id });
            run(menu.column, scope === 'selected' ? { rowIds: selectedRowIds() } : scope);
          }}
          onEdit={() => setSide({ panel: 'column', column: menu.column })}
          onChanged={() => void data.reload('schema')}
          onUndoable={edits.recordEdit}
          track={edits.tracked}
          onError={setActionError}
          onClose={() => setMenu(undefined)}
        />
      )}
    </main>
  );
}
