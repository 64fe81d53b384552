import { compareOrd, valuePaths } from './value-paths';

interface Known {
  firstRow: number;
  ord: number[];
}

/** Paths (and value shapes) remembered per process before the memory is dropped and paths are checked afresh (each a few bytes). */
const maxKnown = 100_000;

/** The export header's paths a flush adds (flush-results.sql's `$15`–`$18`), and what to call once it is written. */
export interface PathsToRecord {
  /** Column ids, paths, first rows and key positions as bigint[] literals, in (column, path) order. */
  values: [number[], string[], number[], string[]];
  /** The flush that carried them committed: this process need not send them again. */
  remember(): void;
}

/**
 * Keeps `column_value_paths` (the export header, migration 021) up to date with the done values a
 * worker writes, from the worker itself: the values are in its hands already, and a process remembers
 * the paths it has recorded, so a run writes the few paths of its column's answers once (in the flush
 * statement that writes the first of them, usually its first) instead of Postgres walking every written
 * value again in a trigger. A trigger on every flush cost the engine 17–20 % of its throughput (100,000
 * and 1,000,000 mock cells, same machine, same hour); cells inserted by other writers (bulk SQL, a
 * restore) are still recorded by the insert trigger. In the flush itself, not a statement before it: on
 * a database 100 ms away that was a round trip before a run's first results (far-db, 10 cells).
 */
export class ValuePathRecorder {
  private readonly known = new Map<string, Known>();
  /**
   * Per column, each value shape (`shapeOf`) whose paths this process has recorded, with the lowest row
   * it was recorded at: a later row of a known shape adds nothing, and is passed over without walking
   * its paths. A run's values mostly share one shape, so after its first flush each value costs one
   * short string and one look-up (the walk was 2.4 µs a cell of the worker's CPU at 100,000 mock cells).
   */
  private readonly shapes = new Map<number, Map<string, number>>();
  private shapeCount = 0;

  /** The paths of these done values that this process has not recorded yet (or saw only at a later row). */
  pending(cells: Iterable<{ columnId: number; rowId: number; value: unknown }>): PathsToRecord {
    const fresh = new Map<string, { columnId: number; path: string } & Known>();
    const walked: Array<{ columnId: number; shape: string; rowId: number }> = [];
    for (const { columnId, rowId, value } of cells) {
      const shape = shapeOf(value);
      const recordedAt = this.shapes.get(columnId)?.get(shape);
      if (recordedAt !== undefined && recordedAt <= rowId) continue;
      walked.push({ columnId, shape, rowId });
      for (const { path, ord } of valuePaths(value)) {
        const key = `${columnId}\u0000${path}`;
        const seen = fresh.get(key) ?? this.known.get(key);
        if (seen && seen.firstRow <= rowId && compareOrd(seen.ord, ord) <= 0) continue;
        fresh.set(key, {
          columnId,
          path,
          firstRow: seen ? Math.min(seen.firstRow, rowId) : rowId,
          ord: seen && compareOrd(seen.ord, ord) < 0 ? seen.ord : ord,
        });
      }
    }
    const entries = [...fresh.values()].sort(
      (a, b) => a.columnId - b.columnId || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
    );
    return {
      values: [
        entries.map((e) => e.columnId),
        entries.map((e) => e.path),
        entries.map((e) => e.firstRow),
        entries.map((e) => `{${e.ord.join(',')}}`),
      ],
      remember: () => {
        if (this.known.size + entries.length > maxKnown || this.shapeCount + walked.length > maxKnown) {
          this.known.clear();
          this.shapes.clear();
          this.shapeCount = 0;
        }
        for (const [key, entry] of fresh) this.known.set(key, { firstRow: entry.firstRow, ord: entry.ord });
        // every path of these values is now known at or before their row, with no later key position
        for (const { columnId, shape, rowId } of walked) {
          let shapes = this.shapes.get(columnId);
          if (!shapes) {
            shapes = new Map();
            this.shapes.set(columnId, shapes);
          }
          const recordedAt = shapes.get(shape);
          if (recordedAt === undefined) this.shapeCount++;
          if (recordedAt === undefined || rowId < recordedAt) shapes.set(shape, rowId);
        }
      },
    };
  }
}

/**
 * What decides a value's paths and key positions, as a string: each key (length-prefixed, so no key
 * can fake a separator) in insertion order with `b` for a blank leaf (null, `""`: no path), `l` for
 * any other leaf (arrays included), or its object's own shape in braces. Two values of one shape have
 * the same `valuePaths`.
 * @example shapeOf({ valid: true, domain: '' }) // '5:validl6:domainb'
 */
function shapeOf(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'b';
  if (typeof value !== 'object' || Array.isArray(value)) return 'l';
  let shape = '';
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const field = (value as Record<string, unknown>)[key];
    shape += `${key.length}:${key}`;
    shape +=
      field === null || field === undefined || field === ''
        ? 'b'
        : typeof field !== 'object' || Array.isArray(field)
          ? 'l'
          : `{${shapeOf(field)}}`;
  }
  return shape;
}
