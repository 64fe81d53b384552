/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves after `ms`, or as soon as the signal aborts (a wait that an abort simply cuts short). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return abortableSleep(ms, signal).catch(() => {});
}
