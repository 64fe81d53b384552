import {
  AppError,
  cellParams,
  cellReply,
  countRowsQuery,
  deletedRowsReply,
  deleteRowsBody,
  insertedRowsReply,
  insertRowsBody,
  insertRowsHeaders,
  keyReusedSchema,
  restoredRowsReply,
  restoreRowsBody,
  routeErrors,
  rowCountReply,
  rowPageReply,
  rowQueryPage,
  rowsQuery,
  tableParams,
  updatedRowsReply,
  updateRowsBody,
} from '@glaze/core';
import {
  countRows,
  deleteRows,
  getCell,
  insertKeyedRows,
  queryRows,
  readRows,
  restoreRows,
  updateRows,
} from '@glaze/engine';
import { z } from 'zod';
import { workspaceId } from '../auth/authenticate';
import { clientGone } from '../client-gone';
import type { Api, ServerContext } from '../context';
import { idempotencyOf, markReplayed } from '../idempotency';
import { autoRunNewRows } from './auto-run-new-rows';
import { requireTable } from './require-table';
import { parseRowQueryParams } from './row-query-params';

export function rowRoutes(api: Api, ctx: ServerContext): void {
  api.get('/tables/:id/rows', {
    schema: {
      operationId: 'listRows',
      tags: ['rows'],
      summary:
        'A page of rows with their cells: by cursor in (position, id) order, or filtered, searched, sorted, from an offset',
      params: tableParams,
      querystring: rowsQuery,
      response: { 200: z.union([rowPageReply, rowQueryPage]), ...routeErrors },
    },
    handler: async (request, reply) => {
      const table = await requireTable(ctx, request, request.params.id);
      const { filter, sort, q, offset, count } = request.query;
      if (
        filter !== undefined ||
        sort !== undefined ||
        q !== undefined ||
        offset !== undefined ||
        count !== undefined
      ) {
        if (request.query.cursor !== undefined)
          throw new AppError(
            'validation_failed',
            'pages by offset when filter, sort, q or offset is given',
            'cursor',
          );
        return queryRows(ctx.pool, {
          tableId: table.id,
          query: parseRowQueryParams({ filter, sort, q, offset, limit: request.query.limit }),
          count: count === 'true',
          signal: clientGone(reply),
        });
      }
      return readRows(ctx.pool, {
        tableId: table.id,
        limit: request.query.limit,
        cursor: request.query.cursor,
      });
    },
  });

  api.get('/tables/:id/rows/count', {
    schema: {
      operationId: 'countRows',
      tags: ['rows'],
      summary:
        'How many rows a filter or search matches, on its own: ask for the first page and this side by side, the page comes first',
      params: tableParams,
      querystring: countRowsQuery,
      response: { 200: rowCountReply, ...routeErrors },
    },
    handler: async (request, reply) => {
      const table = await requireTable(ctx, request, request.params.id);
      const { filter, q } = request.query;
      const query = parseRowQueryParams({ filter, q, limit: 1 });
      return countRows(ctx.pool, {
        tableId: table.id,
        query: { filter: query.filter, q: query.q },
        signal: clientGone(reply),
      });
    },
  });

  api.get('/tables/:id/cells/:cellId', {
    schema: {
      operationId: 'getCell',
      tags: ['rows'],
      summary: 'One cell with its value whole: row pages and the change feed leave out values over 64 KB',
      params: cellParams,
      response: { 200: cellReply, ...routeErrors },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      return { cell: await getCell(ctx.pool, table.id, request.params.cellId) };
    },
  });

  api.post('/tables/:id/rows', {
    schema: {
      operationId: 'insertRows',
      tags: ['rows'],
      summary: 'Append rows given as values by input column name; auto-run columns start on them',
      params: tableParams,
      headers: insertRowsHeaders,
      body: insertRowsBody,
      response: { 201: insertedRowsReply, 422: keyReusedSchema, ...routeErrors },
    },
    handler: async (request, reply) => {
      const table = await requireTable(ctx, request, request.params.id);
      const workspace = workspaceId(request);
      const { ids, replayed } = await insertKeyedRows(ctx.pool, {
        tableId: table.id,
        workspaceId: workspace,
        rows: request.body.rows,
        idempotency: idempotencyOf(request),
      });
      // a replayed append's rows were owed their auto-runs by the first one, which started them or
      // left them to the reconciler
      if (!replayed)
        await autoRunNewRows(ctx, { tableId: table.id, workspaceId: workspace }, [ids], request.log);
      return markReplayed(reply, replayed).code(201).send({ ids });
    },
  });

  api.patch('/tables/:id/rows', {
    schema: {
      operationId: 'updateRows',
      tags: ['rows'],
      summary:
        'Change input values of rows; unnamed columns keep their values; cells computed from changed values become stale, and auto-run columns re-run theirs',
      params: tableParams,
      body: updateRowsBody,
      response: { 200: updatedRowsReply, ...routeErrors },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      const updated = await updateRows(ctx.pool, table.id, request.body.rows, { providers: ctx.providers });
      // cells computed from the changed inputs are stale now; auto-run columns re-run theirs
      if (updated > 0) ctx.staleAutoRun.schedule({ tableId: table.id, workspaceId: workspaceId(request) });
      return { updated };
    },
  });

  api.delete('/tables/:id/rows', {
    schema: {
      operationId: 'deleteRows',
      tags: ['rows'],
      summary: 'Delete rows and their cells (kept in the trash for 24 hours: see rows/restore)',
      params: tableParams,
      body: deleteRowsBody,
      response: { 200: deletedRowsReply, ...routeErrors },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      return { deleted: await deleteRows(ctx.pool, table.id, request.body.ids) };
    },
  });
  api.post('/tables/:id/rows/restore', {
    schema: {
      operationId: 'restoreRows',
      tags: ['rows'],
      summary: 'Bring back rows deleted in the last 24 hours, in their old places, with their cells',
      params: tableParams,
      body: restoreRowsBody,
      response: { 200: restoredRowsReply, ...routeErrors },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      return { restored: await restoreRows(ctx.pool, table.id, request.body.ids) };
    },
  });
}
