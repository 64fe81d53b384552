/**
 * The grid's row count while a search, filter or sort is on. The pages and the match count come
 * apart — the count is asked for beside the first page, which is on screen before it (counting a
 * rare filter over a million rows can take a second) — so each says what it knows: a short page is
 * the end, and a full page reaching the count (or, before any count, any full page) grows it to one
 * row past the page, so the next page is asked for. A count estimated from a sample is corrected so.
 */
export class QueryRowTotal {
  private counted: number | undefined;
  /** Where a short page put the end: the truth as the pages last read it. */
  private end: number | undefined;
  /** The end of the furthest full page. */
  private reached = 0;

  /** A new query (or the same one over changed rows): `counted` when the count is already known. */
  reset(counted?: number): void {
    this.counted = counted;
    this.end = undefined;
    this.reached = 0;
  }

  /** A page of `received` rows from `offset` landed; returns the row count to show. */
  page(offset: number, limit: number, received: number): number {
    if (received < limit) this.end = offset + received;
    else {
      this.reached = Math.max(this.reached, offset + received);
      if (this.end !== undefined && this.reached >= this.end) this.end = undefined;
    }
    return this.total;
  }

  /** The match count came; returns the row count to show. */
  count(counted: number): number {
    this.counted = counted;
    return this.total;
  }

  get total(): number {
    if (this.end !== undefined) return this.end;
    const counted = this.counted ?? 0;
    if (this.reached === 0) return counted;
    return this.reached >= counted ? this.reached + 1 : counted;
  }
}
