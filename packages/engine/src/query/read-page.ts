import type { Pool } from '@glaze/db';
import type { CompiledQuery } from './compile-query';
import { jumpStart } from './jump-anchors';
import { withOrderedProbe } from './ordered-probe';
import { pageStatement } from './page-statement';
import { serialRows } from './serial-statement';

export interface PageRow {
  id: string | number;
  position: number;
  data: Record<string, unknown> | null;
}

/**
 * Reads one page of a compiled query: a jump into the unfiltered table starts from the nearest
 * anchor (jump-anchors.ts), a search or `contains` goes through the ordered probe (ordered-probe.ts);
 * every page is planned without parallel workers (serial-statement.ts).
 */
export async function readPage(
  pool: Pool,
  compiled: CompiledQuery,
  offset: number,
  limit: number,
): Promise<PageRow[]> {
  const start = compiled.plain
    ? await jumpStart(pool, compiled.tableId, offset)
    : { after: null, skip: offset };
  const statement = pageStatement(compiled, start.skip, limit, start.after);
  if (compiled.fuzzy) return withOrderedProbe<PageRow>(pool, statement);
  return serialRows<PageRow>(pool, statement);
}
