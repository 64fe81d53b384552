import { readFileSync } from 'node:fs';

/** The CSV statements, one file each in ./sql, run as named prepared statements. */
function load(name: string): { name: string; text: string } {
  return {
    name: `glaze_csv_${name.replaceAll('-', '_')}`,
    text: readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8'),
  };
}

export const csvStatements = {
  exportHeaders: load('export-headers'),
  exportPage: load('export-page'),
  exportCellsRange: load('export-cells-range'),
  exportCellsIds: load('export-cells-ids'),
  upsertStaged: load('upsert-staged'),
} as const;
