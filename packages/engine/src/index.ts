export { type CancelledRun, cancelRun } from './cancel-run';
export { type ClaimedCell, claimChunk } from './claim-chunk';
export { createWorker, type GlazeWorker, type WorkerOptions } from './create-worker';
export { type CellOutcome, ResultFlusher, type RunTotals } from './flush-results';
export { getRun, type RunProgress } from './get-run';
export { runCell } from './run-cell';
export { type StartedRun, type StartRunOptions, startRun } from './start-run';
export { sweepLeases } from './sweep-leases';
export { addColumn, type NewColumn, validateColumnConfig } from './tables/add-column';
export { createTable, type TableInfo } from './tables/create-table';
export { insertRowData, insertRows } from './tables/insert-rows';
export { type ColumnInfo, listColumns } from './tables/list-columns';
export {
  csvExportRecords,
  exportCsv,
  exportCsvStream,
  type ExportCsvOptions,
  type ExportedCsv,
} from './csv/export-csv';
export { type ImportCsvOptions, type ImportedCsv, importCsv } from './csv/import-csv';
export { type CsvRecord, checkHeader, readCsv, readCsvHeader } from './csv/read-csv';
