import type { Column, RowQueryPage, Table } from '@glaze/core';
import type { Refetch } from '@glaze/react';
import type { DataEditorRef } from '@glideapps/glide-data-grid';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorText } from '../api/client';
import { countRows, listRows, queryRows, type RowQuery } from '../api/rows';
import { listRunningRuns } from '../api/runs';
import { getTable } from '../api/tables';
import { RepaintQueue } from '../grid/repaint-queue';
import { useTableFeed } from '../realtime/use-table-feed';
import { PageLoader } from '../store/page-loader';
import { QueryRowTotal } from '../store/query-row-count';
import { TableStore } from '../store/table-store';

/**
 * Everything the table page holds: the store (outside React), the page loader, the repaint queue
 * and the realtime stream, wired together. React state keeps only what changes the layout:
 * the columns and the row count. With a `rowQuery` (search, filter, sort) the grid shows the rows it
 * selects, read by offset, and `rowCount` is how many match.
 */
export function useTableData(tableId: number, rowQuery?: RowQuery) {
  const gridRef = useRef<DataEditorRef | null>(null);
  const store = useMemo(() => new TableStore(tableId), [tableId]);
  const queue = useMemo(() => new RepaintQueue(store, gridRef), [store]);
  const [table, setTable] = useState<Table>();
  const [columns, setColumnsState] = useState<Column[]>([]);
  const [rowCount, setRowCount] = useState(0);
  const [error, setError] = useState<string>();
  const [matched, setMatched] = useState<RowQueryPage['matched']>();
  const queryRef = useRef<RowQuery | undefined>(undefined);
  /** The row count a query's pages and its match count say, which arrive apart. */
  const queryTotal = useMemo(() => new QueryRowTotal(), []);
  /** Stops the count of a query the grid has left. */
  const counting = useRef<AbortController | undefined>(undefined);
  /** The table's own row count (`GET /tables/:id`), whatever the grid shows. */
  const tableRows = useRef(0);

  const showTotal = useCallback(
    (total: number) => {
      if (total === store.rowCount) return;
      store.setRowCount(total);
      setRowCount(total);
    },
    [store],
  );

  const loader = useMemo(
    () =>
      new PageLoader(
        store,
        async (cursor, limit, signal, offset) => {
          const query = queryRef.current;
          if (!query) return listRows(tableId, limit, cursor, signal);
          const page = await queryRows(tableId, query, { offset, limit, count: false }, signal);
          if (query !== queryRef.current) return { rows: [], nextCursor: null };
          showTotal(queryTotal.page(offset, limit, page.rows.length));
          return { rows: page.rows, nextCursor: null };
        },
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
    [store, queue, tableId, queryTotal, showTotal],
  );
  useEffect(() => () => loader.dispose(), [loader]);

  /**
   * Counts the query's matches beside its first page (the rows show first) and starts its row count
   * afresh; a sort alone selects every row, so the table's own count holds and nothing is counted.
   * No query: only the count under way stops.
   */
  const recount = useCallback(
    (query: RowQuery | undefined) => {
      counting.current?.abort();
      counting.current = undefined;
      setMatched(undefined);
      if (!query) return;
      if (!narrows(query)) {
        queryTotal.reset(tableRows.current);
        return;
      }
      queryTotal.reset();
      const controller = new AbortController();
      counting.current = controller;
      countRows(tableId, query, controller.signal).then(
        ({ matched }) => {
          if (query !== queryRef.current || controller.signal.aborted) return;
          setMatched(matched);
          showTotal(queryTotal.count(matched.count));
        },
        (thrown) => {
          if (!controller.signal.aborted) setError(errorText(thrown));
        },
      );
    },
    [tableId, queryTotal, showTotal],
  );
  useEffect(() => () => counting.current?.abort(), []);

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
        tableRows.current = body.table.rowCount;
        const query = queryRef.current;
        if (query) {
          // Rows added or removed: the query runs again and recounts. Rows whose cells changed
          // stay until then, even when they no longer match (README, "Find rows").
          // A sort alone: the table's own count is the query's (the page may have landed before it).
          if (!narrows(query)) showTotal(queryTotal.count(body.table.rowCount));
          if (what === 'all' || what === 'rows') {
            recount(query);
            loader.invalidate();
          }
        } else {
          const countChanged = body.table.rowCount !== store.rowCount;
          store.setRowCount(body.table.rowCount);
          setRowCount(body.table.rowCount);
          if (what === 'all' || countChanged) loader.invalidate();
        }
        if (what === 'all') store.setRuns((await listRunningRuns(tableId)).runs);
        setError(undefined);
      } catch (thrown) {
        setError(errorText(thrown));
      }
    },
    [tableId, store, loader, setColumns, recount, queryTotal, showTotal],
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

  // A new search, filter or sort: read from the top by offset and count again; none: back to the table.
  const queryKey = rowQuery ? JSON.stringify(rowQuery) : '';
  const started = useRef(false);
  useEffect(() => {
    if (!started.current && !queryKey) return;
    started.current = true;
    const query = queryKey ? (JSON.parse(queryKey) as RowQuery) : undefined;
    queryRef.current = query;
    recount(query);
    // A sort alone selects every row: the table's own (exact) count holds, nothing to estimate.
    if (query && !narrows(query) && tableRows.current > 0) {
      store.setRowCount(tableRows.current);
      setRowCount(tableRows.current);
    }
    gridRef.current?.scrollTo(0, 0);
    loader.want(0, 50);
    loader.setByOffset(queryKey !== '');
    if (!queryKey) void reload('rows');
  }, [queryKey, loader, reload, store, recount]);

  const { status, setWindow } = useTableFeed(tableId, {
    store,
    onTouched: (touched) => queue.touched(touched),
    onRefetch,
    // Rows load once the stream is subscribed: every change after a page's read then reaches us.
    onReady: () => loader.resume(),
    onTableDeleted: () => setError('This table was deleted.'),
  });

  // The stream carries cell changes of the loaded pages near the viewport only (a 100,000-cell run
  // costs a viewer ~1 MB, not ~50 MB); it follows scrolling 200 ms after it settles, and pages it
  // did not cover are read again when they come back into view.
  const windowRows = useRef<string | undefined>(undefined);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    loader.onWindowMayChange = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const plan = loader.planWindow();
        if (plan.pages.length === 0) return;
        const resubscribe = plan.rows !== windowRows.current;
        if (resubscribe) {
          windowRows.current = plan.rows;
          setWindow(plan.rows, plan.after);
        }
        loader.applyWindow(plan, resubscribe);
      }, 200);
    };
    return () => clearTimeout(timer);
  }, [loader, setWindow]);

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
    matched,
    error,
    status,
    reload,
  };
}

export type TableData = ReturnType<typeof useTableData>;

/** A search or a filter narrows the rows (and needs counting); a sort alone does not. */
const narrows = (query: RowQuery) => query.filter !== undefined || query.q !== undefined;
