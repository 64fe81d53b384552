import type { Column, Table } from '@glaze/core';
import type { DataEditorRef } from '@glideapps/glide-data-grid';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorText } from '../api/client';
import { listRows } from '../api/rows';
import { listRunningRuns } from '../api/runs';
import { getTable } from '../api/tables';
import { RepaintQueue } from '../grid/repaint-queue';
import type { Refetch } from '../realtime/feed-event';
import { useRealtimeEnrichment } from '../realtime/use-realtime-enrichment';
import { PageLoader } from '../store/page-loader';
import { TableStore } from '../store/table-store';

/**
 * Everything the table page holds: the store (outside React), the page loader, the repaint queue
 * and the realtime stream, wired together. React state keeps only what changes the layout:
 * the columns and the row count.
 */
export function useTableData(tableId: number) {
  const gridRef = useRef<DataEditorRef | null>(null);
  const store = useMemo(() => new TableStore(tableId), [tableId]);
  const queue = useMemo(() => new RepaintQueue(store, gridRef), [store]);
  const [table, setTable] = useState<Table>();
  const [columns, setColumnsState] = useState<Column[]>([]);
  const [rowCount, setRowCount] = useState(0);
  const [error, setError] = useState<string>();

  const loader = useMemo(
    () =>
      new PageLoader(
        store,
        (cursor, limit, signal) => listRows(tableId, limit, cursor, signal),
        (start, count) => {
          queue.rows(start, count);
          // For scripts/perf.ts: the table is interactive once its first rows are on screen.
          if (start === 0) performance.mark('glaze:first-rows');
          performance.mark('glaze:rows', { detail: { start, count } });
        },
        (thrown) => setError(errorText(thrown)),
        1000,
        true,
      ),
    [store, queue, tableId],
  );
  useEffect(() => () => loader.dispose(), [loader]);

  const setColumns = useCallback(
    (next: Column[]) => {
      store.columns = next;
      setColumnsState(next);
    },
    [store],
  );

  /** Reloads the table (name, row count, columns); `rows` also drops the loaded pages. */
  const reload = useCallback(
    async (what: Exclude<Refetch, 'none'>) => {
      try {
        const body = await getTable(tableId);
        setTable(body.table);
        setColumns([...body.columns].sort((a, b) => a.position - b.position));
        const countChanged = body.table.rowCount !== store.rowCount;
        store.setRowCount(body.table.rowCount);
        setRowCount(body.table.rowCount);
        if (what === 'all' || countChanged) loader.invalidate();
        if (what === 'all') store.setRuns((await listRunningRuns(tableId)).runs);
        setError(undefined);
      } catch (thrown) {
        setError(errorText(thrown));
      }
    },
    [tableId, store, loader, setColumns],
  );

  // Rows arrive in bursts during an import: one reload per 300 ms at most.
  const rowsTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const onRefetch = useCallback(
    (what: Exclude<Refetch, 'none'>) => {
      if (what !== 'rows') return void reload(what);
      clearTimeout(rowsTimer.current);
      rowsTimer.current = setTimeout(() => void reload('rows'), 300);
    },
    [reload],
  );

  useEffect(() => {
    void reload('schema');
    listRunningRuns(tableId).then(
      ({ runs }) => store.setRuns(runs),
      () => {},
    );
  }, [reload, tableId, store]);

  const { status } = useRealtimeEnrichment(tableId, {
    store,
    onTouched: (touched) => queue.touched(touched),
    onRefetch,
    // Rows load once the stream is subscribed: every change after a page's read then reaches us.
    onReady: () => loader.resume(),
    onTableDeleted: () => setError('This table was deleted.'),
  });

  // Without a stream (a proxy that blocks SSE) the table must still load.
  useEffect(() => {
    const timer = setTimeout(() => loader.resume(), 2000);
    return () => clearTimeout(timer);
  }, [loader]);

  return {
    gridRef,
    store,
    queue,
    loader,
    table,
    setTable,
    columns,
    setColumns,
    rowCount,
    error,
    status,
    reload,
  };
}

export type TableData = ReturnType<typeof useTableData>;
