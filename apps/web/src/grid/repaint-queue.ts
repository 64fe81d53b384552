import type { DataEditorRef, Item, Rectangle } from '@glideapps/glide-data-grid';
import type { Touched } from '../realtime/feed-target';
import type { TableStore } from '../store/table-store';

/**
 * Collects cells to repaint and hands them to glide's `updateCells` once per animation frame,
 * only those on screen: a flush of 1,000 changed cells costs a repaint of the handful visible.
 */
export class RepaintQueue {
  private pending = new Map<number, Item>();
  private scheduled = false;
  /** What the grid shows, from `onVisibleRegionChanged`. */
  visible: Rectangle = { x: 0, y: 0, width: 0, height: 0 };

  constructor(
    private readonly store: TableStore,
    private readonly grid: { current: DataEditorRef | null },
  ) {}

  /** Queues what a store commit touched. */
  touched(touched: Touched): void {
    if (touched.cells.length === 0 && touched.rows.length === 0) return;
    const columnIndex = new Map(this.store.shown.map((column, index) => [column.id, index]));
    for (const { rowId, columnId } of touched.cells) {
      const row = this.store.indexOf(rowId);
      const col = columnIndex.get(columnId);
      if (row !== undefined && col !== undefined) this.add(col, row);
    }
    for (const rowId of touched.rows) {
      const row = this.store.indexOf(rowId);
      if (row !== undefined) for (let col = 0; col < this.store.shown.length; col++) this.add(col, row);
    }
    this.schedule();
  }

  /** Queues whole rows, e.g. a page that just loaded. */
  rows(start: number, count: number): void {
    const from = Math.max(start, this.visible.y);
    const to = Math.min(start + count, this.visible.y + this.visible.height + 1);
    for (let row = from; row < to; row++) {
      for (let col = 0; col < this.store.shown.length; col++) this.add(col, row);
    }
    this.schedule();
  }

  private add(col: number, row: number): void {
    const v = this.visible;
    if (row < v.y || row > v.y + v.height || col < v.x - 1 || col > v.x + v.width) return;
    this.pending.set(row * 4096 + col, [col, row]);
  }

  private schedule(): void {
    if (this.scheduled || this.pending.size === 0) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      const cells = [...this.pending.values()].map((cell) => ({ cell }));
      this.pending.clear();
      this.grid.current?.updateCells(cells);
    });
  }
}
