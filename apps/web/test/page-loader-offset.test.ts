import type { RowPage } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { PageLoader } from '../src/store/page-loader';
import { TableStore } from '../src/store/table-store';
import { row } from './helpers';

/** An in-memory query result of `total` rows read by offset, recording each offset asked for. */
function offsetPages(total: number) {
  const offsets: number[] = [];
  const fetchPage = async (_cursor: string | null, limit: number, _signal: AbortSignal, offset: number) => {
    offsets.push(offset);
    const end = Math.min(total, offset + limit);
    const rows = Array.from({ length: Math.max(0, end - offset) }, (_, i) =>
      row(offset + i + 1, { 1: offset + i }),
    );
    return { rows, nextCursor: null } satisfies RowPage;
  };
  return { offsets, fetchPage };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await settle();
}

function loaderOf(store: TableStore, fetchPage: ReturnType<typeof offsetPages>['fetchPage']) {
  const loader = new PageLoader(
    store,
    fetchPage,
    () => {},
    (error) => {
      throw error;
    },
    100,
    true,
  );
  return loader;
}

describe('PageLoader while a query is active (offset mode)', () => {
  it('loads a deep window by its offset alone, not every page before it', async () => {
    const store = new TableStore(1);
    store.setRowCount(100_000);
    const { offsets, fetchPage } = offsetPages(100_000);
    const loader = loaderOf(store, fetchPage);
    loader.setByOffset(true);
    loader.want(75_010, 75_040);
    loader.resume();
    await until(() => loader.isLoaded(751));
    await settle();
    expect(offsets.sort((a, b) => a - b)).toEqual([75_000, 75_100]);
    expect(store.rowAt(75_020)?.values[1]).toBe(75_020);
    // Offset mode prefetches nothing: a filtered million-row table is not read page by page.
    expect(store.rowAt(0)).toBeUndefined();
  });

  it('back in cursor mode, the same jump walks the chain from the first page again', async () => {
    const store = new TableStore(1);
    store.setRowCount(1_000);
    const calls: (string | null)[] = [];
    const fetchPage = async (cursor: string | null, limit: number): Promise<RowPage> => {
      calls.push(cursor);
      const start = cursor ? Number(cursor) : 0;
      const end = Math.min(1_000, start + limit);
      return { rows: [row(start + 1, {})], nextCursor: end < 1_000 ? String(end) : null };
    };
    const loader = new PageLoader(
      store,
      fetchPage,
      () => {},
      () => {},
      100,
    );
    loader.setByOffset(true);
    loader.setByOffset(false);
    loader.want(350, 360);
    loader.resume();
    await until(() => loader.isLoaded(4));
    expect(calls).toEqual([null, '100', '200', '300', '400']);
  });
});
