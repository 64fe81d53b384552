import {
  columnListReply,
  columnParams,
  columnReply,
  createColumnBody,
  createColumnHeaders,
  keyReusedSchema,
  notFound,
  previewColumnBody,
  previewColumnReply,
  reorderColumnsBody,
  routeErrors,
  tableParams,
  updateColumnBody,
} from '@glaze/core';
import {
  addColumn,
  createOnce,
  createSecretsLoader,
  deleteColumn,
  getColumn,
  previewColumn,
  recordChange,
  reorderColumns,
  restoreColumn,
  updateColumn,
} from '@glaze/engine';
import { z } from 'zod';
import { workspaceId } from '../auth/authenticate';
import type { Api, ServerContext } from '../context';
import { idempotencyOf, markReplayed } from '../idempotency';
import { requireTable } from './require-table';

export function columnRoutes(api: Api, ctx: ServerContext): void {
  api.post('/tables/:id/columns', {
    schema: {
      operationId: 'addColumn',
      tags: ['columns'],
      summary: "Add a column at the end; an enrichment column's config is checked against its provider",
      params: tableParams,
      headers: createColumnHeaders,
      body: createColumnBody,
      response: { 201: columnReply, 422: keyReusedSchema, ...routeErrors, 409: routeErrors[400] },
    },
    handler: async (request, reply) => {
      const table = await requireTable(ctx, request, request.params.id);
      const once = await createOnce(ctx.pool, workspaceId(request), idempotencyOf(request), (idempotency) =>
        addColumn(ctx.pool, ctx.providers, { tableId: table.id, ...request.body }, idempotency),
      );
      // a replay's key was sent to this route and table (its request hash says so): it names a column
      const replayedId = once.replayed ? Number(once.earlier.columnId) : 0;
      const column = once.replayed ? await getColumn(ctx.pool, table.id, replayedId) : once.created;
      if (!column) throw notFound('column', replayedId);
      // a replay too: the first request may have failed between its column and this change
      await recordChange(ctx.pool, table.id, 'schema');
      return markReplayed(reply.code(201), once.replayed).send({ column });
    },
  });

  // The worker's loader: a form previewing as someone types reads the secrets once per 5 s, not per keystroke.
  const secretsOf = ctx.secretKey ? createSecretsLoader(ctx.pool, ctx.secretKey) : undefined;

  api.post('/tables/:id/columns/preview', {
    schema: {
      operationId: 'previewColumn',
      tags: ['columns'],
      summary:
        'Try an enrichment config that is not saved on the first 5 rows: what each cell would hold, writing nothing',
      params: tableParams,
      body: previewColumnBody,
      response: { 200: previewColumnReply, ...routeErrors },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      const cells = await previewColumn(ctx.pool, ctx.providers, {
        tableId: table.id,
        ...request.body,
        secrets: secretsOf ? await secretsOf(table.id) : undefined,
        limits: { rateLimits: ctx.rateLimits, workspaceId: workspaceId(request) },
      });
      return { cells };
    },
  });

  api.patch('/tables/:id/columns/:columnId', {
    schema: {
      operationId: 'updateColumn',
      tags: ['columns'],
      summary:
        "Rename a column (the columns that read it are rewritten to the new name) or change an enrichment column's provider/config",
      params: columnParams,
      body: updateColumnBody,
      response: { 200: columnReply, ...routeErrors, 409: routeErrors[400] },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      const { columnId } = request.params;
      const column = await updateColumn(ctx.pool, ctx.providers, {
        tableId: table.id,
        columnId,
        ...request.body,
      });
      if (!column) throw notFound('column', columnId);
      return { column };
    },
  });

  api.delete('/tables/:id/columns/:columnId', {
    schema: {
      operationId: 'deleteColumn',
      tags: ['columns'],
      summary: 'Delete a column with its cells and runs (column and cells kept in the trash for 24 hours)',
      params: columnParams,
      response: { 204: z.null(), ...routeErrors },
    },
    handler: async (request, reply) => {
      const table = await requireTable(ctx, request, request.params.id);
      if (!(await deleteColumn(ctx.pool, table.id, request.params.columnId)))
        throw notFound('column', request.params.columnId);
      return reply.code(204).send(null);
    },
  });

  api.post('/tables/:id/columns/:columnId/restore', {
    schema: {
      operationId: 'restoreColumn',
      tags: ['columns'],
      summary: 'Bring back a column deleted in the last 24 hours, in its old place, with its cells',
      params: columnParams,
      response: { 200: columnReply, ...routeErrors, 409: routeErrors[400] },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      const column = await restoreColumn(ctx.pool, table.id, request.params.columnId);
      if (!column) throw notFound('deleted column', request.params.columnId);
      return { column };
    },
  });

  api.put('/tables/:id/columns/order', {
    schema: {
      operationId: 'reorderColumns',
      tags: ['columns'],
      summary: "Set the display order; list each of the table's columns once",
      params: tableParams,
      body: reorderColumnsBody,
      response: { 200: columnListReply, ...routeErrors },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      return { columns: await reorderColumns(ctx.pool, table.id, request.body.columnIds) };
    },
  });
}
