import type { Pool } from '@glaze/db';

/** The workspace `glaze enrich` works in (named `cli`), created on first use. */
export async function cliWorkspace(pool: Pool): Promise<number> {
  const found = await pool.query(`select id from workspaces where name = 'cli' order by id limit 1`);
  if (found.rows[0]) return found.rows[0].id as number;
  const created = await pool.query(`insert into workspaces (name) values ('cli') returning id`);
  return created.rows[0].id as number;
}
