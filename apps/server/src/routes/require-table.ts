import { notFound } from '@glaze/core';
import { getTable, type TableSummary } from '@glaze/engine';
import type { FastifyRequest } from 'fastify';
import { workspaceId } from '../auth/authenticate';
import type { ServerContext } from '../context';

/** The caller's table, or 404: a table of another workspace answers exactly like a missing one. */
export async function requireTable(
  ctx: ServerContext,
  request: FastifyRequest,
  tableId: number,
): Promise<TableSummary> {
  const table = await getTable(ctx.pool, tableId, workspaceId(request));
  if (!table) throw notFound('table', tableId);
  return table;
}
