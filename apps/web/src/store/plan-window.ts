import { formatRowWindow } from '@glaze/core';

/** What the page loader knows of the pages near the viewport, for `planWindow`. */
export interface WindowInput {
  /** The pages the viewport wants (visible ones and the one after), already within the table. */
  first: number;
  last: number;
  isLoaded(page: number): boolean;
  rowIds(page: number): readonly number[];
  /** The stream's seq when the page's current data was requested. */
  issuedSeq(page: number): number;
  /** Requested while the current subscription was already open (its changes since are replayed). */
  issuedUnderCurrent(page: number): boolean;
  /** Pages the current subscription covers; `all` while the stream has no window (every change). */
  subscribed: ReadonlySet<number> | 'all';
  lastSeq: number;
}

export interface WindowPlan {
  /** Pages the new window covers. */
  pages: number[];
  /** `?rows=` of the new window. */
  rows: string;
  /** Resume the new stream after this seq, so no change of a page it now covers is lost. */
  after: number;
  /** Loaded pages the stream will no longer (or did not) cover: read them again over REST when wanted. */
  stale: number[];
}

/**
 * Which rows to subscribe to: those of the loaded pages the viewport wants. A page the current
 * subscription covers stays; one requested while it was open joins (the new stream replays from
 * that request, so the page plus the replay miss nothing); one loaded before it and never covered
 * has missed changes, so it is read again over REST and joins once it lands. Pages leaving the
 * window go stale: scrolling back reads them again.
 * @example const plan = planWindow(input); if (plan.rows !== current) reconnect(plan.rows, plan.after);
 */
export function planWindow(input: WindowInput): WindowPlan {
  const pages: number[] = [];
  const stale: number[] = [];
  const ids: number[] = [];
  let after = input.lastSeq;
  const covered = (page: number) => input.subscribed === 'all' || input.subscribed.has(page);
  for (let page = input.first; page <= input.last; page++) {
    if (!input.isLoaded(page)) continue;
    if (!covered(page)) {
      if (!input.issuedUnderCurrent(page)) {
        stale.push(page);
        continue;
      }
      after = Math.min(after, input.issuedSeq(page));
    }
    pages.push(page);
    ids.push(...input.rowIds(page));
  }
  if (input.subscribed !== 'all') {
    for (const page of input.subscribed) if (!pages.includes(page)) stale.push(page);
  }
  return { pages, rows: formatRowWindow(ids), after, stale };
}
