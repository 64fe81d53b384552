import { Readable, Writable } from 'node:stream';
import type { Pool } from '@glaze/db';
import { addColumn, exportCsv, importCsv } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';
import type { BenchDatabase } from '../bench-database';
import { sampleRss } from '../sample-rss';

export interface TableFigures {
  rows: number;
  importSeconds: number;
  exportSeconds: number;
  /** Highest resident set size of this process sampled during the import and the export. */
  peakRssMb: number;
  exportBytes: number;
}

/** Input columns of the generated file (the lead file had six). */
const inputColumns = ['Email', 'First name', 'Last name', 'Company', 'Title', 'Notes'];

/**
 * A table of `rows` rows × 6 input columns imported from a generated CSV through `importCsv`
 * (timed), three enrichment columns filled with done cells by SQL (untimed), a second table of
 * `rows` cells in the same database (so the export is measured with other tables present), then
 * the whole table exported through `exportCsv` into a byte counter (timed).
 *
 * Returns the figures of the `table` line; other modules add their own fields to the same line
 * (see run-bench.ts), so this one only measures import and export.
 */
export async function benchTable(db: BenchDatabase, rows: number): Promise<TableFigures> {
  const pool = db.near ?? db.pool;
  const { rows: ws } = await pool.query(`insert into workspaces (name) values ('bench') returning id`);
  const workspaceId = ws[0].id as number;
  const rss = sampleRss();
  try {
    await otherTable(pool, workspaceId, rows);
    const importStarted = performance.now();
    const imported = await importCsv(pool, {
      workspaceId,
      name: 'leads',
      // bytes, a file's read at a time, as a user's import reads them (see generateCsv)
      stream: Readable.from(generateCsv(rows), { objectMode: false }),
    });
    const importSeconds = (performance.now() - importStarted) / 1000;
    await fillEnrichments(pool, imported.table.id);
    await pool.query('analyze');
    let exportBytes = 0;
    const counter = new Writable({
      write(chunk: Buffer, _encoding, done) {
        exportBytes += chunk.length;
        done();
      },
    });
    const exportStarted = performance.now();
    const exported = await exportCsv(pool, imported.table.id, counter);
    const exportSeconds = (performance.now() - exportStarted) / 1000;
    if (exported.rows !== rows) throw new Error(`exported ${exported.rows} rows, expected ${rows}`);
    return { rows, importSeconds, exportSeconds, peakRssMb: rss.peakMb(), exportBytes };
  } finally {
    rss.stop();
  }
}

/**
 * The CSV text, ~45 KB per chunk: quoted commas, an embedded line break, emoji. Chunks the size of
 * a file stream's 64 KB reads, so the bench's source holds what a user's file would: it used to
 * yield 5,000-row strings (~900 KB each, two bytes a character for the emoji) into an object-mode
 * stream that buffered 16 of them, ~14 MB of the bench's own that outlived V8's young generation
 * (200,000 rows: import peak 269-273 MB RSS, against 184 MB importing the same file from disk).
 */
export function* generateCsv(rows: number): Generator<string> {
  yield `${inputColumns.join(',')}\r\n`;
  const page = 500;
  for (let start = 0; start < rows; start += page) {
    let text = '';
    for (let i = start; i < Math.min(rows, start + page); i++) {
      const note = i % 10 === 0 ? `"met at fair, said ""call me""\r\nlater 🎉"` : `note ${i}`;
      text += `person${i}@example${i % 997}.com,Ana ${i},Lé ${i % 1000},"Acme ${i % 5000}, Inc.",Head of ${i % 13},${note}\r\n`;
    }
    yield text;
  }
}

/**
 * Three enrichment columns as a run would leave them: a scalar, an object of two fields and a
 * number, every cell done.
 */
export async function fillEnrichments(pool: Pool, tableId: number): Promise<void> {
  const specs = [
    {
      name: 'check',
      value: `jsonb_build_object('valid', r.id % 3 <> 0, 'domain', 'example' || (r.id % 997) || '.com')`,
    },
    { name: 'score', value: `to_jsonb(r.id % 100)` },
    { name: 'summary', value: `to_jsonb('lead ' || r.id)` },
  ];
  for (const spec of specs) {
    const column = await addColumn(pool, builtinProviders, {
      tableId,
      name: spec.name,
      kind: 'enrichment',
      provider: 'mock',
      config: {},
    });
    // spec.value is one of the three expressions above, never input
    await pool.query(
      `insert into cells (table_id, row_id, column_id, status, value)
       select $1, r.id, $2, 'done', ${spec.value} from rows r where r.table_id = $1`,
      [tableId, column.id],
    );
  }
}

/** Another table with `cells` done cells: the export's time must not depend on it. */
export async function otherTable(pool: Pool, workspaceId: number, cells: number): Promise<void> {
  const { rows: t } = await pool.query(
    `insert into tables (workspace_id, name) values ($1, 'other') returning id`,
    [workspaceId],
  );
  const tableId = t[0].id as number;
  const { rows: c } = await pool.query(
    `insert into columns (table_id, name, kind, provider, position) values ($1, 'x', 'enrichment', 'mock', 0) returning id`,
    [tableId],
  );
  await pool.query(
    `with r as (
       insert into rows (table_id, position, data) select $1, g, '{}' from generate_series(1, $3::int) g returning id
     )
     insert into cells (table_id, row_id, column_id, status, value) select $1, r.id, $2, 'done', '1' from r`,
    [tableId, c[0].id, cells],
  );
}
