import type { RowPage } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { PageLoader } from '../src/store/page-loader';
import { TableStore } from '../src/store/table-store';
import { row } from './helpers';

/** An in-memory cursor API over `total` rows: the cursor is the next row's index as text. */
function memoryPages(total: number) {
  const calls: (string | null)[] = [];
  const fetchPage = async (cursor: string | null, limit: number): Promise<RowPage> => {
    calls.push(cursor);
    const start = cursor ? Number(cursor) : 0;
    const end = Math.min(total, start + limit);
    const rows = Array.from({ length: end - start }, (_, i) => row(start + i + 1, { 1: start + i }));
    return { rows, nextCursor: end < total ? String(end) : null };
  };
  return { calls, fetchPage };
}

function loaderOf(
  store: TableStore,
  fetchPage: ReturnType<typeof memoryPages>['fetchPage'],
  prefetch = false,
) {
  const fail = (error: unknown) => {
    throw error;
  };
  const loader = new PageLoader(store, fetchPage, () => {}, fail, 100, prefetch);
  loader.resume();
  return loader;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await settle();
}

describe('PageLoader', () => {
  it('loads the visible page and the one after it', async () => {
    const store = new TableStore(1);
    store.setRowCount(10_000);
    const { calls, fetchPage } = memoryPages(10_000);
    const loader = loaderOf(store, fetchPage);
    loader.want(0, 30);
    await until(() => loader.isLoaded(1));
    expect(calls).toEqual([null, '100']);
    expect(store.rowAt(150)?.id).toBe(151);
    expect(store.rowAt(250)).toBeUndefined();
  });

  it('follows the row window: pages it stops covering are read again when they come back into view', async () => {
    const store = new TableStore(1);
    store.setRowCount(1_000);
    const { calls, fetchPage } = memoryPages(1_000);
    const loader = loaderOf(store, fetchPage);
    loader.want(0, 30);
    await until(() => loader.isLoaded(1));
    const first = loader.planWindow();
    expect(first.rows).toBe('1-200');
    loader.applyWindow(first, true);
    loader.want(450, 480);
    await until(() => loader.isLoaded(5));
    const second = loader.planWindow();
    // pages 4 and 5 were read under the current window: they join it; pages 0 and 1 leave it
    expect(second.rows).toBe('401-600');
    expect(second.stale.sort()).toEqual([0, 1]);
    loader.applyWindow(second, true);
    calls.length = 0;
    loader.want(0, 30);
    await until(() => loader.isLoaded(1));
    expect(calls).toEqual([null, '100']);
  });

  it('walks the cursor chain to reach a far page, once per page', async () => {
    const store = new TableStore(1);
    store.setRowCount(1_000);
    const { calls, fetchPage } = memoryPages(1_000);
    const loader = loaderOf(store, fetchPage);
    loader.want(750, 780);
    await until(() => loader.isLoaded(8));
    expect(calls).toEqual([null, '100', '200', '300', '400', '500', '600', '700', '800']);
    expect(store.rowAt(760)?.values[1]).toBe(760);
  });

  it('stops at the last page even when the row count promised more', async () => {
    const store = new TableStore(1);
    store.setRowCount(500);
    const { calls, fetchPage } = memoryPages(250);
    const loader = loaderOf(store, fetchPage);
    loader.want(400, 450);
    await until(() => loader.isLoaded(2));
    await settle();
    expect(calls).toEqual([null, '100', '200']);
  });

  it('refetches from the start after invalidate, dropping answers of the old generation', async () => {
    const store = new TableStore(1);
    store.setRowCount(300);
    const { calls, fetchPage } = memoryPages(300);
    const loader = loaderOf(store, fetchPage);
    loader.want(0, 10);
    await until(() => loader.isLoaded(1));
    loader.invalidate();
    expect(loader.isLoaded(0)).toBe(false);
    await until(() => loader.isLoaded(1));
    expect(calls).toEqual([null, '100', null, '100']);
    expect(store.rowAt(0)?.id).toBe(1);
  });

  it('prefetches the rest in the background, one page at a time, once the viewport is served', async () => {
    const store = new TableStore(1);
    store.setRowCount(450);
    const { calls, fetchPage } = memoryPages(450);
    let concurrent = 0;
    let most = 0;
    const counted: typeof fetchPage = async (cursor, limit) => {
      most = Math.max(most, ++concurrent);
      await settle();
      concurrent--;
      return fetchPage(cursor, limit);
    };
    const loader = loaderOf(store, counted, true);
    loader.want(0, 10);
    await until(() => loader.isLoaded(4));
    expect(calls).toEqual([null, '100', '200', '300', '400']);
    expect(store.rowAt(449)?.id).toBe(450);
    expect(most).toBe(1);
  });
});
