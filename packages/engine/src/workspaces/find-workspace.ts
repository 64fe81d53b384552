import { AppError } from '@glaze/core';
import type { Pool } from '@glaze/db';
import type { WorkspaceInfo } from './create-workspace';

/** A workspace by id (all digits) or by name; a name two workspaces share must be given as an id. */
export async function findWorkspace(pool: Pool, idOrName: string): Promise<WorkspaceInfo | undefined> {
  const byId = /^\d{1,15}$/.test(idOrName);
  const { rows } = await pool.query(
    byId
      ? 'select id, name from workspaces where id = $1'
      : 'select id, name from workspaces where name = $1 order by id',
    [byId ? Number(idOrName) : idOrName],
  );
  if (rows.length > 1) {
    const ids = rows.map((r) => r.id).join(', ');
    throw new AppError(
      'conflict',
      `${rows.length} workspaces are named "${idOrName}" (ids ${ids}); give an id`,
      'workspace',
    );
  }
  return rows[0] as WorkspaceInfo | undefined;
}

/** The workspace when the database has exactly one (a command may then leave `--workspace` out). */
export async function soleWorkspace(pool: Pool): Promise<WorkspaceInfo | 'none' | 'several'> {
  const { rows } = await pool.query('select id, name from workspaces order by id limit 2');
  if (rows.length === 0) return 'none';
  return rows.length === 1 ? (rows[0] as WorkspaceInfo) : 'several';
}
