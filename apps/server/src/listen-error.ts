import { ConfigError } from '@glaze/db';

/**
 * `listen` (a promise of listening on `at`), its failure said in one line naming the setting, instead
 * of a stack: in use (another Glaze, or another program), below 1024 without the privilege, an
 * address no interface has. Other errors go through as they are.
 * @example await listening(app.listen(at), at, { port: 'PORT (--port)', host: 'GLAZE_HOST (--host)' })
 */
export function listening<T>(
  listen: Promise<T>,
  at: { host: string; port: number },
  settings: { port: string; host: string },
): Promise<T> {
  return listen.catch((error: unknown) => {
    throw listenError(error, settings, at.host, at.port);
  });
}

function listenError(
  error: unknown,
  settings: { port: string; host: string },
  host: string,
  port: number,
): unknown {
  const code = (error as { code?: unknown }).code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE')
    return new ConfigError(
      `${settings.port}: ${where} is already in use (another Glaze, or another program, listens there); stop it or choose another port (0 picks a free one)`,
    );
  if (code === 'EACCES')
    return new ConfigError(
      `${settings.port}: listening on ${where} is not allowed to this user (ports below 1024 need privileges); choose a port from 1024 up, or put a reverse proxy in front`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new ConfigError(
      `${settings.host}: ${host} is not an address of this machine (no interface has it); use 127.0.0.1, 0.0.0.0 or one of its addresses`,
    );
  return error;
}
