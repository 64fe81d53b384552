import { AppError, type Workspace } from '@glaze/core';
import type { Pool, PoolClient } from '@glaze/db';

/** A workspace: the API's `Workspace`. */
export type WorkspaceInfo = Workspace;

/** Creates a workspace: the unit that owns tables and API tokens. */
export async function createWorkspace(db: Pool | PoolClient, name: string): Promise<WorkspaceInfo> {
  const trimmed = name.trim();
  if (trimmed === '') throw new AppError('validation_failed', 'must not be empty', 'name');
  const { rows } = await db.query('insert into workspaces (name) values ($1) returning id, name', [trimmed]);
  return rows[0] as WorkspaceInfo;
}
