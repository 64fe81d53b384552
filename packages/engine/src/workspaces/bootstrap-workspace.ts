import { type Pool, withTransaction } from '@glaze/db';
import { createToken } from './create-token';
import { createWorkspace, type WorkspaceInfo } from './create-workspace';

/**
 * On first start (no workspace yet) creates one with an admin token — `token` when given, else a
 * random one — and returns both; undefined when a workspace already exists. Two processes starting
 * at once serialise on an advisory lock, so only one creates it.
 */
export async function bootstrapWorkspace(
  pool: Pool,
  input: { name?: string; token?: string } = {},
): Promise<{ workspace: WorkspaceInfo; token: string } | undefined> {
  return withTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock(7461638)');
    const { rows } = await client.query('select exists (select 1 from workspaces) as found');
    if (rows[0]?.found) return undefined;
    const workspace = await createWorkspace(client, input.name ?? 'default');
    const created = await createToken(client, {
      workspaceId: workspace.id,
      name: 'admin',
      token: input.token,
    });
    return { workspace, token: created.token };
  });
}
