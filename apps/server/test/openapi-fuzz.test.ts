import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from './helpers';

/**
 * Walks every operation of the OpenAPI document and sends a fixed corpus of bad values into each
 * path parameter, query parameter and body field (one at a time, the rest valid), plus bad whole
 * bodies and bad CSV files. Any 5xx fails, and so does an error body that is not exactly
 * `{"error":{"code":string,"message":string,"path":string|null}}`. A non-canonical spelling of a
 * real id (`0x2bc`, `700e0`, `0700`) must not reach the resource. No randomness: the corpus is fixed.
 */

let server: TestServer;
let tableId: number;
let columnId: number;
let enrichmentId: number;
let runId: number;
let cellId: number;
let viewId: number;
let rowId: number;

interface Operation {
  method: string;
  /** `/api/v1/tables/{id}` */
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
  csv: boolean;
}

interface Attempt {
  what: string;
  method: string;
  url: string;
  payload?: string | Buffer;
  type?: string;
  /** This input names a real resource in a non-canonical way: a 2xx means ids are coerced. */
  mustMiss?: boolean;
}

/**
 * Values too deep for JSON.stringify's own stack are spliced in as text: the field holds a marker
 * string that `toJson` replaces.
 */
const rawJson = new Map<string, string>([
  ['\u0001deep-arrays', `${'['.repeat(5000)}1${']'.repeat(5000)}`],
  ['\u0001deep-objects', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`],
  ['\u0001deep-65', `${'{"a":'.repeat(65)}"x"${'}'.repeat(65)}`],
]);
function toJson(value: unknown): string {
  let text = JSON.stringify(value);
  for (const [marker, raw] of rawJson) text = text.replaceAll(JSON.stringify(marker), raw);
  return text;
}

/** JSON values for body fields. */
const bodyCorpus: Array<[string, unknown]> = [
  ['NUL', '\u0000'],
  ['NUL inside', 'a\u0000b'],
  ['lone high surrogate', '\ud800'],
  ['lone low surrogate', 'x\udfffy'],
  ['empty string', ''],
  ['blank string', '   '],
  ['10 KB string', 'x'.repeat(10_000)],
  ['1 MB string', 'y'.repeat(1_000_000)],
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['negative', -1],
  ['float', 1.5],
  ['huge number', 1e308],
  ['unsafe integer', 2 ** 53 + 2],
  ['hex string', '0x2bc'],
  ['exponent string', '700e0'],
  ['empty array', []],
  ['array of NUL', ['\u0000']],
  ['empty object', {}],
  ['object with NUL key', { 'a\u0000': 1 }],
  ['object with surrogate key', { '\ud800': 'x' }],
  ['object with 3,000-char key', { ['k'.repeat(3000)]: 'v' }],
  ['proto key', JSON.parse('{"__proto__":{"polluted":1}}')],
  ['array for object', [{ a: 1 }]],
  ['5,000-deep arrays', '\u0001deep-arrays'],
  ['5,000-deep objects', '\u0001deep-objects'],
  ['65-deep objects', '\u0001deep-65'],
  ['SQL', "'; drop table rows; --"],
  ['template', '{{secret.X}}'],
];

/** Strings for path parameters (already URL-encoded where they need to be). */
function pathCorpus(real: string): Array<[string, string, boolean?]> {
  const n = Number(real);
  return [
    ['hex of a real id', `0x${n.toString(16)}`, true],
    ['exponent of a real id', `${n}e0`, true],
    ['leading zero', `0${real}`, true],
    ['trailing .0', `${real}.0`, true],
    ['leading plus', `%2B${real}`, true],
    ['leading space', `%20${real}`, true],
    ['zero', '0'],
    ['negative', '-1'],
    ['float', '1.5'],
    ['past 2^53', '9007199254740993'],
    ['20 digits', '9'.repeat(20)],
    ['word', 'abc'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['encoded NUL', '%00'],
    ['NUL after id', `${real}%00`],
    ['encoded lone surrogate', '%ED%A0%80'],
    ['bad escape', '%zz'],
    ['lone percent', '%'],
    ['truncated escape', '%E0%A4%A'],
    ['overlong NUL', '%C0%80'],
    ['200 chars', 'x'.repeat(200)],
    ['5,000 chars', '1'.repeat(5000)],
    ['dot dot', '..'],
  ];
}

/** Strings for query parameters (raw, encoded with encodeURIComponent where they can be). */
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const queryCorpus: Array<[string, string]> = [
  ['NUL', '%00'],
  ['lone surrogate', '%ED%A0%80'],
  ['bad escape', '%zz'],
  ['empty', ''],
  ['hex', '0x10'],
  ['exponent', '1e2'],
  ['negative', '-1'],
  ['float', '1.5'],
  ['20 digits', '9'.repeat(20)],
  ['word', 'abc'],
  ['3,000 chars', 'q'.repeat(3000)],
  ['array', 'a&__repeat__'],
  ['cursor with float id', b64('[1,1.5]')],
  ['cursor with huge id', b64('[1,1e300]')],
  ['cursor with negative id', b64('[1,-5]')],
  ['cursor with unsafe id', b64('[1,9007199254740993]')],
  ['cursor with string id', b64('[1,"1"]')],
  ['cursor with huge position', b64('[1e308,1]')],
  ['cursor with three parts', b64('[1,2,3]')],
  ['cursor of an object', b64('{"a":1}')],
  ['cursor with NUL', b64('[1,"\\u0000"]')],
];

const jsonType = 'application/json';

/** Whole bodies for JSON operations: [name, payload, content type]. */
const wholeBodies: Array<[string, string | Buffer | undefined, string | undefined]> = [
  ['no body', undefined, jsonType],
  ['empty body', '', jsonType],
  ['invalid JSON', '{"a":', jsonType],
  ['JSON null', 'null', jsonType],
  ['JSON array', '[]', jsonType],
  ['JSON string', '"x"', jsonType],
  ['JSON number', '1', jsonType],
  ['text/plain', 'name=x', 'text/plain'],
  ['text/csv', 'a,b\n1,2\n', 'text/csv'],
  ['no content type', '{"name":"x"}', undefined],
  ['bad content type', '{"name":"x"}', '///'],
  ['UTF-16 charset', '{"name":"x"}', 'application/json; charset=utf-16'],
  ['escaped NUL key', '{"\\u0000":1}', jsonType],
  ['escaped lone surrogate', '{"name":"\\ud800"}', jsonType],
  ['raw invalid UTF-8', Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), jsonType],
  ['5,000-deep array body', `${'['.repeat(5000)}${']'.repeat(5000)}`, jsonType],
  ['100,000-deep array body', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, jsonType],
  ['proto pollution', '{"__proto__":{"x":1},"constructor":{"prototype":{"x":1}}}', jsonType],
];

const csvType = 'text/csv';
const utf16be = (text: string) => {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1] as number, le[i] as number];
  return le;
};
const csvCorpus: Array<[string, string | Buffer]> = [
  ['NUL in a header', 'na\u0000me,email\nx,y\n'],
  ['NUL in a value', 'name,email\nx\u0000,y\n'],
  ['UTF-16BE with BOM', utf16be('name,email\nx,y\n')],
  ['UTF-16LE with BOM', Buffer.from('\ufeffname,email\nx,y\n', 'utf16le')],
  ['3,000-char header', `${'h'.repeat(3000)}\nx\n`],
  ['1 MB header', `${'h'.repeat(1_000_000)}\nx\n`],
  ['2,000 columns', `${Array.from({ length: 2000 }, (_, i) => `c${i}`).join(',')}\n`],
  ['blank header', ',email\nx,y\n'],
  ['repeated header', 'name,name\nx,y\n'],
  ['header only', 'name,email\n'],
  ['BOM only', '\ufeff'],
  ['empty', ''],
  ['unclosed quote', 'name,email\n"x,y\n'],
  ['extra fields', 'name,email\nx,y,z\n'],
  ['invalid UTF-8', Buffer.from([0x6e, 0x61, 0xc3, 0x28, 0x0a, 0x78, 0x0a])],
  ['lone surrogate as CESU', Buffer.from([0x6e, 0xed, 0xa0, 0x80, 0x0a, 0x78, 0x0a])],
  ['1 MB value', `name,email\n${'v'.repeat(1_000_000)},y\n`],
  ['JSON as CSV', '{"name":"x"}'],
];

beforeAll(async () => {
  server = await testServer({ secretKey: Buffer.alloc(32, 7) });
  const call = async (method: string, url: string, body: unknown) => {
    const response = await server.app.inject({
      method: method as 'POST',
      url: `/api/v1${url}`,
      headers: { ...server.auth, 'content-type': jsonType },
      payload: JSON.stringify(body),
    });
    if (response.statusCode >= 300) throw new Error(`seed ${method} ${url}: ${response.body}`);
    return response.body ? response.json() : undefined;
  };
  const created = await call('POST', '/tables', { name: 'Fuzz', columns: ['name', 'email'] });
  tableId = created.table.id;
  const rows = await call('POST', `/tables/${tableId}/rows`, {
    rows: Array.from({ length: 20 }, (_, i) => ({ name: `n${i}`, email: `e${i}@example.com` })),
  });
  rowId = rows.ids[0];
  const table = await server.app.inject({
    method: 'GET',
    url: `/api/v1/tables/${tableId}`,
    headers: server.auth,
  });
  columnId = table.json().columns[0].id;
  const enrichment = await call('POST', `/tables/${tableId}/columns`, {
    name: 'Check',
    kind: 'enrichment',
    provider: 'mock',
    config: { input: '{{email}}' },
  });
  enrichmentId = enrichment.column.id;
  const run = await call('POST', `/tables/${tableId}/columns/${enrichmentId}/runs`, { scope: 'all' });
  runId = run.run.id;
  cellId = (await call('GET', `/tables/${tableId}/rows`, undefined)).rows[0].cells[String(enrichmentId)].id;
  await call('PUT', '/secrets/FUZZ', { value: 'v' });
  viewId = (
    await call('POST', `/tables/${tableId}/views`, { name: 'Fuzz view', hiddenColumnIds: [columnId] })
  ).view.id;
}, 60_000);
afterAll(() => server.close());

/** A valid body per operation, so one bad field at a time is what the server sees. */
function validBody(operation: Operation): Record<string, unknown> {
  const key = `${operation.method} ${operation.path.replace('/api/v1', '')}`;
  const bodies: Record<string, Record<string, unknown>> = {
    'post /tables': { name: 'Other', columns: ['a'] },
    'patch /tables/{id}': { name: 'Fuzz' },
    'post /tables/{id}/rows': { rows: [{ name: 'x' }] },
    'patch /tables/{id}/rows': { rows: [{ id: rowId, values: { name: 'y' } }] },
    'delete /tables/{id}/rows': { ids: [987_654] },
    'post /tables/{id}/columns': { name: 'New', kind: 'input' },
    'patch /tables/{id}/columns/{columnId}': { name: 'name' },
    'put /tables/{id}/columns/order': { columnIds: [columnId] },
    'post /tables/{id}/columns/{columnId}/runs': { scope: { rowIds: [rowId] } },
    'post /tables/{id}/cells/run': { rowId, columnId: enrichmentId },
    'post /tables/{id}/views': { name: 'Another view', query: { filter: { column: columnId, op: 'empty' } } },
    'patch /tables/{id}/views/{viewId}': { query: { sort: { column: columnId } } },
    'post /session': { token: 'glz_nope' },
    'put /secrets/{name}': { value: 'v' },
  };
  return bodies[key] ?? {};
}

function realParam(name: string, operation: Operation): string {
  if (name === 'id') return String(tableId);
  if (name === 'columnId') return String(operation.path.endsWith('/runs') ? enrichmentId : columnId);
  if (name === 'runId') return String(runId);
  if (name === 'viewId') return String(viewId);
  if (name === 'cellId') return String(cellId);
  if (name === 'name') return 'FUZZ';
  throw new Error(`no value for path parameter ${name}`);
}

function urlOf(operation: Operation, params: Record<string, string>, query = ''): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] as string);
  return query ? `${path}?${query}` : path;
}

function attemptsFor(operation: Operation): Attempt[] {
  const attempts: Attempt[] = [];
  const params = Object.fromEntries(operation.pathParams.map((name) => [name, realParam(name, operation)]));
  const baseQuery = operation.path.endsWith('/tables/import') ? 'name=FuzzImport' : '';
  const body =
    operation.bodyFields.length > 0 || operation.method !== 'get' ? validBody(operation) : undefined;
  const payloadOf = (value: unknown) => (value === undefined ? undefined : toJson(value));
  const base = {
    method: operation.method,
    payload: operation.csv ? 'name,email\nx,y\n' : payloadOf(body),
    type: operation.csv ? csvType : body === undefined ? undefined : jsonType,
  };

  for (const name of operation.pathParams) {
    for (const [what, value, mustMiss] of pathCorpus(params[name] as string)) {
      attempts.push({
        ...base,
        what: `path ${name} = ${what}`,
        url: urlOf(operation, { ...params, [name]: value }, baseQuery),
        mustMiss: mustMiss && name !== 'name',
      });
    }
  }
  for (const name of operation.queryParams) {
    for (const [what, value] of queryCorpus) {
      const query = value.includes('__repeat__') ? `${name}=a&${name}=b` : `${name}=${value}`;
      const rest = baseQuery && name !== 'name' ? `${baseQuery}&` : '';
      attempts.push({
        ...base,
        what: `query ${name} = ${what}`,
        url: urlOf(operation, params, rest + query),
      });
    }
  }
  const url = urlOf(operation, params, baseQuery);
  if (operation.csv) {
    for (const [what, payload] of csvCorpus) attempts.push({ ...base, what: `CSV: ${what}`, url, payload });
    attempts.push({ ...base, what: 'CSV sent as JSON', url, type: jsonType, payload: '{"name":"x"}' });
    return attempts;
  }
  if (body === undefined) return attempts;
  for (const field of operation.bodyFields) {
    for (const [what, value] of bodyCorpus) {
      attempts.push({
        ...base,
        what: `body ${field} = ${what}`,
        url,
        payload: payloadOf({ ...body, [field]: value }),
      });
    }
  }
  // One level down: each array field's first element, and the values of a row.
  for (const [field, value] of Object.entries(body)) {
    if (!Array.isArray(value) || value.length === 0) continue;
    for (const [what, bad] of bodyCorpus) {
      const first = value[0];
      const inner =
        first && typeof first === 'object' && 'values' in first
          ? { ...first, values: { name: bad } }
          : first && typeof first === 'object'
            ? { ...first, name: bad }
            : bad;
      attempts.push({
        ...base,
        what: `body ${field}[0] = ${what}`,
        url,
        payload: payloadOf({ ...body, [field]: [inner] }),
      });
    }
  }
  for (const [what, payload, type] of wholeBodies)
    attempts.push({ ...base, what: `body: ${what}`, url, payload, type });
  return attempts;
}

/** Why a response breaks the contract, or null when it keeps it. */
function contractBreach(attempt: Attempt, response: LightMyRequestResponse): string | null {
  if (response.statusCode >= 500) return `status ${response.statusCode}`;
  if (attempt.mustMiss && response.statusCode < 300)
    return `status ${response.statusCode}: a coerced id was accepted`;
  if (response.statusCode < 400) return null;
  if (!String(response.headers['content-type']).startsWith('application/json')) {
    return `error with content-type ${response.headers['content-type']}`;
  }
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return 'error body is not JSON';
  }
  const error = (body as { error?: Record<string, unknown> })?.error;
  const ok =
    body !== null &&
    typeof body === 'object' &&
    Object.keys(body).length === 1 &&
    error !== null &&
    typeof error === 'object' &&
    Object.keys(error).sort().join() === 'code,message,path' &&
    typeof error.code === 'string' &&
    typeof error.message === 'string' &&
    (error.path === null || typeof error.path === 'string');
  if (!ok) return 'error body not in the documented shape';
  if (response.body.length > 2000) return `error body of ${response.body.length} characters`;
  return null;
}

const short = (text: string | Buffer | undefined, max = 160) => {
  const value = text === undefined ? '' : String(text);
  return value.length > max ? `${value.slice(0, max)}… (${value.length} chars)` : value;
};

describe('the OpenAPI fuzz corpus', () => {
  it('never gets a 5xx or an error outside {error:{code,message,path}}', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const operations: Operation[] = [];
    for (const [path, item] of Object.entries(
      doc.paths as Record<string, Record<string, Record<string, never>>>,
    )) {
      for (const [method, spec] of Object.entries(item)) {
        const parameters = (spec.parameters ?? []) as Array<{ in: string; name: string }>;
        const schema = (
          spec.requestBody as { content?: Record<string, { schema?: { properties?: object } }> } | undefined
        )?.content?.[jsonType]?.schema;
        operations.push({
          method,
          path,
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
          bodyFields: Object.keys(schema?.properties ?? {}),
          csv: path.endsWith('/import'),
        });
      }
    }
    // Deletes last, so the seeded table and columns serve every other operation.
    operations.sort((a, b) => Number(a.method === 'delete') - Number(b.method === 'delete'));
    expect(operations.length).toBeGreaterThan(20);

    const failures: string[] = [];
    let sent = 0;
    const started = Date.now();
    for (const operation of operations) {
      for (const attempt of attemptsFor(operation)) {
        const request = server.app.inject({
          method: attempt.method.toUpperCase() as 'GET',
          url: attempt.url,
          headers: { ...server.auth, ...(attempt.type ? { 'content-type': attempt.type } : {}) },
          payload: attempt.payload,
        });
        // The event stream stays open when a request is accepted: a reply within 2 s is an error reply.
        const response = await Promise.race([
          request,
          new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000).unref()),
        ]);
        sent++;
        const breach =
          response === null
            ? 'no reply within 2 s (an accepted event stream?)'
            : contractBreach(attempt, response);
        if (breach) {
          failures.push(
            `${operation.method.toUpperCase()} ${operation.path} — ${attempt.what}\n` +
              `  url: ${short(attempt.url)}  payload: ${short(attempt.payload)}\n` +
              `  → ${breach}: ${response ? `${response.statusCode} ${short(response.body, 300)}` : ''}`,
          );
        }
      }
    }
    if (process.env.FUZZ_DUMP)
      (await import('node:fs')).writeFileSync(process.env.FUZZ_DUMP, failures.join('\n'));
    console.info(
      `openapi fuzz: ${operations.length} operations, ${sent} requests, ${Date.now() - started} ms`,
    );
    expect(sent).toBeGreaterThanOrEqual(1000);
    expect(failures, `${failures.length} breaches:\n${failures.slice(0, 60).join('\n')}`).toEqual([]);
  }, 120_000);
});
