import {
  createViewBody,
  notFound,
  routeErrors,
  tableParams,
  updateViewBody,
  viewListReply,
  viewParams,
  viewReply,
} from '@glaze/core';
import { createView, deleteView, listViews, updateView } from '@glaze/engine';
import { z } from 'zod';
import { workspaceId } from '../auth/authenticate';
import type { Api, ServerContext } from '../context';
import { requireTable } from './require-table';

/** Saved views of a table: a name, a filter/sort/search and the columns it hides. */
export function viewRoutes(api: Api, ctx: ServerContext): void {
  api.get('/tables/:id/views', {
    schema: {
      operationId: 'listViews',
      tags: ['views'],
      summary: "A table's saved views, by name",
      params: tableParams,
      response: { 200: viewListReply, ...routeErrors },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      return { views: await listViews(ctx.pool, table.id, workspaceId(request)) };
    },
  });

  api.post('/tables/:id/views', {
    schema: {
      operationId: 'createView',
      tags: ['views'],
      summary: 'Save a view: a filter, sort and search, and the columns it hides',
      params: tableParams,
      body: createViewBody,
      response: { 201: viewReply, ...routeErrors, 409: routeErrors[400] },
    },
    handler: async (request, reply) => {
      const table = await requireTable(ctx, request, request.params.id);
      const view = await createView(ctx.pool, {
        workspaceId: workspaceId(request),
        tableId: table.id,
        ...request.body,
      });
      if (!view) throw notFound('table', table.id);
      return reply.code(201).send({ view });
    },
  });

  api.patch('/tables/:id/views/:viewId', {
    schema: {
      operationId: 'updateView',
      tags: ['views'],
      summary: 'Rename a view, or replace its query or its hidden columns',
      params: viewParams,
      body: updateViewBody,
      response: { 200: viewReply, ...routeErrors, 409: routeErrors[400] },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      const view = await updateView(ctx.pool, {
        workspaceId: workspaceId(request),
        tableId: table.id,
        viewId: request.params.viewId,
        ...request.body,
      });
      if (!view) throw notFound('view', request.params.viewId);
      return { view };
    },
  });

  api.delete('/tables/:id/views/:viewId', {
    schema: {
      operationId: 'deleteView',
      tags: ['views'],
      summary: 'Delete a view (its rows stay)',
      params: viewParams,
      response: { 204: z.null(), ...routeErrors },
    },
    handler: async (request, reply) => {
      const table = await requireTable(ctx, request, request.params.id);
      const deleted = await deleteView(ctx.pool, {
        workspaceId: workspaceId(request),
        tableId: table.id,
        viewId: request.params.viewId,
      });
      if (!deleted) throw notFound('view', request.params.viewId);
      return reply.code(204).send(null);
    },
  });
}
