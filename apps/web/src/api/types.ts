import type { CellStatus, ColumnKind, RunStatus } from '@glaze/core';

/** Shapes of the /api/v1 JSON bodies the web app reads (see docs/API.md). */

export interface Workspace {
  id: number;
  name: string;
}

export interface TableSummary {
  id: number;
  name: string;
  rowCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Column {
  id: number;
  tableId: number;
  name: string;
  kind: ColumnKind;
  provider: string | null;
  config: Record<string, unknown>;
  position: number;
}

export interface Cell {
  id: number;
  status: CellStatus;
  value: unknown;
  error: string | null;
  attempt: number;
  tries: number;
  runId: number | null;
  cost: number | null;
  meta: Record<string, unknown> | null;
  startedAt: string | null;
  finishedAt: string | null;
  seq: number;
}

/** A cell as the change feed sends it: it names its row and column. */
export interface CellChange extends Cell {
  rowId: number;
  columnId: number;
}

export interface Row {
  id: number;
  position: number;
  /** Input values by column id. */
  values: Record<string, unknown>;
  /** Enrichment cells by column id. */
  cells?: Record<string, Cell>;
}

export interface RowsPage {
  rows: Row[];
  nextCursor: string | null;
}

/**
 * Cells of a run per state. REST answers split the unfinished cells into queued and running; the
 * change feed sends only the finished counts and `pending` (total minus finished).
 */
export interface RunCounts {
  done: number;
  error: number;
  skipped: number;
  cancelled: number;
  queued?: number;
  running?: number;
}

export interface Run {
  id: number;
  tableId: number;
  columnId: number;
  status: RunStatus;
  total: number;
  counts: RunCounts;
  /** Cells not finished yet (change feed). */
  pending?: number;
  cost: number;
  createdAt: string;
  finishedAt: string | null;
  /** REST answers only; change-feed snapshots carry the timestamps. */
  elapsedSeconds?: number;
  /** Present when the server sends it; orders run snapshots like cell seq does. */
  seq?: number;
}

export type RunScope = 'all' | 'empty' | 'errors' | 'stale' | { rowIds: number[] };

/** A JSON Schema node as zod 4's `z.toJSONSchema` writes it (input side). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
}

export interface ProviderInfo {
  id: string;
  description: string;
  configSchema: JsonSchema;
}
