import { loadStatement } from '../load-statement';

export const runStatements = {
  startRun: loadStatement(import.meta.url, 'start-run'),
  cancelRun: loadStatement(import.meta.url, 'cancel-run'),
} as const;
