import pg from 'pg';
import type { Pool, PoolClient } from './pool';

/**
 * `pool`, for the statements of one request a person waits on (a page of rows, a count): once
 * `signal` aborts (the HTTP client went away), a statement still running on a connection checked out
 * through it is cancelled in Postgres, and no further statement starts. Without this a search at a
 * million rows the grid had already given up on ran on for up to a second, holding a connection.
 *
 * The cancel is Postgres's CancelRequest, sent on a connection of its own (what psql's Ctrl-C sends;
 * PgBouncer passes it on to the server connection in use). It may land after the statement ended,
 * on whatever the connection runs next, so a connection that was cancelled is closed when released,
 * never handed to another caller. Work started here in the background (an index build) must be given
 * the plain pool.
 */
export function cancelOnAbort(pool: Pool, signal: AbortSignal): Pool {
  const scoped = Object.create(pool) as Pool;
  // pg-pool's own `query` checks out through `this.connect(callback)`, so overriding `connect` covers
  // both `scoped.query(…)` and `scoped.connect()`.
  const connect = (callback?: (error: Error | undefined, client?: PoolClient, done?: () => void) => void) => {
    const checkedOut = checkOut(pool, signal);
    if (!callback) return checkedOut;
    checkedOut.then(
      (client) => callback(undefined, client, client.release),
      (error: Error) => callback(error),
    );
    return undefined;
  };
  scoped.connect = connect as Pool['connect'];
  return scoped;
}

/** The error a statement gets once its request is gone: Postgres's own code for a cancelled statement. */
export class StatementCancelled extends Error {
  readonly code = '57014';
  constructor() {
    super('canceling statement: the request it served was abandoned by its client');
  }
}

async function checkOut(pool: Pool, signal: AbortSignal): Promise<PoolClient> {
  if (signal.aborted) throw new StatementCancelled();
  const client = await pool.connect();
  if (signal.aborted) {
    client.release();
    throw new StatementCancelled();
  }
  let running = 0;
  let cancelled = false;
  const onAbort = () => {
    if (running === 0) return;
    cancelled = true;
    sendCancel(client);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const query = client.query as (...args: unknown[]) => unknown;
  client.query = function counted(this: PoolClient, ...args: unknown[]) {
    // Statements asked for after the abort (the rest of a transaction, its ROLLBACK) fail at once.
    if (signal.aborted) {
      cancelled = true;
      const callback = args.at(-1);
      if (typeof callback !== 'function') return Promise.reject(new StatementCancelled());
      process.nextTick(callback, new StatementCancelled());
      return undefined;
    }
    // a Submittable (a cursor) is not a promise: passed through, not counted
    if (typeof (args[0] as { submit?: unknown } | undefined)?.submit === 'function')
      return query.apply(this, args);
    running++;
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (...result: unknown[]) => {
        running--;
        callback(...result);
      };
      return query.apply(this, args);
    }
    return (query.apply(this, args) as Promise<unknown>).finally(() => running--);
  } as PoolClient['query'];
  const release = client.release;
  client.release = (error?: Error | boolean) => {
    signal.removeEventListener('abort', onAbort);
    // the pool sets its own `release` on each check-out; `query` is the prototype's again
    delete (client as { query?: unknown }).query;
    // a connection a cancel was sent to (or one cut short mid-transaction) is closed, not reused
    release(error ?? (cancelled ? new StatementCancelled() : undefined));
  };
  return client;
}

/**
 * Postgres's CancelRequest for whatever `client`'s server connection runs now: the connection's
 * process id and secret key, on a socket of its own, unencrypted (no startup, no password), as
 * node-postgres's own `cancel` sends it.
 */
function sendCancel(client: PoolClient): void {
  const { host, port, processID, secretKey } = client as unknown as {
    host: string;
    port: number;
    processID: number;
    secretKey: number;
  };
  const connection = new pg.Connection() as pg.Connection & {
    connect(portOrPath: number | string, host?: string): void;
    cancel(processID: number, secretKey: number): void;
  };
  // a database that is down or unreachable: the statement ends with its connection anyway
  connection.on('error', () => {});
  connection.on('connect', () => connection.cancel(processID, secretKey));
  if (host.startsWith('/')) connection.connect(`${host}/.s.PGSQL.${port}`);
  else connection.connect(port, host);
}
