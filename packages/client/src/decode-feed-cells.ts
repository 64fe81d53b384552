import type { CellChange } from './feed-frames.js';
import { feedCellFields } from './generated/feed-cell-fields.js';

/**
 * The cells of a `changes` or `progress` frame as objects: the stream sends each as an array of its
 * values in `feedCellFields` order (generated from @glaze/core, where the server's encoding is defined),
 * which spares a 100,000-cell run's 200,000 changes the 14 field names each.
 */
export function decodeFeedCells(cells: readonly (readonly unknown[])[]): CellChange[] {
  return cells.map((values) => {
    const cell: Record<string, unknown> = {};
    for (let i = 0; i < feedCellFields.length; i++) cell[feedCellFields[i]!] = values[i];
    return cell as CellChange;
  });
}
