import type { FeedPlan, FeedView } from '@glaze/react';

/** A cell an event changed, by ids; the grid maps it to a screen position. */
export interface TouchedCell {
  rowId: number;
  columnId: number;
}

/** What applying an event changed: the cells and rows to repaint, and whether runs moved. */
export interface Touched {
  cells: TouchedCell[];
  rows: number[];
  runs: boolean;
}

/**
 * What the table feed applies events to: it reads what is held (FeedView) and commits the plans of
 * `planFeedEvent` (@glaze/react). The table store implements it; realtime/ never imports the store.
 */
export interface FeedTarget extends FeedView {
  /** Applies a plan from `planFeedEvent` and says what it touched. */
  commit(plan: FeedPlan): Touched;
}
