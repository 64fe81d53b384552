import { AppError, type Condition, type Filter, type Sort } from '@glaze/core';
import type { IndexWant } from './index-wants';
import { type QueryColumn, type ResolvedColumn, resolveColumn } from './resolve-column';

/** A row query as SQL: `select … from ${from} where ${where} order by ${orderBy}`, values in `params`. */
export interface CompiledQuery {
  tableId: number;
  /** No filter, search or sort: every row of the table in (position, id) order. */
  plain: boolean;
  from: string;
  where: string;
  orderBy: string;
  params: unknown[];
  /** Indexes that would serve this query (created on demand, see request-query-indexes.ts). */
  indexes: IndexWant[];
  /**
   * Set when the sort key is in a column's cells: `innerFrom` joins that column's cells with an
   * inner join, so the page can be read in the order of the cells' index (see page-statement.ts).
   */
  sortCell?: { alias: string; key: string; direction: 'asc' | 'desc'; innerFrom: string };
  /** Conditions that ask for LIKE over folded text: the planner misjudges how many rows they match. */
  fuzzy: boolean;
}

/**
 * Compiles a filter, a sort and a search into parameterised SQL over `rows r`. Every value is a
 * parameter; what is written into the text is only ids the database gave (table and column ids,
 * checked integers) and value paths limited to [A-Za-z0-9_ -]: an on-demand index serves a query only
 * when both spell the same expression, and `data->>$1` would never match `data->>'12'`.
 */
export function compileQuery(
  tableId: number,
  columns: readonly QueryColumn[],
  query: { filter?: Filter; sort?: Sort; q?: string },
  /** Where the query sits in the request, for error paths (`scope.` makes `scope.filter.and[0].column`). */
  fieldPrefix = '',
): CompiledQuery {
  const table = checkedId(tableId);
  const params: unknown[] = [];
  const param = (value: unknown, cast: string) => `$${params.push(value)}::${cast}`;
  const joins = new Map<string, string>();
  const indexes: IndexWant[] = [];
  const cellAlias = (columnId: number) => {
    const alias = `c${columnId}`;
    joins.set(
      alias,
      `left join cells ${alias} on ${alias}.column_id = ${columnId} and ${alias}.row_id = r.id`,
    );
    return alias;
  };
  const chunkAlias = (columnId: number) => {
    const alias = `k${columnId}`;
    joins.set(alias, `left join chunks ${alias} on ${alias}.id = c${columnId}.chunk_id`);
    return alias;
  };
  /** The column's value as text, written for the query (`r.`/`cN.`) or for an index (no alias). */
  const textOf = (col: ResolvedColumn, forIndex = false) =>
    col.kind === 'input'
      ? `(${forIndex ? '' : 'r.'}data->>'${col.id}')`
      : `(${forIndex ? '' : `${cellAlias(col.id)}.`}value #>> ${pathLiteral(col.path)})`;

  const compileCondition = (c: Condition, field: string): string => {
    const col = resolveColumn(columns, c.column, 'path' in c ? c.path : undefined, field);
    if (c.op === 'status') {
      if (col.kind !== 'cell' || col.path.length > 0)
        throw new AppError('validation_failed', 'only enrichment columns have a status', `${field}.column`);
      const cell = cellAlias(col.id);
      indexes.push({
        on: 'cells',
        columnId: col.id,
        tableId: table,
        definition: `(status, row_id) where column_id = ${col.id}`,
      });
      const direct = c.value.filter((s) => s !== 'idle' && s !== 'queued' && s !== 'running');
      const parts: string[] = [];
      if (direct.length > 0) parts.push(`${cell}.status = any(${param(direct, 'text[]')})`);
      if (c.value.includes('idle')) parts.push(`coalesce(${cell}.status, 'idle') = 'idle'`);
      if (c.value.includes('queued') || c.value.includes('running')) {
        const chunk = chunkAlias(col.id);
        // a queued cell whose chunk a worker holds reads as running (the cell_states view)
        if (c.value.includes('queued') && c.value.includes('running'))
          parts.push(`${cell}.status = 'queued'`);
        else if (c.value.includes('running'))
          parts.push(`(${cell}.status = 'queued' and ${chunk}.status = 'running')`);
        else parts.push(`(${cell}.status = 'queued' and ${chunk}.status is distinct from 'running')`);
      }
      return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' or ')})`;
    }
    const text = textOf(col);
    /** An index on `key(value)`: this table's rows for an input column, this column's cells for an enrichment value. */
    const want = (key: (x: string) => string, using?: 'trgm') => {
      const x = key(textOf(col, true));
      const [on, id, scope] =
        col.kind === 'input'
          ? (['rows', 'id', `table_id = ${table}`] as const)
          : (['cells', 'row_id', `column_id = ${col.id}`] as const);
      indexes.push({
        on,
        tableId: table,
        columnId: col.id,
        using,
        definition: using
          ? `using gin (${x} gin_trgm_ops) where ${scope}`
          : `(${x} asc nulls last, ${id}) where ${scope}`,
      });
    };
    switch (c.op) {
      case 'eq':
      case 'neq': {
        let eq: string;
        if (typeof c.value === 'number') {
          want((x) => `glaze_number(${x})`);
          eq = `glaze_number(${text}) = ${param(c.value, 'numeric')}`;
        } else {
          want((x) => x);
          eq = `${text} = ${param(String(c.value), 'text')}`;
        }
        return c.op === 'eq' ? eq : `not coalesce(${eq}, false)`;
      }
      case 'contains':
      case 'startsWith': {
        want((x) => `glaze_fold(${x})`, 'trgm');
        const pattern = param(escapeLike(c.value), 'text');
        return c.op === 'contains'
          ? `glaze_fold(${text}) like '%' || glaze_fold(${pattern}) || '%'`
          : `glaze_fold(${text}) like glaze_fold(${pattern}) || '%'`;
      }
      case 'empty':
        return `coalesce(${text}, '') = ''`;
      case 'notEmpty':
        return `${text} <> ''`;
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        want((x) => `glaze_number(${x})`);
        const op = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[c.op];
        return `glaze_number(${text}) ${op} ${param(c.value, 'numeric')}`;
      }
      case 'before':
      case 'after': {
        want((x) => `glaze_date(${x})`);
        return `glaze_date(${text}) ${c.op === 'before' ? '<' : '>'} glaze_date(${param(c.value, 'text')})`;
      }
    }
  };

  const compileFilter = (f: Filter, field: string): string => {
    if ('and' in f) return `(${f.and.map((x, i) => compileFilter(x, `${field}.and[${i}]`)).join(' and ')})`;
    if ('or' in f) return `(${f.or.map((x, i) => compileFilter(x, `${field}.or[${i}]`)).join(' or ')})`;
    if ('not' in f) return `not coalesce(${compileFilter(f.not, `${field}.not`)}, false)`;
    return compileCondition(f, field);
  };

  const where = [`r.table_id = ${table}`];
  if (query.filter) where.push(compileFilter(query.filter, `${fieldPrefix}filter`));
  if (query.q !== undefined && query.q.trim() !== '') {
    indexes.push({
      on: 'rows',
      tableId: table,
      using: 'trgm',
      definition: `using gin (glaze_search_text(data) gin_trgm_ops) where table_id = ${table}`,
    });
    where.push(
      `glaze_search_text(r.data) like '%' || glaze_fold(${param(escapeLike(query.q.trim()), 'text')}) || '%'`,
    );
  }

  let orderBy = 'r.position, r.id';
  let sortCell: CompiledQuery['sortCell'];
  if (query.sort) {
    const s = query.sort;
    const col = resolveColumn(columns, s.column, s.path, `${fieldPrefix}sort`);
    const key = (forIndex: boolean) => {
      const text = textOf(col, forIndex);
      if (s.as === 'number') return `glaze_number(${text})`;
      if (s.as === 'date') return `glaze_date(${text})`;
      if (s.as === 'text' || col.kind === 'input') return text;
      return `(${forIndex ? '' : `${cellAlias(col.id)}.`}value #> ${pathLiteral(col.path)})`;
    };
    const direction = s.direction === 'desc' ? 'desc' : 'asc';
    orderBy = `${key(false)} ${direction} nulls last, r.id`;
    if (col.kind === 'cell') {
      const alias = cellAlias(col.id);
      const innerJoins = [...joins.entries()].map(([a, sql]) =>
        a === alias ? sql.replace(/^left join/, 'join') : sql,
      );
      sortCell = { alias, key: key(false), direction, innerFrom: ['rows r', ...innerJoins].join(' ') };
    }
    indexes.push(
      col.kind === 'input'
        ? {
            on: 'rows',
            tableId: table,
            columnId: col.id,
            definition: `(${key(true)} ${direction} nulls last, id) where table_id = ${table}`,
          }
        : {
            on: 'cells',
            tableId: table,
            columnId: col.id,
            definition: `(${key(true)} ${direction} nulls last, row_id) where column_id = ${col.id}`,
          },
    );
  }
  return {
    tableId: table,
    plain: where.length === 1 && !query.sort,
    from: ['rows r', ...joins.values()].join(' '),
    where: where.join(' and '),
    orderBy,
    params,
    indexes,
    sortCell,
    fuzzy: indexes.some((i) => i.using === 'trgm'),
  };
}

/** `'{"a","b"}'`: parts are checked to [A-Za-z0-9_ -] by resolveColumn, so no quote can occur. */
function pathLiteral(path: readonly string[]): string {
  return `'{${path.map((p) => `"${p}"`).join(',')}}'`;
}

function checkedId(id: number): number {
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`not a table id: ${id}`);
  return id;
}

/** `50%_off` matches itself, not "50 anything off": LIKE's wildcards and escape are escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
