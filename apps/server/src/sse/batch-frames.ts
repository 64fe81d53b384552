import type { AheadRead, ChangeBatch, WireCell } from '@glaze/engine';
import { sseFrame } from './sse-stream';

/** Encoded once per batch and shared by every watcher that gets the batch whole (whole-table viewers). */
const framesOf = new WeakMap<ChangeBatch, Buffer>();
/** Encoded once per list: row-window viewers get different cells of the same batch, and its runs whole. */
const jsonOf = new WeakMap<object, string>();

/**
 * The frames for one batch of changes: `schema` (refetch the columns) and `rowsDeleted {ids}` first
 * when the batch holds such changes, then always `changes {cells, runs, rows}`, the only frame with
 * an `id:` — the batch's last seq. A client cut off mid-batch resumes from the batch before, so it
 * may see a `schema`/`rowsDeleted` twice (both are safe to repeat) but never misses a change.
 * 1,000 watchers of a table cost one encoding of each batch, and of each cell, not 1,000.
 */
export function batchFrames(batch: ChangeBatch): Buffer {
  const known = framesOf.get(batch);
  if (known) return known;
  let out = '';
  if (batch.changes.some((change) => change.kind === 'schema'))
    out += sseFrame('schema', { tableId: batch.tableId });
  const deleted = batch.changes
    .filter((change) => change.kind === 'rowsDeleted')
    .flatMap((change) => change.ids);
  if (deleted.length > 0) out += sseFrame('rowsDeleted', { ids: deleted });
  // What `sseFrame('changes', {cells, runs, rows}, batch.to)` writes, from shared pieces: each cell
  // is already its `FeedCell` text, as Postgres wrote it.
  out += `event: changes\nid: ${batch.to}\ndata: {"cells":${cellList(batch.cells)},"runs":${json(batch.runs)},"rows":${json(batch.rows)}}\n\n`;
  const frames = Buffer.from(out);
  framesOf.set(batch, frames);
  return frames;
}

const progressOf = new WeakMap<AheadRead, Buffer>();

/**
 * A `progress` frame; the feed hands the same read ahead to every watcher with no cells of its own in
 * it, so 1,000 watchers of a lagging run cost one encoding every `aheadMs`, not 1,000.
 */
export function progressFrame(ahead: AheadRead): Buffer {
  let frame = progressOf.get(ahead);
  if (frame === undefined) {
    frame = Buffer.from(
      `event: progress\ndata: {"runs":${json(ahead.runs)},"cells":${cellList(ahead.cells)}}\n\n`,
    );
    progressOf.set(ahead, frame);
  }
  return frame;
}

function json(value: object): string {
  let text = jsonOf.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    jsonOf.set(value, text);
  }
  return text;
}

/** A JSON array of cells, from their texts (`FeedCell`s: nothing to encode). */
function cellList(cells: readonly WireCell[]): string {
  return `[${cells.map((cell) => cell.text).join(',')}]`;
}
