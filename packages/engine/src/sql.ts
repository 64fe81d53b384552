import { readFileSync } from 'node:fs';

/** One statement per file in ./sql; each runs as a named prepared statement (parsed once per connection). */
function load(name: string): { name: string; text: string } {
  return {
    name: `glaze_${name.replaceAll('-', '_')}`,
    text: readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8'),
  };
}

export const statements = {
  startRun: load('start-run'),
  claimChunk: load('claim-chunk'),
  rowCellValues: load('row-cell-values'),
  flushResults: load('flush-results'),
  closeChunk: load('close-chunk'),
  cancelRun: load('cancel-run'),
  heartbeat: load('heartbeat'),
  unlockDeadWorkers: load('unlock-dead-workers'),
  reopenChunks: load('reopen-chunks'),
  expiredLeases: load('expired-leases'),
  requeueChunks: load('requeue-chunks'),
  runContext: load('run-context'),
} as const;
