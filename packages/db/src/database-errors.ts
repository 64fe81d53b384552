/**
 * SQLSTATE classes and codes that mean "the database could not be reached or is restarting", not
 * "the statement was wrong": class 08 (connection exception), 57P01–57P05 (admin/crash shutdown,
 * cannot connect now, idle session timeout). 53300 (too many connections) is an outage of its own.
 */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '57P04', '57P05']);

/**
 * A new connection refused because the other end has all the clients it takes: Postgres at its
 * `max_connections` (53300, "too many clients already"), or PgBouncer at its `max_client_conn`
 * (08P01, "no more connections allowed (max_client_conn)").
 */
export function refusedAsFull(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === '53300' || (typeof message === 'string' && message.startsWith('no more connections allowed'))
  );
}

/** Socket-level failures Node reports while a database restarts or a network drops. */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOENT', // a Unix socket that is gone while Postgres restarts
]);

/** Messages pg and pg-pool use for a connection that died or never came (they carry no code). */
const lostConnection =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|not queryable|the database system is (starting up|shutting down|in recovery mode)|server closed the connection unexpectedly|terminating connection/i;

/**
 * SQLSTATEs of a database that answers but cannot take writes right now, with what to tell a person:
 * 53100 (its disk is full: a file could not grow), 25006 (it is read-only: a standby after a
 * failover, or put in read-only mode, as some hosts do when its storage is full).
 */
const writesRefused: Record<string, DatabaseOutage> = {
  '53100': 'out of disk space',
  '25006': 'read-only',
};

/**
 * Why the database cannot do a process's work right now. `too many connections`: it is at its
 * `max_connections` and the process holds no connection to it (a pool that holds some waits for
 * them instead: connection-limit-pool.ts).
 */
export type DatabaseOutage = 'unreachable' | 'too many connections' | 'out of disk space' | 'read-only';

/** Whether the outage is one of writes (the database answers reads): its end is probed with a write. */
export const refusesWrites = (outage: DatabaseOutage): boolean =>
  outage === 'out of disk space' || outage === 'read-only';

/**
 * An outage as log lines name it: `database unreachable`, `database refuses connections (too many
 * clients: max_connections)`, `database refuses writes (read-only)`.
 */
export function outageLabel(outage: DatabaseOutage): string {
  if (outage === 'too many connections')
    return 'database refuses connections (too many clients: max_connections)';
  return outage === 'unreachable' ? 'database unreachable' : `database refuses writes (${outage})`;
}

/**
 * Why the database could not run a statement when the cause is the database's state (down,
 * restarting, network gone, disk full, read-only) rather than the statement; undefined otherwise.
 * Such an error is never a cell's outcome or a client's fault: the work waits and is retried once
 * the database takes it again (DatabaseHealth), and the API answers 503.
 */
export function databaseOutage(error: unknown): DatabaseOutage | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (refusedAsFull(error)) return 'too many connections';
  if (typeof code === 'string') {
    if (code.startsWith('08') || unavailableStates.has(code) || socketCodes.has(code)) return 'unreachable';
    const refused = writesRefused[code];
    if (refused) return refused;
  }
  if (lostConnection.test(error.message)) return 'unreachable';
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error ? databaseOutage(cause) : undefined;
}

/**
 * Whether an error means the database cannot do the work now (see `databaseOutage`) rather than that
 * the statement was wrong.
 * @example if (isDatabaseUnavailable(error)) return reply.code(503)
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return databaseOutage(error) !== undefined;
}
