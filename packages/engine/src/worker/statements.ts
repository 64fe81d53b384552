import { loadStatement } from '../load-statement';

export const statements = {
  claimChunk: loadStatement(import.meta.url, 'claim-chunk'),
  rowCellValues: loadStatement(import.meta.url, 'row-cell-values'),
  flushResults: loadStatement(import.meta.url, 'flush-results'),
  closeChunk: loadStatement(import.meta.url, 'close-chunk'),
  heartbeat: loadStatement(import.meta.url, 'heartbeat'),
  unlockDeadWorkers: loadStatement(import.meta.url, 'unlock-dead-workers'),
  unlockReplacedRunner: loadStatement(import.meta.url, 'unlock-replaced-runner'),
  reopenChunks: loadStatement(import.meta.url, 'reopen-chunks'),
  resumeExpansions: loadStatement(import.meta.url, 'resume-expansions'),
  expiredLeases: loadStatement(import.meta.url, 'expired-leases'),
  requeueChunks: loadStatement(import.meta.url, 'requeue-chunks'),
  recordFailure: loadStatement(import.meta.url, 'record-failure'),
  runContext: loadStatement(import.meta.url, 'run-context'),
  grownTables: loadStatement(import.meta.url, 'grown-tables'),
  owedDownstream: loadStatement(import.meta.url, 'owed-downstream'),
} as const;
