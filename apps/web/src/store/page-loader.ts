import type { RowPage } from '@glaze/core';
import { planWindow, type WindowPlan } from './plan-window';
import type { TableStore } from './table-store';

/** `offset` is the page's first row; a fetch in offset mode (a query is active) reads it, not the cursor. */
export type FetchPage = (
  cursor: string | null,
  limit: number,
  signal: AbortSignal,
  offset: number,
) => Promise<RowPage>;

type PageState = 'loading' | 'loaded' | 'stale' | undefined;

const maxInFlight = 3;

/**
 * Loads rows page by page as the viewport asks for them. The API pages by cursor, so page k's
 * cursor is known only once page k-1 has loaded: a jump far down walks the chain, and pages whose
 * cursor is known load in parallel (at most 3 at once).
 */
export class PageLoader {
  private cursors: (string | null | undefined)[] = [null];
  private states: PageState[] = [];
  private wanted = { first: 0, last: 0 };
  private inFlight = 0;
  private generation = 0;
  private controller = new AbortController();
  /** Paused until the realtime stream is subscribed, so no change lands between a page read and it. */
  private paused = true;
  private byOffset = false;
  /** Per page: the stream's seq and window when its current data was requested. */
  private issued: { seq: number; window: number }[] = [];
  /** Bumped each time the stream's row window changes. */
  private windowGeneration = 0;
  private subscribed: ReadonlySet<number> | 'all' = 'all';
  /** Told when the pages wanted or loaded changed: the stream's row window may have to follow. */
  onWindowMayChange: () => void = () => {};

  constructor(
    private readonly store: TableStore,
    private readonly fetchPage: FetchPage,
    /** Called after a page landed in the store, with its first row index and row count. */
    private readonly onLoaded: (start: number, count: number) => void,
    private readonly onError: (error: unknown) => void,
    readonly pageSize = 500,
    /**
     * Keep walking the chain one page at a time while the viewport has what it needs, so a later
     * jump far down finds its rows already here instead of waiting for every page before it.
     */
    private readonly prefetch = false,
  ) {}

  /** The rows the viewport shows; the page after them is fetched too. */
  want(firstRow: number, lastRow: number): void {
    this.wanted = {
      first: Math.floor(Math.max(0, firstRow) / this.pageSize),
      last: Math.floor(Math.max(0, lastRow) / this.pageSize) + 1,
    };
    this.pump();
    this.onWindowMayChange();
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  /** Rows were added or removed: cursors no longer map to indexes. Shown rows stay until replaced. */
  invalidate(): void {
    this.generation++;
    this.controller.abort();
    this.controller = new AbortController();
    this.inFlight = 0;
    this.cursors = [null];
    this.states = this.states.map((state) => (state ? 'stale' : state));
    this.pump();
  }

  /** Offset mode on or off (a query started or ended): every page is read again. */
  setByOffset(byOffset: boolean): void {
    this.byOffset = byOffset;
    this.invalidate();
  }

  dispose(): void {
    this.generation++;
    this.controller.abort();
  }

  isLoaded(page: number): boolean {
    return this.states[page] === 'loaded';
  }

  /** The row window the stream should carry now, for the pages the viewport wants (see `planWindow`). */
  planWindow(): WindowPlan {
    return planWindow({
      first: this.wanted.first,
      last: Math.min(this.wanted.last, this.pageCount() - 1),
      isLoaded: (page) => this.isLoaded(page),
      rowIds: (page) => {
        const ids: number[] = [];
        for (
          let i = page * this.pageSize;
          i < Math.min(this.store.rowCount, (page + 1) * this.pageSize);
          i++
        ) {
          const row = this.store.rowAt(i);
          if (row) ids.push(row.id);
        }
        return ids;
      },
      issuedSeq: (page) => this.issued[page]?.seq ?? 0,
      issuedUnderCurrent: (page) => this.issued[page]?.window === this.windowGeneration,
      subscribed: this.subscribed,
      lastSeq: this.store.lastSeq,
    });
  }

  /**
   * The stream now carries `plan`'s window (`resubscribed`), or keeps its own: either way the pages
   * it does not cover go stale, and those the viewport wants are read again.
   */
  applyWindow(plan: WindowPlan, resubscribed: boolean): void {
    if (resubscribed) {
      this.windowGeneration++;
      this.subscribed = new Set(plan.pages);
    }
    for (const page of plan.stale) if (this.states[page] === 'loaded') this.states[page] = 'stale';
    this.pump();
  }

  private pageCount(): number {
    return Math.max(1, Math.ceil(this.store.rowCount / this.pageSize));
  }

  private pump(): void {
    if (this.paused) return;
    const last = Math.min(this.wanted.last, this.pageCount() - 1);
    let waiting = false;
    for (let page = this.wanted.first; page <= last && this.inFlight < maxInFlight; page++) {
      if (this.states[page] === 'loaded') continue;
      waiting = true;
      if (this.states[page] === 'loading') continue;
      const step = this.nextStep(page);
      if (step === undefined) break;
      this.load(step);
      // Walking the chain: nothing past `step` can load until it lands.
      if (step !== page) break;
    }
    if (this.prefetch && !this.byOffset && !waiting && this.inFlight === 0) this.prefetchNext();
  }

  /** In the background, one request at a time: the first page not loaded whose cursor is known. */
  private prefetchNext(): void {
    const pages = this.pageCount();
    for (let page = 0; page < pages; page++) {
      if (this.states[page] === 'loaded' || this.states[page] === 'loading') continue;
      // A stale page whose next cursor is known is read when wanted; the walk goes on past it.
      if (this.states[page] === 'stale' && this.cursors[page + 1] !== undefined) continue;
      if (this.cursors[page] !== undefined) this.load(page);
      return;
    }
  }

  /** The page to fetch to make progress toward `page`: itself if its cursor is known, else the chain's end. */
  private nextStep(page: number): number | undefined {
    if (this.byOffset || this.cursors[page] !== undefined) return page;
    let k = page - 1;
    while (k > 0 && this.cursors[k] === undefined) k--;
    // Loading: wait for it. Loaded without a next cursor: the table ends there.
    return this.states[k] === 'loading' || this.states[k] === 'loaded' ? undefined : k;
  }

  private load(page: number): void {
    const generation = this.generation;
    const cursor = this.cursors[page] ?? null;
    this.states[page] = 'loading';
    this.issued[page] = { seq: this.store.lastSeq, window: this.windowGeneration };
    this.inFlight++;
    this.fetchPage(cursor, this.pageSize, this.controller.signal, page * this.pageSize).then(
      (result) => {
        if (generation !== this.generation) return;
        this.inFlight--;
        this.states[page] = 'loaded';
        if (result.nextCursor !== null) this.cursors[page + 1] = result.nextCursor;
        const start = page * this.pageSize;
        this.store.setPage(start, result.rows);
        this.onLoaded(start, result.rows.length);
        this.pump();
        this.onWindowMayChange();
      },
      (error: unknown) => {
        if (generation !== this.generation) return;
        this.inFlight--;
        this.states[page] = undefined;
        this.onError(error);
      },
    );
  }
}
