import type { Pool } from '@glaze/db';
import type { RunProgress } from '@glaze/engine';

export interface SummaryColumn {
  id: number;
  name: string;
  provider: string;
  run?: RunProgress;
}

/**
 * One line per column with its done / error / skipped counts, and one sample error message for a
 * column with errors (the first by row position), so a bad config shows up without opening the CSV.
 */
export async function summaryLines(pool: Pool, columns: readonly SummaryColumn[]): Promise<string[]> {
  const width = Math.max(...columns.map((c) => `${c.name} (${c.provider})`.length));
  const lines: string[] = [];
  for (const column of columns) {
    const label = `${column.name} (${column.provider})`.padEnd(width);
    const c = column.run?.counts;
    if (!c) {
      lines.push(`  ${label}  not run`);
      continue;
    }
    const cancelled = c.cancelled > 0 ? `, ${c.cancelled} cancelled` : '';
    lines.push(`  ${label}  ${c.done} done, ${c.error} error, ${c.skipped} skipped${cancelled}`);
    if (c.error > 0) {
      const { rows } = await pool.query(
        `select c.error, (select count(*) from rows p where p.table_id = r.table_id and (p.position, p.id) <= (r.position, r.id))::int as n
         from cells c join rows r on r.id = c.row_id
         where c.column_id = $1 and c.status = 'error' order by r.position, r.id limit 1`,
        [column.id],
      );
      if (rows[0]) lines.push(`  ${' '.repeat(width)}  e.g. row ${rows[0].n}: ${rows[0].error}`);
    }
  }
  return lines;
}
