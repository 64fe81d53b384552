import { AppError } from '@glaze/core';
import type { OpenFileLimit } from '@glaze/db';

/** Files and sockets the process holds besides its event streams and pools: Node's own, the listening socket, logs, static files. */
const ownFiles = 100;

/**
 * How many HTTP connections and event streams the open-file limit leaves room for. Each connection
 * holds a socket, beside the pools' connections and what the process holds of its own; beyond
 * `connections` the HTTP server drops new connections at once (Node's `maxConnections`), so a burst
 * of clients can never take the descriptors a request needs for its Postgres connection or a file.
 * Event streams stay open: they get all but a few of those connections, so that requests still get
 * through while streams are refused with a 503 (the client retries). Infinity where the limit is
 * unknown or unlimited.
 * @example connectionsAllowed({ soft: 1024, hard: 1024 }, 34) // { connections: 890, streams: 826 }
 */
export function connectionsAllowed(
  limit: OpenFileLimit | undefined,
  poolConnections: number,
): { connections: number; streams: number } {
  if (!limit || !Number.isFinite(limit.soft))
    return { connections: Number.POSITIVE_INFINITY, streams: Number.POSITIVE_INFINITY };
  const connections = Math.max(2, limit.soft - ownFiles - poolConnections);
  return { connections, streams: connections - Math.min(64, Math.ceil(connections / 8)) };
}

/** The answer to an event stream beyond `max`: a 503 `server_busy` that says what to raise. */
export function tooManyStreams(max: number, limit: OpenFileLimit | undefined): AppError {
  const why = limit ? `, as many as its open-file limit (${limit.soft}, ulimit -n) leaves room for` : '';
  return new AppError(
    'server_busy',
    `this server already holds ${max} event streams${why}; retry later, or raise the limit (ulimit -n; LimitNOFILE under systemd) or GLAZE_MAX_STREAMS`,
  );
}

/** A system call refused for want of file descriptors: this process's (EMFILE) or the machine's (ENFILE). */
export function outOfFiles(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EMFILE' || code === 'ENFILE';
}
