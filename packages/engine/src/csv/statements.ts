import { loadStatement } from '../load-statement';

export const csvStatements = {
  exportHeaders: loadStatement(import.meta.url, 'export-headers'),
  exportPage: loadStatement(import.meta.url, 'export-page'),
  exportRowsById: loadStatement(import.meta.url, 'export-rows-by-id'),
  exportCellsRange: loadStatement(import.meta.url, 'export-cells-range'),
  exportCellsIds: loadStatement(import.meta.url, 'export-cells-ids'),
  exportLargeValues: loadStatement(import.meta.url, 'export-large-values'),
  appendedRows: loadStatement(import.meta.url, 'appended-rows'),
  insertStaged: loadStatement(import.meta.url, 'insert-staged'),
  upsertStaged: loadStatement(import.meta.url, 'upsert-staged'),
} as const;
