import { z } from 'zod';
import { type CellChange, cellChangeSchema } from './cell';

/**
 * The order of a cell's fields in the event stream, where each cell is an array, not an object: a
 * 100,000-cell run sends 200,000 cell changes, and naming 15 fields in each cost Postgres half the
 * feed's CPU (an 8,000-cell page: 56-62 ms of backend CPU as objects, 21-25 ms as arrays) and the
 * wire ~40 % of its bytes. `seq` and `rowId` come first: the server reads those two from the front
 * of each cell's text to slice and window batches, and passes the rest through unparsed.
 * The one definition: the feed's SQL writes this order (`glaze_feed_cell`, migrations 031 and 035) and
 * @glaze/client's decoder is generated from it (`npm run generate -w @glaze/client`).
 */
export const feedCellFields = [
  'seq',
  'rowId',
  'columnId',
  'id',
  'status',
  'value',
  'error',
  'attempt',
  'tries',
  'runId',
  'cost',
  'meta',
  'startedAt',
  'finishedAt',
  'largeValueBytes',
] as const satisfies readonly (keyof CellChange)[];

// Every field of CellChange has a place (adding one to the API without a place fails to compile).
type Unplaced = Exclude<keyof CellChange, (typeof feedCellFields)[number]>;
const everyFieldPlaced: [Unplaced] extends [never] ? true : Unplaced = true;
void everyFieldPlaced;

type FeedCellOf<F extends readonly (keyof CellChange)[]> = {
  -readonly [I in keyof F]: CellChange[F[I] & keyof CellChange];
};
/** A cell as the event stream sends it: `CellChange`'s values in `feedCellFields` order. */
export type FeedCell = FeedCellOf<typeof feedCellFields>;

const shape = cellChangeSchema.shape;
/** `FeedCell` for validation and the API's documents: `cellChangeSchema`'s fields in `feedCellFields` order. */
export const feedCellSchema = z
  .tuple(feedCellFields.map((field) => shape[field]) as unknown as [z.ZodType, ...z.ZodType[]])
  .describe(`A cell change as an array: ${feedCellFields.join(', ')}`)
  .meta({ id: 'FeedCell' }) as unknown as z.ZodType<FeedCell>;

/** The cell a `FeedCell` array stands for. */
export function decodeFeedCell(cell: FeedCell): CellChange {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < feedCellFields.length; i++) out[feedCellFields[i]!] = cell[i];
  return out as CellChange;
}

/** A cell as the event stream sends it. */
export function encodeFeedCell(cell: CellChange): FeedCell {
  return feedCellFields.map((field) => cell[field]) as unknown as FeedCell;
}
