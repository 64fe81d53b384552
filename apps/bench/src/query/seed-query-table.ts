import type { Pool } from '@glaze/db';
import { addColumn, createTable } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';

export interface QueryTable {
  tableId: number;
  /** Input column ids by name. */
  inputs: Record<'Name' | 'Email' | 'Company' | 'City' | 'Score' | 'Signup', number>;
  /** The enrichment column "Email check" (values `{valid, score}`). */
  checkId: number;
}

/**
 * A table of `rows` rows with 6 input columns and one enrichment column, written by bulk SQL (not
 * through the API: a million rows in ~20 s). Values mix case and accents, leave some empty, hold
 * numbers as text (some not numbers at all); 2 % of the cells are errors, 1 % queued and 5 % of the
 * rows have no cell at all.
 */
export async function seedQueryTable(pool: Pool, rows: number): Promise<QueryTable> {
  const { rows: ws } = await pool.query(`insert into workspaces (name) values ('bench query') returning id`);
  const names = ['Name', 'Email', 'Company', 'City', 'Score', 'Signup'] as const;
  const table = await createTable(pool, {
    workspaceId: ws[0].id,
    name: `query ${rows}`,
    inputColumns: names,
  });
  const { rows: cols } = await pool.query('select id, name from columns where table_id = $1', [table.id]);
  const inputs = Object.fromEntries(cols.map((c) => [c.name, Number(c.id)])) as QueryTable['inputs'];
  const check = await addColumn(pool, builtinProviders, {
    tableId: table.id,
    name: 'Email check',
    kind: 'enrichment',
    provider: 'mock',
    config: {},
  });
  // One statement per 250,000 rows keeps each transaction's memory small.
  for (let start = 0; start < rows; start += 250_000) {
    await pool.query(
      `insert into rows (table_id, position, data)
       select $1, i, jsonb_strip_nulls(jsonb_build_object(
         $3::text, (array['José','zoë','André','ÉLODIE','Müller','smith','Łukasz','Ana','Søren','chloé'])[1 + i % 10]
                   || ' ' || (array['García','o''brien','NGUYEN','Dubois','Åström','lee','Kowalski'])[1 + (i / 10) % 7]
                   || ' ' || i,
         $4::text, case when i % 20 = 0 then null when i % 50 = 1 then '' else 'user' || i || '@example.' || (array['com','org','fr'])[1 + i % 3] end,
         $5::text, 'Company ' || (i * 7) % 5000,
         $6::text, (array['Zürich','São Paulo','Montréal','paris','BERLIN','Köln','Lyon','New York'])[1 + (i / 3) % 8],
         $7::text, case when i % 97 = 0 then 'n/a' when i % 13 = 0 then null else ((i::bigint * 7919) % 100000 / 10.0)::text end,
         $8::text, case when i % 11 = 0 then null else to_char(date '2020-01-01' + (i * 31) % 2000, 'YYYY-MM-DD') end
       ))
       from generate_series($2::int + 1, least($2::int + 250000, $9::int)) i`,
      [
        table.id,
        start,
        String(inputs.Name),
        String(inputs.Email),
        String(inputs.Company),
        String(inputs.City),
        String(inputs.Score),
        String(inputs.Signup),
        rows,
      ],
    );
  }
  await pool.query(
    `insert into cells (table_id, row_id, column_id, status, value, error)
     select r.table_id, r.id, $2,
            case when r.position::int % 50 = 0 then 'error' when r.position::int % 100 = 1 then 'queued' else 'done' end,
            case when r.position::int % 50 = 0 or r.position::int % 100 = 1 then null
                 else jsonb_build_object('valid', r.position::int % 3 <> 0, 'score', (r.position::int * 37) % 101) end,
            case when r.position::int % 50 = 0 then 'mailbox unreachable' end
     from rows r where r.table_id = $1 and r.position::int % 20 <> 7`,
    [table.id, check.id],
  );
  await pool.query('vacuum analyze rows');
  await pool.query('vacuum analyze cells');
  return { tableId: table.id, inputs, checkId: check.id };
}
