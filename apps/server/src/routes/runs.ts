import {
  AppError,
  cellRunBody,
  columnParams,
  type Filter,
  keyReusedSchema,
  notFound,
  type RunScope,
  routeErrors,
  runListReply,
  runParams,
  runReply,
  runsQuery,
  runTimelineQuery,
  runTimelineReply,
  type StartRunBody,
  startRunBody,
  startRunHeaders,
  tableParams,
} from '@glaze/core';
import {
  cancelRun,
  findKeyedRuns,
  getRun,
  getRunTimeline,
  listRuns,
  matchingRowIds,
  type RunProgress,
  runAllColumns,
  startCellRun,
  startRun,
  viewRowIds,
} from '@glaze/engine';
import { workspaceId } from '../auth/authenticate';
import type { Api, ServerContext } from '../context';
import { idempotencyOf, markReplayed } from '../idempotency';
import { requireTable } from './require-table';

export function runRoutes(api: Api, ctx: ServerContext): void {
  /** A run just started or changed, as GET /runs/:runId shows it. */
  async function runOf(runId: number, workspace: number): Promise<RunProgress> {
    const run = await getRun(ctx.pool, runId, workspace);
    if (!run) throw notFound('run', runId);
    return run;
  }

  /** `{filter}` or `{view}`: the rows it selects now, as a row list (at most 100,000 rows). */
  async function filterScope(
    scope: StartRunBody['scope'],
    request: Parameters<typeof requireTable>[1] & { params: { id: number } },
  ): Promise<RunScope> {
    if (typeof scope === 'string' || 'rowIds' in scope) return scope;
    const table = await requireTable(ctx, request, request.params.id); // another workspace's table is a 404
    const [rowIds, field] =
      'view' in scope
        ? [
            await viewRowIds(ctx.pool, {
              viewId: scope.view,
              tableId: table.id,
              workspaceId: workspaceId(request),
              field: 'scope.view',
            }),
            'scope.view',
          ]
        : [
            await matchingRowIds(ctx.pool, {
              tableId: table.id,
              filter: scope.filter as Filter,
              fieldPrefix: 'scope.',
            }),
            'scope.filter',
          ];
    if (rowIds.length === 0) throw new AppError('validation_failed', 'matches no rows', field);
    return { rowIds };
  }

  api.post('/tables/:id/columns/:columnId/runs', {
    schema: {
      operationId: 'runColumn',
      tags: ['runs'],
      summary: 'Run an enrichment column over all rows, empty cells, failed cells or some rows',
      params: columnParams,
      headers: startRunHeaders,
      body: startRunBody,
      response: { 201: runReply, 422: keyReusedSchema, ...routeErrors },
    },
    handler: async (request, reply) => {
      const workspace = workspaceId(request);
      const idempotency = idempotencyOf(request);
      // a retried start: the run the first request started, before its scope is looked for again
      // (a filter over the column's own values may match other rows by now)
      const [earlier] = idempotency ? await findKeyedRuns(ctx.pool, workspace, idempotency) : [];
      if (earlier)
        return markReplayed(reply, true)
          .code(201)
          .send({ run: await runOf(earlier.id, workspace) });
      const scope = await filterScope(request.body.scope, request);
      // One statement checks the column, its table and the workspace, and starts the run: the
      // look-ups before it were two of the ~20 ms from click to the last cell on screen.
      const started = await startRun(ctx.pool, {
        columnId: request.params.columnId,
        tableId: request.params.id,
        workspaceId: workspace,
        ...request.body,
        scope,
        idempotency,
      }).catch(async (error) => {
        // Name what is missing: the table (also when it is another workspace's), else the column.
        if (error instanceof AppError && error.code === 'not_found')
          await requireTable(ctx, request, request.params.id);
        throw error;
      });
      return markReplayed(reply, started.replayed)
        .code(201)
        .send({ run: await runOf(started.id, workspace) });
    },
  });

  api.post('/tables/:id/runs', {
    schema: {
      operationId: 'runTable',
      tags: ['runs'],
      summary:
        'Run every enrichment column of the table, in dependency order (a column after those it reads), over all rows, empty, failed or stale cells, or some rows ("run this row")',
      params: tableParams,
      headers: startRunHeaders,
      body: startRunBody,
      response: { 201: runListReply, 422: keyReusedSchema, ...routeErrors },
    },
    handler: async (request, reply) => {
      const table = await requireTable(ctx, request, request.params.id);
      const workspace = workspaceId(request);
      const started = await runAllColumns(ctx.pool, ctx.providers, {
        tableId: table.id,
        workspaceId: workspace,
        ...request.body,
        // looked for only when a column is to be started: a retry whose runs all exist needs none
        scope: () => filterScope(request.body.scope, request),
        idempotency: idempotencyOf(request),
      });
      const runs: RunProgress[] = [];
      for (const run of started) runs.push(await runOf(run.id, workspace));
      const replayed = started.length > 0 && started.every((run) => run.replayed);
      return markReplayed(reply, replayed).code(201).send({ runs });
    },
  });

  api.post('/tables/:id/cells/run', {
    schema: {
      operationId: 'runCell',
      tags: ['runs'],
      summary: 'Run one cell',
      params: tableParams,
      headers: startRunHeaders,
      body: cellRunBody,
      response: { 201: runReply, 422: keyReusedSchema, ...routeErrors },
    },
    handler: async (request, reply) => {
      const table = await requireTable(ctx, request, request.params.id);
      const workspace = workspaceId(request);
      const idempotency = idempotencyOf(request);
      const [earlier] = idempotency ? await findKeyedRuns(ctx.pool, workspace, idempotency) : [];
      const started =
        earlier ??
        (await startCellRun(ctx.pool, {
          tableId: table.id,
          workspaceId: workspace,
          ...request.body,
          idempotency,
        }));
      return markReplayed(reply, started.replayed)
        .code(201)
        .send({ run: await runOf(started.id, workspace) });
    },
  });

  api.get('/tables/:id/runs', {
    schema: {
      operationId: 'listRuns',
      tags: ['runs'],
      summary: "A table's runs, newest first",
      params: tableParams,
      querystring: runsQuery,
      response: { 200: runListReply, ...routeErrors },
    },
    handler: async (request) => {
      const table = await requireTable(ctx, request, request.params.id);
      return {
        runs: await listRuns(ctx.pool, {
          tableId: table.id,
          workspaceId: workspaceId(request),
          status: request.query.status,
        }),
      };
    },
  });

  api.get('/runs/:runId', {
    schema: {
      operationId: 'getRun',
      tags: ['runs'],
      summary: 'A run with its counts per cell state',
      params: runParams,
      response: { 200: runReply, ...routeErrors },
    },
    handler: async (request) => ({ run: await runOf(request.params.runId, workspaceId(request)) }),
  });

  api.get('/runs/:runId/timeline', {
    schema: {
      operationId: 'getRunTimeline',
      tags: ['runs'],
      summary:
        "How a run's cells overlapped in time: spans (sampled), latency percentiles, peak in flight, calls per second, retries, 429s, cost",
      params: runParams,
      querystring: runTimelineQuery,
      response: { 200: runTimelineReply, ...routeErrors },
    },
    handler: async (request) => {
      const timeline = await getRunTimeline(ctx.pool, request.params.runId, {
        workspaceId: workspaceId(request),
        samples: request.query.samples,
      });
      if (!timeline) throw notFound('run', request.params.runId);
      return { timeline };
    },
  });

  api.post('/runs/:runId/cancel', {
    schema: {
      operationId: 'cancelRun',
      tags: ['runs'],
      summary:
        'Cancel a run: its queued and running cells become cancelled (a finished run is left as it is)',
      params: runParams,
      response: { 200: runReply, ...routeErrors },
    },
    handler: async (request) => {
      const workspace = workspaceId(request);
      const run = await runOf(request.params.runId, workspace);
      if (run.status === 'running') await cancelRun(ctx.pool, run.id, { workspaceId: workspace });
      return { run: await runOf(run.id, workspace) };
    },
  });
}
