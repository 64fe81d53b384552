/** How long an answer's reading of the clocks counts towards the offset. */
const windowMs = 10_000;

/**
 * The database's clock on this process's `performance.now()`, from statements' answers: each says
 * when it ran by the database's clock and arrives here some delay later, never earlier. So the least
 * (arrival − ran) of the last 10 s is the offset plus the least delay seen, and an answer held up on
 * its way (a starved event loop, a busy connection) does not move what it brought by that long.
 * Placing slots from when their answer arrived did: under a load of 8–14 on 2 cores, two workers at
 * a configured 10/s put 11 calls into one second in 2 of 8 runs of rate-limits.test.ts.
 * A database clock stepped back (not slewed) maps times early until the step's readings leave the window.
 * @example const local = clock.toLocal(row.atMs, performance.now()) + row.firstInMs;
 */
export class DatabaseClock {
  private readings: Array<{ offset: number; arrived: number }> = [];

  /** When, on performance.now(), the database's clock read `ranAtMs`, given an answer saying so arrived at `arrived`. */
  toLocal(ranAtMs: number, arrived: number): number {
    this.readings = this.readings.filter((reading) => arrived - reading.arrived < windowMs);
    this.readings.push({ offset: arrived - ranAtMs, arrived });
    return ranAtMs + Math.min(...this.readings.map((reading) => reading.offset));
  }
}
