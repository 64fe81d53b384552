import type { Column, RunScope } from '@glaze/core';
import type { GridSelection, Rectangle } from '@glideapps/glide-data-grid';
import { useCallback, useMemo, useState } from 'react';
import { errorText } from '../api/client';
import { reorderColumns } from '../api/columns';
import { updateRows } from '../api/rows';
import { runCell, startRun } from '../api/runs';
import { ColumnPanel } from '../column-form/column-panel';
import { FilterBar } from '../find/filter-bar';
import { isNarrowed, toRowQuery } from '../find/find-state';
import { MatchCount } from '../find/match-count';
import { SearchBox } from '../find/search-box';
import { useFindState } from '../find/use-find-state';
import { EnrichmentGrid, emptySelection } from '../grid/enrichment-grid';
import { ProviderLimitsPanel } from '../limits/provider-limits-panel';
import { CellDetailPanel } from './cell-detail-panel';
import { ColumnMenu } from './column-menu';
import { RunTimelinePanel } from './run-timeline-panel';
import { RunsBar } from './runs-bar';
import { TableToolbar } from './table-toolbar';
import { useColumnWidths } from './use-column-widths';
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

  const run = (column: Column, scope: RunScope) =>
    act(async () => {
      const { run } = await startRun(tableId, column.id, scope);
      store.setRuns([run]);
    });

  const onMove = useCallback(
    (from: number, to: number) => {
      const next = [...columns];
      const [moved] = next.splice(from, 1);
      if (!moved) return;
      next.splice(to, 0, moved);
      setColumns(next);
      void act(() =>
        reorderColumns(
          tableId,
          next.map((c) => c.id),
        ),
      );
    },
    [columns, setColumns, tableId, act],
  );

  const openTimeline = useCallback((runId: number) => setSide({ panel: 'timeline', runId }), []);

  const onWantRows = useCallback((from: number, to: number) => loader.want(from, to), [loader]);
  const previewRow = useCallback(() => (store.rowAt(0) ? store.namedValues(0) : undefined), [store]);

  const onCellEdit = useCallback(
    (rowIndex: number, column: Column, text: string) => {
      const row = store.rowAt(rowIndex);
      if (row) void act(() => updateRows(tableId, [{ id: row.id, values: { [column.name]: text } }]));
    },
    [store, tableId, act],
  );

  return (
    <main className="table-page">
      <TableToolbar
        data={data}
        onAddColumn={() => setSide({ panel: 'column' })}
        onLimits={() => setSide({ panel: 'limits' })}
        narrowed={narrowed}
        rowQuery={rowQuery}
        find={
          <>
            {narrowed && <MatchCount matched={data.matched} total={data.table?.rowCount ?? 0} />}
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
          columns={columns}
          rowCount={data.rowCount}
          onWantRows={onWantRows}
          widths={widths}
          selection={selection}
          onSelection={setSelection}
          onResize={setWidth}
          onMove={onMove}
          onHeaderMenu={(column, bounds) => setMenu({ column, bounds })}
          onCellOpen={(rowIndex, column) => setSide({ panel: 'cell', rowIndex, column })}
          onCellEdit={onCellEdit}
          sorted={find.sort}
        />
        {side.panel === 'column' && (
          <ColumnPanel
            tableId={tableId}
            columns={columns}
            previewRow={previewRow}
            column={side.column}
            onClose={() => setSide({ panel: 'none' })}
            onSaved={() => {
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
          onSort={(direction) => setFind({ ...find, sort: { column: menu.column.id, direction } })}
          onRun={(scope) => run(menu.column, scope === 'selected' ? { rowIds: selectedRowIds() } : scope)}
          onEdit={() => setSide({ panel: 'column', column: menu.column })}
          onChanged={() => void data.reload('schema')}
          onError={setActionError}
          onClose={() => setMenu(undefined)}
        />
      )}
    </main>
  );
}
