import {
  AppError,
  appendQuery,
  appendReply,
  errorSchema,
  exportQuery,
  importHeaders,
  importQuery,
  importReply,
  keyReusedSchema,
  routeErrors,
  tableParams,
} from '@glaze/core';
import { exportCsvStream, getTable, idPages, importCsv } from '@glaze/engine';
import { z } from 'zod';
import { workspaceId } from '../auth/authenticate';
import type { Api, ServerContext } from '../context';
import { markReplayed } from '../idempotency';
import { autoRunNewRows } from './auto-run-new-rows';
import { keyedImport } from './keyed-import';
import { requireTable } from './require-table';
import { parseRowQueryParams } from './row-query-params';

const csvErrors = { ...routeErrors, 413: errorSchema, 415: errorSchema };

/**
 * CSV in and out, streamed both ways: an import reads the request body as it arrives (100,000 rows
 * never sit in memory whole) and an export writes rows a page at a time. This scope parses only
 * text/csv, so JSON sent here is a 415, and its size limit is GLAZE_CSV_LIMIT, not the JSON one.
 */
export async function csvRoutes(api: Api, ctx: ServerContext): Promise<void> {
  api.removeAllContentTypeParsers();
  api.addContentTypeParser('text/csv', (_request, payload, done) => done(null, payload));

  api.post('/tables/import', {
    schema: {
      operationId: 'importTable',
      tags: ['csv'],
      consumes: ['text/csv'],
      summary: 'Create a table from a CSV body (text/csv): one input column per header',
      headers: importHeaders,
      querystring: importQuery,
      response: { 201: importReply, 422: keyReusedSchema, ...csvErrors },
    },
    handler: async (request, reply) => {
      const workspace = workspaceId(request);
      const done = await keyedImport(ctx, request, workspace, (stream, idempotency) =>
        importCsv(ctx.pool, {
          stream,
          workspaceId: workspace,
          name: request.query.name,
          ...(idempotency ? { idempotency } : {}),
        }),
      );
      if (done.replayed) {
        const { tableId, rows } = done.answer;
        const table = await getTable(ctx.pool, tableId, workspace);
        if (!table)
          throw new AppError('not_found', `table ${tableId}, which this key imported into, was deleted`);
        return markReplayed(reply, true).code(201).send({ table, rows });
      }
      const { table: created, rows } = done.imported;
      const table = await getTable(ctx.pool, created.id, workspace);
      return reply.code(201).send({
        table: table ?? { ...created, rowCount: rows, updatedAt: created.createdAt },
        rows,
      });
    },
  });

  api.post('/tables/:id/import', {
    schema: {
      operationId: 'importRows',
      tags: ['csv'],
      consumes: ['text/csv'],
      summary:
        "Append a CSV's rows (text/csv); headers must name input columns; auto-run columns start on them. With key=COLUMN, an upsert: rows holding a line's key are updated (their dependent cells become stale), the other lines appended",
      params: tableParams,
      headers: importHeaders,
      querystring: appendQuery,
      response: { 200: appendReply, 422: keyReusedSchema, ...csvErrors },
    },
    handler: async (request, reply) => {
      const table = await requireTable(ctx, request, request.params.id);
      const workspace = workspaceId(request);
      const key = request.query.key;
      const done = await keyedImport(ctx, request, workspace, (stream, idempotency) =>
        importCsv(ctx.pool, {
          stream,
          tableId: table.id,
          workspaceId: workspace,
          ...(key === undefined ? {} : { key, providers: ctx.providers }),
          ...(idempotency ? { idempotency } : {}),
        }),
      );
      // a replayed import's rows were owed their auto-runs (and its stale cells their re-runs) by the first
      const imported = done.replayed ? done.answer : done.imported;
      if (!done.replayed) {
        // The ids come as ranges and are expanded a page at a time: a 1 GB append never holds them all.
        await autoRunNewRows(
          ctx,
          { tableId: table.id, workspaceId: workspace },
          idPages(done.imported.rowIds, 100_000),
          request.log,
        );
        if ((imported.stale ?? 0) > 0)
          ctx.staleAutoRun.schedule({ tableId: table.id, workspaceId: workspace });
      }
      markReplayed(reply, done.replayed);
      if (key === undefined) return { rows: imported.rows };
      return {
        rows: imported.rows,
        inserted: imported.rows,
        updated: imported.updated ?? 0,
        unchanged: imported.unchanged ?? 0,
        stale: imported.stale ?? 0,
      };
    },
  });

  api.get('/tables/:id/export', {
    schema: {
      operationId: 'exportTable',
      tags: ['csv'],
      summary:
        "The table as CSV, streamed; object values flattened to NAME.field columns; fields that a spreadsheet would run as formulas get a leading ' unless raw=true; excel=true adds a UTF-8 BOM and CRLF line ends; filter, sort and q (as GET /tables/:id/rows takes them) export only the rows they select, in their order",
      params: tableParams,
      querystring: exportQuery,
      response: {
        200: { description: 'The CSV, UTF-8', content: { 'text/csv': { schema: z.string() } } },
        ...routeErrors,
      },
    },
    handler: async (request, reply) => {
      const table = await requireTable(ctx, request, request.params.id);
      const { filter, sort, q } = request.query;
      // the filter language as GET /tables/:id/rows reads it; offset and limit mean nothing here
      const query = parseRowQueryParams({ filter, sort, q, limit: 1 });
      const stream = await exportCsvStream(ctx.pool, table.id, {
        workspaceId: workspaceId(request),
        query,
        raw: request.query.raw === 'true',
        ...(request.query.excel === 'true' ? { bom: true, lineEnd: '\r\n' as const } : {}),
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachment(table.name))
        .send(stream as never);
    },
  });
}

/** `attachment; filename="leads.csv"; filename*=UTF-8''…`: ASCII for old clients, UTF-8 for the rest. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\w.\- ]+/g, '_').trim() || 'table';
  return `attachment; filename="${ascii}.csv"; filename*=UTF-8''${encodeURIComponent(`${name}.csv`)}`;
}
