import type { components } from './generated/api.js';

type Schemas = components['schemas'];

/** A cell as the event stream sends it: the REST shape with its row and column. */
export type CellChange = Schemas['Cell'] & { rowId: number; columnId: number };
/** A row whose input values changed or that was added. */
export type RowChange = Omit<Schemas['Row'], 'cells'> & { seq: number };
/** A run's newest counts. */
export type RunChange = Omit<Schemas['Run'], 'counts' | 'elapsedSeconds'> & {
  /** The settled cells; `pending` is the rest of `total`. */
  counts: { done: number; error: number; skipped: number; cancelled: number };
  pending: number;
  seq: number;
};

/** The data of each event of `GET /tables/{id}/events` (docs/API.md describes when each comes). */
export interface FeedFrames {
  ready: { tableId: number; seq: number };
  changes: { cells: CellChange[]; runs: RunChange[]; rows: RowChange[] };
  progress: { runs: RunChange[]; cells: CellChange[] };
  schema: { tableId: number };
  rowsDeleted: { ids: number[] };
  reset: { reason: 'slow' | 'unavailable' };
  tableDeleted: { tableId: number };
}

export type FeedEvent = {
  [N in keyof FeedFrames]: { event: N; data: FeedFrames[N]; id?: number };
}[keyof FeedFrames];
