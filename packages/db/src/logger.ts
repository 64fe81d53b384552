import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs on stderr (stdout is for a command's output: a token, a ready line, JSON lines);
 * scope them with `logger.child({ runId })`.
 */
export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino({ level }, destination ?? pino.destination(2));
}

export const silentLogger: Logger = pino({ level: 'silent' });
