export { budgetReason } from './budget/budget-reason';
export { cacheKey, canonicalJson } from './cache/cache-key';
export { type CancelledRun, cancelRun } from './cancel-run';
export { type ClaimedCell, claimChunk } from './claim-chunk';
export { createWorker, type GlazeWorker, type WorkerOptions } from './create-worker';
export {
  csvExportRecords,
  type ExportCsvOptions,
  type ExportedCsv,
  exportCsv,
  exportCsvStream,
} from './csv/export-csv';
export { appendIdRanges, type IdRange, idPages } from './csv/id-ranges';
export { type ImportCsvOptions, type ImportedCsv, importCsv } from './csv/import-csv';
export { neutraliseCell } from './csv/neutralise-cell';
export { type CsvRecord, checkHeader, readCsv, readCsvHeader } from './csv/read-csv';
export { assertNoCycle, type SavedColumn } from './deps/assert-no-cycle';
export { runAutoColumns } from './deps/auto-run';
export { columnReads } from './deps/column-reads';
export { type ColumnReads, describeCycle, findCycle } from './deps/find-cycle';
export { parseRunOptions, type RunOptions } from './deps/run-options';
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
} from './feed/feed-hub';
export { readChanges } from './feed/read-changes';
export { recordChange } from './feed/record-change';
export { type CellOutcome, ResultFlusher, type RunTotals } from './flush-results';
export { getRun, type RunProgress } from './get-run';
export { handBackChunks } from './hand-back-chunks';
export type { RateLimitOptions } from './limits/rate-limits';
export { type RateLimit, setRateLimit } from './limits/set-rate-limit';
export * from './query';
export { type ReconcileResult, reconcile } from './reconcile';
export { runCell } from './run-cell';
export { createSecretsLoader, type SecretsLoaderOptions } from './secrets/load-secrets';
export { checkSecretName } from './secrets/secret-name';
export { deleteSecret, listSecretNames, type SecretName, setSecret } from './secrets/set-secret';
export { type StartedRun, type StartRunOptions, startRun } from './start-run';
export { sweepLeases } from './sweep-leases';
export { addColumn, type NewColumn, validateColumnConfig } from './tables/add-column';
export { bootstrapWorkspace } from './tables/bootstrap-workspace';
export type { CellInfo } from './tables/cell-fields';
export { createSession } from './tables/create-session';
export { createTable, type TableInfo } from './tables/create-table';
export { type CreatedToken, createToken, generateToken, hashToken } from './tables/create-token';
export { createWorkspace, type WorkspaceInfo } from './tables/create-workspace';
export { deleteColumn } from './tables/delete-column';
export { deleteRows } from './tables/delete-rows';
export { deleteTable } from './tables/delete-table';
export { findSession } from './tables/find-session';
export { findToken, type TokenOwner } from './tables/find-token';
export { findWorkspace } from './tables/find-workspace';
export { getColumn } from './tables/get-column';
export { getTable, type TableSummary } from './tables/get-table';
export { insertRowData, insertRows } from './tables/insert-rows';
export { type ColumnInfo, listColumns } from './tables/list-columns';
export { listRuns } from './tables/list-runs';
export { listTables } from './tables/list-tables';
export { listTokens, type TokenInfo } from './tables/list-tokens';
export { readAuthEpoch } from './tables/read-auth-epoch';
export { type RowCell, type RowPage, type RowWithCells, readRows } from './tables/read-rows';
export { renameTable } from './tables/rename-table';
export { reorderColumns } from './tables/reorder-columns';
export { revokeSession } from './tables/revoke-session';
export { revokeToken } from './tables/revoke-token';
export { startCellRun } from './tables/start-cell-run';
export { type ColumnUpdate, updateColumn } from './tables/update-column';
export { type RowUpdate, updateRows } from './tables/update-rows';
