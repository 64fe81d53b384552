import { loadStatement } from './load-statement';

export const statements = {
  startRun: loadStatement(import.meta.url, 'start-run'),
  claimChunk: loadStatement(import.meta.url, 'claim-chunk'),
  rowCellValues: loadStatement(import.meta.url, 'row-cell-values'),
  flushResults: loadStatement(import.meta.url, 'flush-results'),
  closeChunk: loadStatement(import.meta.url, 'close-chunk'),
  cancelRun: loadStatement(import.meta.url, 'cancel-run'),
  heartbeat: loadStatement(import.meta.url, 'heartbeat'),
  unlockDeadWorkers: loadStatement(import.meta.url, 'unlock-dead-workers'),
  reopenChunks: loadStatement(import.meta.url, 'reopen-chunks'),
  expiredLeases: loadStatement(import.meta.url, 'expired-leases'),
  requeueChunks: loadStatement(import.meta.url, 'requeue-chunks'),
  runContext: loadStatement(import.meta.url, 'run-context'),
} as const;
