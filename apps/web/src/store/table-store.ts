import type { Cell, Column, Row } from '@glaze/core';
import { type FeedPlan, isNewerRun, type RunSnapshot } from '@glaze/react';
import type { FeedTarget, Touched } from '../realtime/feed-target';

const cellKey = (rowId: number, columnId: number) => `${rowId}:${columnId}`;

/**
 * The table's data outside React: rows by index (loaded page by page), cells by (row, column),
 * runs by id. The grid reads it in `getCellContent`; changes repaint only the cells they touch,
 * so a 100,000-cell run never re-renders the React tree.
 */
export class TableStore implements FeedTarget {
  columns: Column[] = [];
  /** The columns the grid draws, by grid index: `columns` without the hidden ones. */
  shown: Column[] = [];
  rowCount = 0;
  lastSeq = 0;
  private rowsByIndex: (Row | undefined)[] = [];
  private indexById = new Map<number, number>();
  private cells = new Map<string, Cell>();
  private runsById = new Map<number, RunSnapshot>();
  private listeners = new Set<() => void>();
  private notifyScheduled = false;
  /** Bumped on every change, for React snapshots. */
  version = 0;

  constructor(readonly tableId: number) {}

  rowAt(index: number): Row | undefined {
    return this.rowsByIndex[index];
  }

  indexOf(rowId: number): number | undefined {
    return this.indexById.get(rowId);
  }

  cell(rowId: number, columnId: number): Cell | undefined {
    return this.cells.get(cellKey(rowId, columnId));
  }

  cellSeq(rowId: number, columnId: number): number | undefined {
    return this.cells.get(cellKey(rowId, columnId))?.seq;
  }

  run(runId: number): RunSnapshot | undefined {
    return this.runsById.get(runId);
  }

  runs(): RunSnapshot[] {
    return [...this.runsById.values()];
  }

  hasRow(rowId: number): boolean {
    return this.indexById.has(rowId);
  }

  setRowCount(count: number): void {
    this.rowCount = count;
    if (this.rowsByIndex.length > count) this.rowsByIndex.length = count;
    this.changed();
  }

  /** Stores a page of rows fetched from REST at `start`, merging its cells by seq. */
  setPage(start: number, rows: readonly Row[]): void {
    rows.forEach((row, i) => {
      const index = start + i;
      const previous = this.rowsByIndex[index];
      if (previous && previous.id !== row.id && this.indexById.get(previous.id) === index) {
        this.indexById.delete(previous.id);
      }
      this.rowsByIndex[index] = row;
      this.indexById.set(row.id, index);
      for (const [columnId, cell] of Object.entries(row.cells ?? {}))
        this.mergeCell(row.id, Number(columnId), cell);
    });
    if (start + rows.length > this.rowCount) this.rowCount = start + rows.length;
    this.changed();
  }

  /** Keeps `cell` unless the store already holds a newer one (higher seq). */
  private mergeCell(rowId: number, columnId: number, cell: Cell): boolean {
    const key = cellKey(rowId, columnId);
    const held = this.cells.get(key);
    if (held && Number(held.seq) >= Number(cell.seq)) return false;
    this.cells.set(key, cell);
    return true;
  }

  /**
   * Runs from a REST answer. The feed may already hold a later snapshot (a 30-cell run can finish
   * before the POST that started it answers), so an answer only replaces what it is newer than.
   */
  setRuns(runs: readonly RunSnapshot[]): void {
    for (const run of runs) {
      const held = this.runsById.get(run.id);
      if (!held || isNewerRun(held, run)) this.runsById.set(run.id, run);
    }
    this.changed();
  }

  /** Applies a plan from `planFeedEvent` and says what it touched. */
  commit(plan: FeedPlan): Touched {
    const touched: Touched = { cells: [], rows: [], runs: plan.runs.length > 0 };
    for (const change of plan.cells) {
      const { rowId, columnId, ...cell } = change;
      this.cells.set(cellKey(rowId, columnId), cell);
      touched.cells.push({ rowId, columnId });
    }
    for (const run of plan.runs) this.runsById.set(run.id, run);
    for (const row of plan.rows) {
      const index = this.indexById.get(row.id);
      const held = index === undefined ? undefined : this.rowsByIndex[index];
      if (index === undefined || !held) continue;
      this.rowsByIndex[index] = {
        ...held,
        position: row.position,
        values: { ...held.values, ...row.values },
      };
      touched.rows.push(row.id);
    }
    this.lastSeq = Math.max(this.lastSeq, plan.lastSeq);
    if (touched.cells.length || touched.rows.length || touched.runs) this.changed();
    return touched;
  }

  /** Values of a row by column name, enrichment values included: what templates read. */
  namedValues(index: number): Record<string, unknown> {
    const row = this.rowsByIndex[index];
    const out: Record<string, unknown> = {};
    if (!row) return out;
    for (const column of this.columns) {
      out[column.name] =
        column.kind === 'input' ? row.values[column.id] : this.cell(row.id, column.id)?.value;
    }
    return out;
  }

  /** React side: listeners run at most once per animation frame, however many changes land. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    const flush = () => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
    else queueMicrotask(flush);
  }
}
