import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/openapi-document';
import { type TestServer, testServer } from './helpers';

/**
 * The served OpenAPI document names every operation (the client's method names), says each body's
 * and answer's real content type, and lists every error status a route answers with: probed here
 * by provoking each kind of error on every operation and looking the status up in the document.
 */
type Operation = {
  operationId?: string;
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};

let server: TestServer;
let document: { paths: Record<string, Record<string, Operation>> };
let operations: { method: string; path: string; operation: Operation }[];
beforeAll(async () => {
  server = await testServer();
  document = (await server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method, path, operation })),
  );
});
afterAll(() => server.close());

const byId = (id: string) => operations.find((o) => o.operation.operationId === id)?.operation;
/** The path with every parameter set to an id that names nothing. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, '999999999');

describe('the OpenAPI document', () => {
  it('is what openApiDocument() builds without a database (what the lint and the client read)', async () => {
    expect(await openApiDocument()).toEqual(document);
  });

  it('gives every operation a unique operationId', () => {
    expect(operations.length).toBeGreaterThanOrEqual(40);
    const ids = operations.map((o) => o.operation.operationId);
    expect(ids.filter((id) => typeof id !== 'string')).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says text/csv for CSV bodies and the export, text/event-stream for events', () => {
    expect(Object.keys(byId('importTable')?.requestBody?.content ?? {})).toEqual(['text/csv']);
    expect(Object.keys(byId('importRows')?.requestBody?.content ?? {})).toEqual(['text/csv']);
    expect(Object.keys(byId('exportTable')?.responses['200']?.content ?? {})).toEqual(['text/csv']);
    expect(Object.keys(byId('streamEvents')?.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
    expect(Object.keys(byId('createTable')?.requestBody?.content ?? {})).toEqual(['application/json']);
  });

  it('describes every error status with the Error schema', () => {
    for (const { operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const schema = response.content?.['application/json']?.schema;
        expect(JSON.stringify(schema), `${operation.operationId} ${status}`).toContain(
          '#/components/schemas/Error',
        );
      }
    }
  });

  it('lists the status of every error a route answers with', async () => {
    const unlisted: string[] = [];
    const probe = async (
      { method, path, operation }: (typeof operations)[number],
      kind: string,
      headers: Record<string, string>,
      payload?: string,
    ) => {
      const response = await server.app.inject({
        method: method.toUpperCase() as 'GET',
        url: concrete(path),
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      if (response.statusCode >= 400 && !operation.responses[response.statusCode])
        unlisted.push(`${operation.operationId} (${kind}): ${response.statusCode}`);
      return response.statusCode;
    };
    const seen = new Set<number>();
    for (const entry of operations) {
      if (entry.operation.operationId === 'streamEvents') continue; // a 200 would stream forever; 404 below
      const unsafe = entry.method !== 'get';
      const json = { 'content-type': 'application/json' };
      seen.add(await probe(entry, 'no credential', unsafe ? json : {}, unsafe ? '{}' : undefined));
      seen.add(await probe(entry, 'unknown ids', { ...server.auth, ...json }, unsafe ? '{}' : undefined));
      if (unsafe) {
        const cookie = { cookie: 'glaze_session=x', origin: 'https://elsewhere.example', ...json };
        seen.add(await probe(entry, 'cross-origin cookie', cookie, '{}'));
      }
      if (entry.operation.requestBody) {
        const type =
          Object.keys(entry.operation.requestBody.content)[0] === 'text/csv'
            ? 'application/json'
            : 'text/plain';
        seen.add(await probe(entry, 'wrong media type', { ...server.auth, 'content-type': type }, 'x'));
      }
    }
    const events = operations.find((o) => o.operation.operationId === 'streamEvents');
    if (events) seen.add(await probe(events, 'unknown table', server.auth));
    expect(unlisted).toEqual([]);
    // The probes did reach each kind of error (else the test above proves nothing).
    expect([...seen].filter((status) => status >= 400).sort()).toEqual(
      expect.arrayContaining([400, 401, 403, 404, 415]),
    );
  });
});
