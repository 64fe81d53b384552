import { loadStatement } from '../load-statement';

export const limitStatements = {
  readLimit: loadStatement(import.meta.url, 'read-limit'),
  takeSlots: loadStatement(import.meta.url, 'take-slots'),
  holdPermits: loadStatement(import.meta.url, 'hold-permits'),
  pauseProvider: loadStatement(import.meta.url, 'pause-provider'),
  learnRate: loadStatement(import.meta.url, 'learn-rate'),
  setRateLimit: loadStatement(import.meta.url, 'set-rate-limit'),
  listRateLimits: loadStatement(import.meta.url, 'list-rate-limits'),
} as const;
