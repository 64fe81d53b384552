import type { FeedEvent } from '@glaze/client';
import { isNewerRun, planFeedEvent } from '@glaze/react';
import { describe, expect, it } from 'vitest';
import { TableStore } from '../src/store/table-store';
import { change, changes, row, rowChange, run, runChange } from './helpers';

function storeWithRows(count: number): TableStore {
  const store = new TableStore(1);
  store.setPage(
    0,
    Array.from({ length: count }, (_, i) => row(i + 1, { 1: `r${i + 1}` })),
  );
  return store;
}

function apply(store: TableStore, event: FeedEvent) {
  const plan = planFeedEvent(store, event);
  return { plan, touched: store.commit(plan) };
}

describe('planFeedEvent', () => {
  it('applies a newer cell change and reports the cell as touched', () => {
    const store = storeWithRows(3);
    const { touched } = apply(store, changes({ seq: 5, cells: [change(2, 9, 5, 'running')] }));
    expect(store.cell(2, 9)?.status).toBe('running');
    expect(touched.cells).toEqual([{ rowId: 2, columnId: 9 }]);
    expect(store.lastSeq).toBe(5);
  });

  it('ignores a change older than the cell it would replace (out of order)', () => {
    const store = storeWithRows(1);
    apply(store, changes({ cells: [change(1, 9, 10, 'done', 'new')] }));
    const { plan, touched } = apply(store, changes({ cells: [change(1, 9, 8, 'running')] }));
    expect(store.cell(1, 9)).toMatchObject({ status: 'done', value: 'new', seq: 10 });
    expect(plan.ignored).toBe(1);
    expect(touched.cells).toEqual([]);
  });

  it('ignores a duplicate delivery of the same event', () => {
    const store = storeWithRows(2);
    const event = changes({ seq: 4, cells: [change(1, 9, 3, 'done', 'a'), change(2, 9, 4, 'error')] });
    apply(store, event);
    const again = apply(store, event);
    expect(again.plan.ignored).toBe(2);
    expect(again.touched.cells).toHaveLength(0);
    expect(store.cell(2, 9)?.status).toBe('error');
  });

  it('keeps the highest seq when one event carries a cell twice, in any order', () => {
    const store = storeWithRows(1);
    apply(
      store,
      changes({
        cells: [change(1, 9, 7, 'done', 'final'), change(1, 9, 6, 'running'), change(1, 9, 5, 'queued')],
      }),
    );
    expect(store.cell(1, 9)).toMatchObject({ status: 'done', value: 'final' });
  });

  it('resumes after a drop: a replay overlapping what was seen ends where one clean pass ends', () => {
    const events = [1, 2, 3, 4, 5, 6, 7, 8].map((seq) =>
      changes({ seq, cells: [change((seq % 3) + 1, 9, seq, seq % 2 ? 'running' : 'done', `v${seq}`)] }),
    );
    const clean = storeWithRows(3);
    for (const event of events) apply(clean, event);

    const resumed = storeWithRows(3);
    for (const event of events.slice(0, 5)) apply(resumed, event);
    // The connection drops; EventSource reconnects with Last-Event-ID and the server replays from 3.
    for (const event of events.slice(2)) apply(resumed, event);

    for (const rowId of [1, 2, 3]) expect(resumed.cell(rowId, 9)).toEqual(clean.cell(rowId, 9));
    expect(resumed.lastSeq).toBe(8);
  });

  it('does not let a REST page read before a change overwrite it', () => {
    const store = new TableStore(1);
    store.setRowCount(1);
    apply(store, changes({ cells: [change(1, 9, 20, 'done', 'live')] }));
    store.setPage(0, [row(1, {}, [change(1, 9, 12, 'running')])]);
    expect(store.cell(1, 9)).toMatchObject({ status: 'done', value: 'live', seq: 20 });
  });

  it('keeps changes for rows not loaded yet, so a later page shows them', () => {
    const store = new TableStore(1);
    store.setRowCount(1000);
    apply(store, changes({ cells: [change(900, 9, 30, 'done', 'far')] }));
    store.setPage(899, [row(900, {}, [change(900, 9, 2, 'idle')])]);
    expect(store.cell(900, 9)?.value).toBe('far');
  });

  it('asks for a full refetch on reset and changes nothing else', () => {
    const store = storeWithRows(1);
    apply(store, changes({ cells: [change(1, 9, 3, 'done', 'x')] }));
    const { plan, touched } = apply(store, { event: 'reset', data: { reason: 'slow' } });
    expect(plan.refetch).toBe('all');
    expect(touched.cells).toEqual([]);
    expect(store.cell(1, 9)?.value).toBe('x');
  });

  it('takes the seq of a ready frame as the resume point', () => {
    const store = storeWithRows(1);
    apply(store, { event: 'ready', data: { tableId: 1, seq: 120 } });
    expect(store.lastSeq).toBe(120);
    apply(store, { event: 'ready', data: { tableId: 1, seq: 90 } });
    expect(store.lastSeq).toBe(120);
  });

  it('asks for a schema refetch when columns change', () => {
    expect(planFeedEvent(storeWithRows(1), { event: 'schema', data: { tableId: 1 } }).refetch).toBe('schema');
  });

  it('refetches rows when a known row is deleted or an unknown row appears, not otherwise', () => {
    const store = storeWithRows(2);
    expect(planFeedEvent(store, { event: 'rowsDeleted', data: { ids: [2] } }).refetch).toBe('rows');
    expect(planFeedEvent(store, { event: 'rowsDeleted', data: { ids: [99] } }).refetch).toBe('none');
    expect(planFeedEvent(store, changes({ rows: [rowChange(50, { 1: 'new' })] })).refetch).toBe('rows');
  });

  it('merges new input values into a known row', () => {
    const store = storeWithRows(2);
    const { touched } = apply(store, changes({ rows: [rowChange(2, { 1: 'edited' })] }));
    expect(store.rowAt(1)?.values[1]).toBe('edited');
    expect(touched.rows).toEqual([2]);
  });

  it('keeps the latest run snapshot and never reopens a finished run', () => {
    const store = storeWithRows(1);
    // A REST answer (no seq) first, then feed snapshots: without two seqs, progress only grows.
    store.setRuns([run(7, 'running', 4)]);
    apply(store, changes({ runs: [runChange(7, 'running', 2, 2)] }));
    expect(store.run(7)?.counts.done).toBe(4);
    apply(store, changes({ runs: [runChange(7, 'done', 10, 10)] }));
    apply(store, changes({ runs: [runChange(7, 'running', 9, 9)] }));
    expect(store.run(7)?.status).toBe('done');
    expect(isNewerRun(runChange(7, 'done', 10, 10), run(7, 'running', 9))).toBe(false);
  });

  it('keeps the finished run the feed delivered before the REST answer that started it', () => {
    const store = storeWithRows(1);
    // Under load the run finishes and the feed says so before the POST's answer (running, 0 done) lands.
    apply(store, changes({ runs: [runChange(7, 'done', 10, 10)] }));
    store.setRuns([run(7, 'running', 0)]);
    expect(store.run(7)?.status).toBe('done');
    // A REST answer that is newer still replaces what is held.
    store.setRuns([run(8, 'running', 1)]);
    store.setRuns([run(8, 'done', 3)]);
    expect(store.run(8)?.status).toBe('done');
  });

  it('orders feed snapshots by seq', () => {
    expect(isNewerRun(runChange(1, 'running', 5, 10), runChange(1, 'running', 6, 9))).toBe(false);
    expect(isNewerRun(runChange(1, 'running', 5, 10), runChange(1, 'running', 5, 11))).toBe(true);
  });
});
