import { lookup, type RowValues, templateColumns, valueToText } from '@glaze/core';

/**
 * True when every column the templates read is blank in this row. Static text and secrets do
 * not count: `Bearer {{secret.KEY}}` or `https://api.x/?q={{Domain}}` with a blank Domain has no
 * input. Templates that read no column at all are never blank (there is nothing to wait for).
 */
export function inputsAreBlank(templates: readonly string[], row: RowValues): boolean {
  const columns = templateColumns(templates);
  return columns.length > 0 && columns.every((name) => valueToText(lookup(row, name)).trim() === '');
}
