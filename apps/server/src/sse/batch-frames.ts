import type { ChangeBatch } from '@glaze/engine';
import { sseFrame } from './sse-stream';

/**
 * The frames for one batch of changes: `schema` (refetch the columns) and `rowsDeleted {ids}` first
 * when the batch holds such changes, then always `changes {cells, runs, rows}`, the only frame with
 * an `id:` — the batch's last seq. A client cut off mid-batch resumes from the batch before, so it
 * may see a `schema`/`rowsDeleted` twice (both are safe to repeat) but never misses a change.
 */
export function batchFrames(batch: ChangeBatch): string {
  let out = '';
  if (batch.changes.some((change) => change.kind === 'schema'))
    out += sseFrame('schema', { tableId: batch.tableId });
  const deleted = batch.changes
    .filter((change) => change.kind === 'rowsDeleted')
    .flatMap((change) => change.ids);
  if (deleted.length > 0) out += sseFrame('rowsDeleted', { ids: deleted });
  out += sseFrame('changes', { cells: batch.cells, runs: batch.runs, rows: batch.rows }, batch.to);
  return out;
}
