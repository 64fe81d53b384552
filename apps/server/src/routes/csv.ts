import { type Readable, Transform } from 'node:stream';
import {
  AppError,
  appendQuery,
  appendReply,
  errorSchema,
  exportQuery,
  importQuery,
  importReply,
  routeErrors,
  tableParams,
} from '@glaze/core';
import { exportCsvStream, getTable, idPages, importCsv } from '@glaze/engine';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { workspaceId } from '../auth/authenticate';
import type { Api, ServerContext } from '../context';
import { autoRunNewRows } from './auto-run-new-rows';
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
      querystring: importQuery,
      response: { 201: importReply, ...csvErrors },
    },
    handler: async (request, reply) => {
      const workspace = workspaceId(request);
      const imported = await withBody(request, ctx.csvLimit, (stream) =>
        importCsv(ctx.pool, { stream, workspaceId: workspace, name: request.query.name }),
      );
      const table = await getTable(ctx.pool, imported.table.id, workspace);
      return reply.code(201).send({
        table: table ?? { ...imported.table, rowCount: imported.rows, updatedAt: imported.table.createdAt },
        rows: imported.rows,
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
      querystring: appendQuery,
      response: { 200: appendReply, ...csvErrors },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      const workspace = workspaceId(request);
      const key = request.query.key;
      const imported = await withBody(request, ctx.csvLimit, (stream) =>
        importCsv(ctx.pool, {
          stream,
          tableId: table.id,
          workspaceId: workspace,
          ...(key === undefined ? {} : { key, providers: ctx.providers }),
        }),
      );
      // The ids come as ranges and are expanded a page at a time: a 1 GB append never holds them all.
      await autoRunNewRows(
        ctx,
        { tableId: table.id, workspaceId: workspace },
        idPages(imported.rowIds, 100_000),
        request.log,
      );
      if (key === undefined) return { rows: imported.rows };
      if ((imported.stale ?? 0) > 0) ctx.staleAutoRun.schedule({ tableId: table.id, workspaceId: workspace });
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

/** Runs `use` on the request body, counting bytes against the limit; on failure stops reading. */
async function withBody<T>(
  request: FastifyRequest,
  limit: number,
  use: (stream: Readable) => Promise<T>,
): Promise<T> {
  const body = request.body as Readable | undefined;
  if (!body || typeof body.pipe !== 'function') {
    throw new AppError(
      'unsupported_media_type',
      'send the CSV as the request body with Content-Type: text/csv',
    );
  }
  const declared = Number(request.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > limit ? tooLarge(limit) : null, chunk);
    },
  });
  body.on('error', (error) => counted.destroy(error));
  try {
    return await use(body.pipe(counted));
  } catch (error) {
    // Stop reading a body we gave up on; the client sees the error, not a stalled upload.
    body.unpipe(counted);
    body.resume();
    throw error;
  }
}

function tooLarge(limit: number): AppError {
  return new AppError(
    'payload_too_large',
    `the CSV is larger than the ${limit}-byte limit (GLAZE_CSV_LIMIT)`,
  );
}

/** `attachment; filename="leads.csv"; filename*=UTF-8''…`: ASCII for old clients, UTF-8 for the rest. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\w.\- ]+/g, '_').trim() || 'table';
  return `attachment; filename="${ascii}.csv"; filename*=UTF-8''${encodeURIComponent(`${name}.csv`)}`;
}
