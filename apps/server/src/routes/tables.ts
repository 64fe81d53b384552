import {
  createTableBody,
  createTableHeaders,
  keyReusedSchema,
  notFound,
  renameTableBody,
  routeErrors,
  tableDetailReply,
  tableListReply,
  tableParams,
  tableReply,
} from '@glaze/core';
import {
  createOnce,
  createTable,
  deleteTable,
  getTable,
  listColumns,
  listTables,
  renameTable,
} from '@glaze/engine';
import { z } from 'zod';
import { workspaceId } from '../auth/authenticate';
import type { Api, ServerContext } from '../context';
import { idempotencyOf, markReplayed } from '../idempotency';
import { requireTable } from './require-table';

export function tableRoutes(api: Api, ctx: ServerContext): void {
  api.get('/tables', {
    schema: {
      operationId: 'listTables',
      tags: ['tables'],
      summary: "The workspace's tables",
      response: { 200: tableListReply, ...routeErrors },
    },
    handler: async (request) => ({ tables: await listTables(ctx.pool, workspaceId(request)) }),
  });

  api.post('/tables', {
    schema: {
      operationId: 'createTable',
      tags: ['tables'],
      summary: 'Create a table, optionally with input columns',
      headers: createTableHeaders,
      body: createTableBody,
      response: { 201: tableReply, 422: keyReusedSchema, ...routeErrors },
    },
    handler: async (request, reply) => {
      const workspace = workspaceId(request);
      const once = await createOnce(ctx.pool, workspace, idempotencyOf(request), (idempotency) =>
        createTable(
          ctx.pool,
          { workspaceId: workspace, name: request.body.name, inputColumns: request.body.columns },
          idempotency,
        ),
      );
      const id = once.replayed ? once.earlier.tableId : once.created.id;
      const table = await getTable(ctx.pool, id, workspace);
      if (!table) throw notFound('table', id);
      return markReplayed(reply.code(201), once.replayed).send({ table });
    },
  });

  api.get('/tables/:id', {
    schema: {
      operationId: 'getTable',
      tags: ['tables'],
      summary: 'A table with its columns in display order',
      params: tableParams,
      response: { 200: tableDetailReply, ...routeErrors },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      return { table, columns: await listColumns(ctx.pool, table.id) };
    },
  });

  api.patch('/tables/:id', {
    schema: {
      operationId: 'renameTable',
      tags: ['tables'],
      summary: 'Rename a table',
      params: tableParams,
      body: renameTableBody,
      response: { 200: tableReply, ...routeErrors },
    },
    handler: async (request) => {
      const table = await renameTable(ctx.pool, {
        tableId: request.params.id,
        workspaceId: workspaceId(request),
        name: request.body.name,
      });
      if (!table) throw notFound('table', request.params.id);
      return { table };
    },
  });

  api.delete('/tables/:id', {
    schema: {
      operationId: 'deleteTable',
      tags: ['tables'],
      summary: 'Delete a table and everything in it',
      params: tableParams,
      response: { 204: z.null(), ...routeErrors },
    },
    handler: async (request, reply) => {
      if (!(await deleteTable(ctx.pool, request.params.id, workspaceId(request))))
        throw notFound('table', request.params.id);
      return reply.code(204).send(null);
    },
  });
}
