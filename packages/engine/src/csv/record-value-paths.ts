import { compareOrd, valuePaths } from './value-paths';

interface Known {
  firstRow: number;
  ord: number[];
}

/** Paths remembered per process before the memory is dropped and paths are checked afresh (each a few bytes). */
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

  /** The paths of these done values that this process has not recorded yet (or saw only at a later row). */
  pending(cells: Iterable<{ columnId: number; rowId: number; value: unknown }>): PathsToRecord {
    const fresh = new Map<string, { columnId: number; path: string } & Known>();
    for (const { columnId, rowId, value } of cells) {
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
        if (entries.length === 0) return;
        if (this.known.size + entries.length > maxKnown) this.known.clear();
        for (const [key, entry] of fresh) this.known.set(key, { firstRow: entry.firstRow, ord: entry.ord });
      },
    };
  }
}
