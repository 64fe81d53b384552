import type { FastifyRequest } from 'fastify';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { toErrorReply } from '../src/errors';

/** A pg DatabaseError as the driver throws it: SQLSTATE in `code`, plus severity and routine. */
const pgError = (code: string) =>
  Object.assign(new Error(`postgres said ${code}`), { code, severity: 'ERROR', routine: 'x' });

const logged: string[] = [];
const request = {
  url: '/api/v1/tables',
  log: { warn: () => logged.push('warn'), error: () => logged.push('error'), debug: () => {} },
} as unknown as FastifyRequest;

describe('database refusals of client data', () => {
  it.each(['22P05', '22021', '54000', '22001'])('%s is a 400 that says what, never a 500', (code) => {
    const { status, body } = toErrorReply(pgError(code), request);
    expect(status).toBe(400);
    expect(body.error).toEqual({
      code: 'validation_failed',
      message: expect.stringMatching(/value/),
      path: null,
    });
    expect(body.error.message).not.toContain('postgres said');
  });

  it('leaves 22P02 a logged 500: ids and numbers are checked before SQL, so it is a bug', () => {
    logged.length = 0;
    expect(toErrorReply(pgError('22P02'), request).status).toBe(500);
    expect(logged).toEqual(['error']);
  });
});

describe('a database that cannot take writes', () => {
  it.each([
    ['53100', /^the database is out of disk space: nothing can be saved until space is freed/],
    ['25006', /^the database is read-only/],
  ])('%s is a 503 that says why, not a 500', (code, message) => {
    logged.length = 0;
    const { status, body } = toErrorReply(pgError(code), request);
    expect(status).toBe(503);
    expect(body.error).toEqual({
      code: 'database_unavailable',
      message: expect.stringMatching(message),
      path: null,
    });
    expect(logged).toEqual([]);
  });
});

describe("a statement cancelled at the database's statement_timeout", () => {
  it('is a 504 database_timeout that says what to change, logged as a warning', async () => {
    // the error as Postgres gives it (some hosts set a statement_timeout on every role)
    const client = new pg.Client({ connectionString: inject('adminUrl') });
    await client.connect();
    const thrown = await client
      .query("set statement_timeout = '20ms'; select pg_sleep(1)")
      .catch((error: unknown) => error);
    await client.end();
    logged.length = 0;
    const { status, body } = toErrorReply(thrown, request);
    expect(status).toBe(504);
    expect(body.error).toEqual({
      code: 'database_timeout',
      message: expect.stringContaining('statement_timeout = 0'),
      path: null,
    });
    expect(logged).toEqual(['warn']);
  });

  it.each([
    ['an operator (pg_cancel_backend)', 'canceling statement due to user request'],
    ['a statement_timeout, in German', 'storniere Anfrage wegen Zeitüberschreitung der Anweisung'],
  ])('is a 504 too when cancelled by %s, whatever the language, logged as a warning', (_, message) => {
    logged.length = 0;
    const cancelled = Object.assign(pgError('57014'), { message });
    const { status, body } = toErrorReply(cancelled, {
      ...request,
      raw: { socket: { destroyed: false } },
    } as unknown as FastifyRequest);
    expect(status).toBe(504);
    expect(body.error.code).toBe('database_timeout');
    expect(body.error.message).toContain('statement_timeout = 0');
    expect(body.error.message).toContain('or an operator cancelled it');
    expect(logged).toEqual(['warn']);
  });

  it('is the client gone (499, not logged as an error) when the request was abandoned', () => {
    logged.length = 0;
    const cancelled = Object.assign(pgError('57014'), { message: 'canceling statement due to user request' });
    const { status } = toErrorReply(cancelled, {
      ...request,
      raw: { socket: { destroyed: true } },
    } as unknown as FastifyRequest);
    expect(status).toBe(499);
    expect(logged).toEqual([]);
  });
});

describe('a process out of file descriptors', () => {
  it('answers 503 server_busy naming the open-file limit, and warns once, not per request', () => {
    logged.length = 0;
    // what pg's connect throws under `ulimit -n` exhausted: a Node system error, no SQLSTATE
    const thrown = Object.assign(new Error('connect EMFILE 127.0.0.1:5432 - Local (undefined:undefined)'), {
      code: 'EMFILE',
      errno: -24,
      syscall: 'connect',
    });
    const first = toErrorReply(thrown, request);
    const second = toErrorReply(thrown, request);
    for (const { status, body } of [first, second]) {
      expect(status).toBe(503);
      expect(body.error.code).toBe('server_busy');
      expect(body.error.message).toContain('open-file limit, ulimit -n');
    }
    expect(logged).toEqual(['warn']);
  });
});
