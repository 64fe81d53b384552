import { AppError, type Filter, filterSchema, parseOrThrow } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { compileQuery } from './compile-query';

/**
 * The ids of the rows a filter (and a search) selects, in (position, id) order, for a run over
 * "the rows of this view" or an export. Refuses more than `max` (a run's row list is capped at
 * 100,000), naming `field` (default: the filter's own path).
 */
export async function matchingRowIds(
  pool: Pool,
  input: { tableId: number; filter?: Filter; q?: string; fieldPrefix?: string; field?: string; max?: number },
): Promise<number[]> {
  const prefix = input.fieldPrefix ?? '';
  const field = input.field ?? `${prefix}filter`;
  const max = input.max ?? 100_000;
  const filter =
    input.filter === undefined ? undefined : parseOrThrow(filterSchema, input.filter, `${prefix}filter`);
  const { rows: columns } = await pool.query('select id::int, name, kind from columns where table_id = $1', [
    input.tableId,
  ]);
  const compiled = compileQuery(input.tableId, columns, { filter, q: input.q }, prefix);
  const n = compiled.params.length;
  const { rows } = await pool.query(
    `select r.id from ${compiled.from} where ${compiled.where} order by r.position, r.id limit $${n + 1}`,
    [...compiled.params, max + 1],
  );
  if (rows.length > max)
    throw new AppError(
      'validation_failed',
      `matches more than ${max.toLocaleString('en')} rows; narrow it`,
      field,
    );
  return rows.map((r) => Number(r.id));
}
