import type { Pool } from '@glaze/db';
import type { CompiledQuery } from './compile-query';
import { withOrderedProbe } from './ordered-probe';
import { serialRows } from './serial-statement';

export interface MatchCount {
  count: number;
  /** False when the exact count outlasted `exactCountMs`: `count` is then extrapolated (see below). */
  exact: boolean;
}

/**
 * How long the exact count may take: as long as the ordered probe of a search (ordered-probe.ts), so
 * "N of M rows" keeps a page within the table line's 300 ms. Measured 2026-12-02 beside a
 * million-row table (local Postgres 15, indexes built): a 60,000-row table counts any filter of the
 * table bench in 1-123 ms; at a million rows `status = error` (20,000) 96 ms, `Score > 9000` (91,350)
 * 114, none matching 2 — and `Email` empty (70,000) 172, `contains zur` (125,000) 211-322, an `or`
 * (325,299) 1,464-1,742, which are extrapolated.
 */
export const exactCountMs = 150;

/** How many matches, in table order, the estimate is drawn from. */
export const sampleMatches = 1_000;

/** The spread sample: this many windows of consecutive rows, evenly spaced over the table. */
const sampleWindows = 20;
const windowRows = 500;
/** Fewer matches than this in the spread sample say too little: the first matches decide then. */
const enoughSampled = 30;

/**
 * How many rows a query matches, for "N of M rows". Counted exactly when that takes at most
 * `exactCountMs`. Beyond, the filter is tried on a sample of the table — 20 windows of 500
 * consecutive rows spread evenly over it, each an index range walk, so the sample costs about
 * the same whatever the filter — and the count is the sample's share of matches times the table's
 * rows. The planner's estimate, used before, is of the rows-cells join and was off 4-50× (6,673 for
 * 325,299; 334,065 for 91,350). A filter too rare for the sample (under 30 matches in it) is
 * extrapolated from how far into the table its first 1,001 matches reach, or counted when there
 * are no more than 1,000.
 */
export async function countMatches(
  pool: Pool,
  compiled: CompiledQuery,
  exactWithinMs = exactCountMs,
): Promise<MatchCount> {
  const exact = await exactCount(pool, compiled, exactWithinMs);
  if (exact !== undefined) return { count: exact, exact: true };
  const spread = await spreadSample(pool, compiled);
  if (spread.matched >= enoughSampled && spread.sampled > 0)
    return { count: Math.round((spread.matched / spread.sampled) * spread.total), exact: false };
  const statement = firstMatchesStatement(compiled);
  const [first] = compiled.fuzzy
    ? await withOrderedProbe<FirstMatches>(pool, statement)
    : await serialRows<FirstMatches>(pool, statement);
  const found = first?.n ?? 0;
  if (!first?.last || found <= sampleMatches) return { count: found, exact: true };
  const estimate = await extrapolate(pool, compiled.tableId, found, first.last);
  return { count: Math.max(estimate, found), exact: false };
}

/** Every match counted, or undefined when that outlasts `withinMs`. */
async function exactCount(
  pool: Pool,
  compiled: CompiledQuery,
  withinMs: number,
): Promise<number | undefined> {
  try {
    const [row] = await serialRows<{ n: number }>(
      pool,
      {
        text: `select count(*)::int as n from (select 1 from ${compiled.from} where ${compiled.where}) m`,
        values: compiled.params,
      },
      { statement_timeout: `${withinMs}ms` },
    );
    return row?.n ?? 0;
  } catch (error) {
    if ((error as { code?: string }).code !== '57014') throw error; // 57014: cancelled by the timeout
    return undefined;
  }
}

interface SpreadSample {
  sampled: number;
  matched: number;
  /** The table's rows. */
  total: number;
}

/**
 * The filter tried on `sampleWindows` windows of up to `windowRows` rows, each starting at an even
 * step of the table's positions and stopping before the next (so none overlap), walked on
 * `rows_table_position`. Spread over the table, matches bunched in one part of it (the rows a run
 * reached first) weigh by the share of the table they span.
 */
async function spreadSample(pool: Pool, compiled: CompiledQuery): Promise<SpreadSample> {
  const table = `$${compiled.params.length + 1}`;
  const step = `(b.hi - b.lo) / ${sampleWindows}`;
  const [row] = await serialRows<SpreadSample>(pool, {
    text: `select coalesce(sum(s.n), 0)::int as sampled, coalesce(sum(s.m), 0)::int as matched,
                  (select row_count::int from tables where id = ${table}) as total
           from (select min(position) as lo, max(position) as hi from rows where table_id = ${table}) b
           cross join generate_series(0, ${sampleWindows - 1}) w(i)
           cross join lateral (
             select count(*) as n, count(*) filter (where x.m) as m
             from (select coalesce((${compiled.where}), false) as m
                   from ${compiled.from}
                   where r.table_id = ${table} and r.position >= b.lo + ${step} * w.i
                     and (w.i = ${sampleWindows - 1} or r.position < b.lo + ${step} * (w.i + 1))
                   order by r.position, r.id
                   limit ${windowRows}) x
           ) s`,
    values: [...compiled.params, compiled.tableId],
  });
  return row ?? { sampled: 0, matched: 0, total: 0 };
}

interface FirstMatches {
  n: number;
  /** Position of the last of them. */
  last: string | null;
}

/**
 * The first `sampleMatches + 1` matches in (position, id) order: how many, and the position of the
 * last. In that order the planner walks `rows_table_position` within the table or sorts what an index
 * finds, as the page does; unordered it once walked `rows` by id from the first row of the database
 * (an `or` 504-1,902 ms against 16).
 */
function firstMatchesStatement(compiled: CompiledQuery): { text: string; values: unknown[] } {
  const n = compiled.params.length + 1;
  return {
    text: `select count(*)::int as n, max(position)::text as last from (
             select r.position from ${compiled.from} where ${compiled.where}
             order by r.position, r.id limit $${n}) m`,
    values: [...compiled.params, sampleMatches + 1],
  };
}

/** `found` matches among the rows up to position `last`: the same share of the whole table. */
async function extrapolate(pool: Pool, tableId: number, found: number, last: string): Promise<number> {
  const { rows } = await pool.query<{ walked: number; total: number }>(
    `select (select count(*)::int from rows where table_id = $1 and position <= $2::float8) as walked,
            (select row_count::int from tables where id = $1) as total`,
    [tableId, last],
  );
  const { walked, total } = rows[0] ?? { walked: 0, total: 0 };
  return walked > 0 ? Math.round((found * total) / walked) : found;
}
