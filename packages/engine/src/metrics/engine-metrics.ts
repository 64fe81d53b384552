/** What a cell's result tells the metrics: how it ended and how many calls it took. */
export interface CellMetric {
  status: 'done' | 'error' | 'skipped';
  tries: number;
  meta: Record<string, unknown> | null;
}

/**
 * What the worker reports as it works, for an operator's dashboards (prometheus-metrics.ts turns it
 * into Prometheus series). Called on the hot path: implementations only count.
 */
export interface EngineMetrics {
  /** A cell's result was handed to the writer: `callMs` is null when no call was made (skip, cache, wait). */
  cellWritten(provider: string, cell: CellMetric, callMs: number | null): void;
  /** A chunk's every result is written: ms since it was claimed. */
  chunkWritten(provider: string, ms: number): void;
  /** A flush saw these runs end (each run is seen ending by exactly one flush). */
  runsEnded(runIds: readonly number[]): void;
}

/** Counts nothing: the worker's default when no metrics were asked for. */
export const noMetrics: EngineMetrics = {
  cellWritten: () => {},
  chunkWritten: () => {},
  runsEnded: () => {},
};
