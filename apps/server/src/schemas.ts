import { cellStatuses, columnKinds, nameLimits, runScopeSchema, runStatuses } from '@glaze/core';
import { z } from 'zod';

/**
 * The API's shapes, in one place: routes validate requests with them and the OpenAPI document at
 * /api/v1/openapi.json is generated from them. `.meta({ id })` makes each a named component.
 */
/** An id in a JSON body: a number, never a string to coerce. */
export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/**
 * An id in a URL: plain decimal digits, nothing JavaScript's Number() would also read — `0x2bc`,
 * `700e0`, `0700`, ` 700` and `700.0` all name no table (a 404), so one resource has one URL.
 */
export const urlId = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer in plain decimal digits')
  .transform(Number)
  .pipe(id);
export const tableParams = z.object({ id: urlId });
export const columnParams = z.object({ id: urlId, columnId: urlId });
export const runParams = z.object({ runId: urlId });

export const errorSchema = z
  .object({
    error: z.object({
      code: z
        .string()
        .describe('Stable code: validation_failed, not_found, unauthorized, payload_too_large…'),
      message: z.string(),
      path: z.string().nullable().describe('The offending field, e.g. `config.url`'),
    }),
  })
  .meta({ id: 'Error' });

const time = z.string().describe('ISO 8601, UTC');

export const tableSchema = z
  .object({ id: z.number(), name: z.string(), rowCount: z.number(), createdAt: time, updatedAt: time })
  .meta({ id: 'Table' });

export const columnSchema = z
  .object({
    id: z.number(),
    tableId: z.number(),
    name: z.string(),
    kind: z.enum(columnKinds),
    provider: z.string().nullable(),
    config: z.record(z.string(), z.unknown()),
    position: z.number(),
  })
  .meta({ id: 'Column' });

export const cellSchema = z
  .object({
    id: z.number(),
    status: z.enum(cellStatuses),
    value: z.unknown(),
    error: z.string().nullable(),
    attempt: z.number(),
    tries: z.number(),
    runId: z.number().nullable(),
    cost: z.number().nullable(),
    meta: z.record(z.string(), z.unknown()).nullable(),
    startedAt: time.nullable(),
    finishedAt: time.nullable(),
    seq: z.number().describe('Position in the change feed; a cell with a higher seq is newer'),
  })
  .meta({ id: 'Cell' });

export const rowSchema = z
  .object({
    id: z.number(),
    position: z.number(),
    values: z.record(z.string(), z.unknown()).describe('Input values by column id'),
    cells: z.record(z.string(), cellSchema).describe('Enrichment cells by column id'),
  })
  .meta({ id: 'Row' });
export const rowQueryPage = z
  .object({
    rows: z.array(rowSchema),
    offset: z.number().int(),
    matched: z
      .object({ count: z.number().int(), exact: z.boolean() })
      .optional()
      .describe("With `count=true`: exact up to 1,000, else the planner's estimate"),
    indexing: z.array(z.string()).describe('Indexes this query will use once built; until then it scans'),
  })
  .meta({ id: 'RowQueryPage' });

const count = z.number().int();
export const runSchema = z
  .object({
    id: z.number(),
    tableId: z.number(),
    columnId: z.number(),
    status: z.enum(runStatuses),
    total: count,
    counts: z.object({
      queued: count,
      running: count,
      done: count,
      error: count,
      skipped: count,
      cancelled: count,
    }),
    cost: z.number(),
    budget: z.number().nullable(),
    cancelReason: z.string().nullable(),
    createdAt: time,
    finishedAt: time.nullable(),
    elapsedSeconds: z.number(),
  })
  .meta({ id: 'Run' });

export const providerSchema = z
  .object({
    id: z.string(),
    description: z.string(),
    configSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the column config (input side)'),
  })
  .meta({ id: 'Provider' });

const name = z.string().trim().min(1).max(nameLimits.maxNameChars);
const columnName = name;
export const createTableBody = z.object({
  name,
  columns: z.array(columnName).max(nameLimits.maxColumns).optional(),
});
export const renameTableBody = z.object({ name });

export const rowsQuery = z.object({
  limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, 'must be an integer from 1 to 1000')
    .default('100')
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000)),
  cursor: z.string().max(200).optional(),
  filter: z
    .string()
    .max(20_000)
    .optional()
    .describe('The filter language as JSON (docs/API.md, "Filter, sort, search")'),
  sort: z.string().max(400).optional().describe('`Column[:asc|desc][:text|number|date]`, or JSON'),
  q: z.string().max(200).optional().describe('Searched for in every input value, ignoring case and accents'),
  offset: z
    .string()
    .regex(/^[0-9]{1,9}$/, 'must be an integer from 0 to 999999999')
    .transform(Number)
    .optional(),
  count: z.enum(['true', 'false']).optional().describe('`true`: also count the matching rows'),
});
export const exportQuery = z.object({
  raw: z
    .enum(['true', 'false'])
    .default('false')
    .describe(
      "`true` writes every field as stored. By default a field or header that starts with = + - @ (after any spaces), tab, CR or LF gets a leading ' so a spreadsheet shows it as text instead of running it as a formula; plain numbers such as -12.5 are left alone. Raw output is for programs, not spreadsheets: a value like =HYPERLINK(…) becomes a live formula when the file is opened.",
    ),
});
const values = z.record(z.string(), z.unknown());
export const insertRowsBody = z.object({ rows: z.array(values).min(1).max(10_000) });
export const updateRowsBody = z.object({ rows: z.array(z.object({ id, values })).min(1).max(10_000) });
export const deleteRowsBody = z.object({ ids: z.array(id).min(1).max(100_000) });

const providerId = z.string().min(1).max(100);
export const createColumnBody = z.object({
  name: columnName,
  kind: z.enum(['input', 'enrichment']),
  provider: providerId.optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export const updateColumnBody = z
  .object({
    name: columnName.optional(),
    provider: providerId.optional(),
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one of name, provider, config');
export const reorderColumnsBody = z.object({ columnIds: z.array(id).min(1).max(1000) });

export const startRunBody = z.object({
  // {filter}: the rows the filter selects now (checked by the engine, which names the field)
  scope: z.union([runScopeSchema, z.strictObject({ filter: z.unknown() })]),
  maxAttempts: z.number().int().min(1).max(20).optional(),
  budget: z.number().positive().nullable().optional(),
});
export const runsQuery = z.object({ status: z.enum(runStatuses).optional() });
export const cellRunBody = z.object({ rowId: id, columnId: id });

export const sessionBody = z.object({ token: z.string().min(1).max(500) });
export const workspaceSchema = z.object({ id: z.number(), name: z.string() }).meta({ id: 'Workspace' });

const unavailableSchema = errorSchema.describe(
  '`database_unavailable`: the database cannot be reached right now; retry after `Retry-After` seconds',
);

/**
 * Responses every authenticated route may give besides its own: the client's mistakes, and a 503
 * while the database cannot be reached (even a token is looked up in it).
 */
export const routeErrors = { 400: errorSchema, 401: errorSchema, 404: errorSchema, 503: unavailableSchema };
