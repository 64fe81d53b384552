export { budgetReason } from './budget/budget-reason';
export { cacheKey, canonicalJson } from './cache/cache-key';
export type { LineEnd } from './csv/csv-line';
export {
  csvExportChunks,
  type ExportCsvOptions,
  type ExportedCsv,
  exportCsv,
  exportCsvStream,
} from './csv/export-csv';
export { type IdRange, idPages, idRanges } from './csv/id-ranges';
export { type ImportCsvOptions, type ImportedCsv, importCsv } from './csv/import-csv';
export {
  assertSameImport,
  findKeyedImport,
  type ImportAnswer,
  type ImportIdempotency,
  lostImportKeyRace,
} from './csv/keyed-imports';
export { neutraliseCell } from './csv/neutralise-cell';
export { type CsvRecord, checkHeader, readCsv, readCsvBatches, readCsvHeader } from './csv/read-csv';
export { assertNoCycle, type SavedColumn } from './deps/assert-no-cycle';
export { autoRunPaid, runAutoColumns } from './deps/auto-run';
export { columnReads } from './deps/column-reads';
export { dependencyOrder } from './deps/dependency-order';
export { type ColumnReads, describeCycle, findCycle } from './deps/find-cycle';
export { type RunAllColumnsOptions, runAllColumns } from './deps/run-all-columns';
export { parseRunOptions, type RunOptions } from './deps/run-options';
export { runStaleAutoColumns } from './deps/run-stale-auto-columns';
export {
  type ChangeBatch,
  type RowChange,
  type RunChange,
  sliceAfter,
  type TableChange,
} from './feed/change-batch';
export { currentSeq } from './feed/current-seq';
export {
  type FeedEndReason,
  FeedHub,
  type FeedHubOptions,
  type FeedListener,
  type FeedSubscription,
  type SubscribeOptions,
} from './feed/feed-hub';
export type { AheadRead } from './feed/read-ahead';
export { readChanges } from './feed/read-changes';
export { recordChange } from './feed/record-change';
export { tableChannel } from './feed/table-channel';
export type { WireCell } from './feed/wire-cell';
export { listRateLimits, type RateLimitListing } from './limits/list-rate-limits';
export { type RateLimitOptions, RateLimits } from './limits/rate-limits';
export { assertKnownProvider, type RateLimit, setRateLimit } from './limits/set-rate-limit';
export { type CellMetric, type EngineMetrics, noMetrics } from './metrics/engine-metrics';
export {
  createPrometheusMetrics,
  type PrometheusMetrics,
  type StreamMetrics,
} from './metrics/prometheus-metrics';
export { serveMetrics } from './metrics/serve-metrics';
export * from './query';
export { deleteRows } from './rows/delete-rows';
export { getCell } from './rows/get-cell';
export { insertRowData, insertRows } from './rows/insert-rows';
export { type InsertedRows, insertKeyedRows } from './rows/keyed-row-inserts';
export { type RowCell, type RowPage, type RowWithCells, readRows } from './rows/read-rows';
export { restoreRows } from './rows/restore-rows';
export { type RowUpdate, updateRows } from './rows/update-rows';
export { type CancelledRun, cancelRun } from './runs/cancel-run';
export { getRun, type RunProgress } from './runs/get-run';
export { getRunTimeline } from './runs/get-run-timeline';
export { findKeyedRuns, type Idempotency, type KeyedRun } from './runs/keyed-runs';
export { listRuns } from './runs/list-runs';
export { startCellRun } from './runs/start-cell-run';
export { type StartedRun, type StartRunOptions, startRun } from './runs/start-run';
export { createSecretsLoader, type SecretsLoaderOptions } from './secrets/load-secrets';
export { checkSecretName } from './secrets/secret-name';
export { deleteSecret, listSecretNames, type SecretName, setSecret } from './secrets/set-secret';
export { addColumn, type NewColumn, validateColumnConfig } from './tables/add-column';
export { createTable, type TableInfo } from './tables/create-table';
export { deleteColumn } from './tables/delete-column';
export { deleteTable } from './tables/delete-table';
export { getColumn } from './tables/get-column';
export { getTable, type TableSummary } from './tables/get-table';
export { createOnce, type KeyedCreation } from './tables/keyed-creations';
export { type ColumnInfo, listColumns } from './tables/list-columns';
export { listTables } from './tables/list-tables';
export { renameTable } from './tables/rename-table';
export { reorderColumns } from './tables/reorder-columns';
export { restoreColumn } from './tables/restore-column';
export { type ColumnUpdate, updateColumn } from './tables/update-column';
export { createView } from './views/create-view';
export { deleteView } from './views/delete-view';
export { getView } from './views/get-view';
export { listViews } from './views/list-views';
export { updateView } from './views/update-view';
export { viewRowIds } from './views/view-row-ids';
export { type ClaimedCell, claimChunk } from './worker/claim-chunk';
export { createWorker, type GlazeWorker, type WorkerOptions, workerDefaults } from './worker/create-worker';
export { type CellOutcome, ResultFlusher, type RunTotals } from './worker/flush-results';
export { handBackChunks } from './worker/hand-back-chunks';
export { type PreviewColumnOptions, previewColumn } from './worker/preview-column';
export { type ReconcileResult, reconcile } from './worker/reconcile';
export { runCell } from './worker/run-cell';
export { sweepLeases } from './worker/sweep-leases';
export { bootstrapWorkspace } from './workspaces/bootstrap-workspace';
export { createSession } from './workspaces/create-session';
export { type CreatedToken, createToken, generateToken, hashToken } from './workspaces/create-token';
export { createWorkspace, type WorkspaceInfo } from './workspaces/create-workspace';
export { findSession } from './workspaces/find-session';
export { findToken, type TokenOwner } from './workspaces/find-token';
export { findWorkspace, soleWorkspace } from './workspaces/find-workspace';
export { listTokens, type TokenInfo } from './workspaces/list-tokens';
export { readAuthEpoch } from './workspaces/read-auth-epoch';
export { revokeSession } from './workspaces/revoke-session';
export { revokeToken } from './workspaces/revoke-token';
