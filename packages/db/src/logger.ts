import { pino } from 'pino';

export type Logger = pino.Logger;

/** Structured logs; scope them with `logger.child({ runId })`. */
export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return destination ? pino({ level }, destination) : pino({ level });
}

export const silentLogger: Logger = pino({ level: 'silent' });
