import type { RateHint } from '@glaze/core';

/**
 * A provider's rate as its answers' quota headers narrow it down: each answer bounds it (RateHint),
 * the bounds of successive answers intersect, and the rate is their middle. An answer outside the
 * bounds means the provider's limit changed: the bounds start again from it. Pacing at the middle is
 * at most half the bounds' width off: too slow, it wastes that; too fast, the provider's quota drains,
 * its answers show more calls used, and those narrow the bounds further.
 * @example const learned = new LearnedRate(); learned.add({ low: 180, high: 220 }) // 200
 */
export class LearnedRate {
  private low = 0;
  private high = Number.POSITIVE_INFINITY;

  /** The rate (requests per second) after this answer. */
  add(hint: RateHint): number {
    const low = Math.max(this.low, hint.low);
    const high = Math.min(this.high, hint.high);
    if (low <= high) {
      this.low = low;
      this.high = high;
    } else {
      this.low = hint.low;
      this.high = hint.high;
    }
    return (this.low + this.high) / 2;
  }
}
