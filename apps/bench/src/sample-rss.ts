/**
 * This process's highest resident set size while it runs, sampled every 100 ms (a worker in the
 * bench's own process counts in it; so does the bench's own bookkeeping, a few tens of MB).
 * @example const rss = sampleRss(); …; const mb = rss.peakMb(); rss.stop();
 */
export function sampleRss(): { peakMb(): number; stop(): void } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  timer.unref();
  return {
    peakMb: () => Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20),
    stop: () => clearInterval(timer),
  };
}
