/**
 * SQLSTATE classes and codes that mean "the database could not be reached or is restarting", not
 * "the statement was wrong": class 08 (connection exception), 57P01–57P05 (admin/crash shutdown,
 * cannot connect now, idle session timeout), 53300 (too many connections).
 */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '57P04', '57P05', '53300']);

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
 * Whether an error means the database was unreachable (down, restarting, network gone) rather than a
 * problem with the statement. Such an error is never a cell's outcome or a client's fault: the work is
 * retried once the database is back, and the API answers 503.
 * @example if (isDatabaseUnavailable(error)) return reply.code(503)
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || unavailableStates.has(code) || socketCodes.has(code)) return true;
  }
  if (lostConnection.test(error.message)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isDatabaseUnavailable(cause);
}
