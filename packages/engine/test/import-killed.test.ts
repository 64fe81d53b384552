import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createWorkspace, useTestDatabase } from './helpers';

// A process killed (SIGKILL) while it imports a CSV into a new table. The table was created in a
// transaction of its own before the rows were streamed: the kill left an empty table named after the
// file in the list, with none of its rows (seen on a 1,000,000-row upload killed 4 s in).

const child = fileURLToPath(new URL('./fixtures/import-child.ts', import.meta.url));
const db = useTestDatabase();

it('a process killed mid-import leaves no table behind, empty or half full', async () => {
  const workspaceId = await createWorkspace(db);
  const importer = spawn(
    process.execPath,
    ['--import', 'tsx', child, db.url, String(workspaceId), 'killed mid-import'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let said = '';
  for await (const chunk of importer.stdout!) {
    said += String(chunk);
    if (said.includes('copying')) break;
  }
  expect(said).toContain('copying');
  // the rows are on their way into Postgres (the file's first rows were read before the COPY began)
  const copies = async () =>
    (
      await db.pool.query(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and state = 'active' and query like 'copy rows%'`,
      )
    ).rows[0].n as number;
  const began = Date.now();
  while ((await copies()) === 0) {
    if (Date.now() - began > 10_000) throw new Error('the import never began its COPY');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  importer.kill('SIGKILL');
  await once(importer, 'exit');
  // Postgres ends the dead client's transaction when it sees the socket close
  const deadline = Date.now() + 10_000;
  while ((await copies()) > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const { rows } = await db.pool.query(
    `select (select count(*)::int from tables where workspace_id = $1) as tables,
            (select count(*)::int from rows) as rows,
            (select count(*)::int from columns) as columns`,
    [workspaceId],
  );
  expect(rows[0]).toEqual({ tables: 0, rows: 0, columns: 0 });
});
