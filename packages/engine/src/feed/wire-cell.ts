/**
 * A cell change as the feed carries it: its `FeedCell` JSON text (core's `feedCellFields` order, as
 * Postgres's `glaze_feed_cell` wrote it), sent to the sockets as is, and the two fields the hub needs
 * to slice a batch by seq and cut it to a row window. 1,000 watchers of a 100,000-cell run never
 * parse, map or stringify a cell.
 */
export interface WireCell {
  seq: number;
  rowId: number;
  text: string;
}

/**
 * Splits a page's cells, one `FeedCell` text a line, reading each one's leading seq and row id
 * (`[seq,rowId,…`: integers Postgres wrote with no spaces).
 * @example wireCells('[7,1,2,3,"done",…]') // [{ seq: 7, rowId: 1, text: '[7,1,2,3,"done",…]' }]
 */
export function wireCells(lines: string): WireCell[] {
  if (lines === '') return [];
  return lines.split('\n').map((text) => {
    const afterSeq = text.indexOf(',');
    const afterRow = text.indexOf(',', afterSeq + 1);
    const seq = Number(text.slice(1, afterSeq));
    const rowId = Number(text.slice(afterSeq + 1, afterRow));
    if (text[0] !== '[' || !Number.isSafeInteger(seq) || !Number.isSafeInteger(rowId) || afterRow < 0)
      throw new Error(
        `change feed: a cell's text does not start with its seq and row id: ${text.slice(0, 80)}`,
      );
    return { seq, rowId, text };
  });
}
