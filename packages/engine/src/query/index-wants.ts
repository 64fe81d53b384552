/** An index that would serve part of a row query: on `rows` (partial on the table) or `cells` (on the column). */
export interface IndexWant {
  on: 'rows' | 'cells';
  tableId: number;
  columnId?: number;
  /** What follows `on <table>`: `(expr asc nulls last, id) where table_id = 5`, or `using gin (…)`. */
  definition: string;
  /** Needs pg_trgm (skipped where the server does not have it). */
  using?: 'trgm';
}
