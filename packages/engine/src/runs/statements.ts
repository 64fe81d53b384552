import { loadStatement } from '../load-statement';

export const runStatements = {
  startRun: loadStatement(import.meta.url, 'start-run'),
  countRun: loadStatement(import.meta.url, 'count-run'),
  expandRun: loadStatement(import.meta.url, 'expand-run'),
  lockRun: loadStatement(import.meta.url, 'lock-run'),
  cancelRun: loadStatement(import.meta.url, 'cancel-run'),
} as const;
