/**
 * The event names of a table's SSE stream, with no zod behind them: the web app listens for these
 * and bundles no schema (core's `sideEffects: false` lets the bundler drop the rest of `api/`).
 * `feed.ts` gives each its frame, and fails to compile when a name has none.
 */
export const feedEventNames = [
  'ready',
  'changes',
  'progress',
  'schema',
  'rowsDeleted',
  'reset',
  'tableDeleted',
] as const;
export type FeedEventName = (typeof feedEventNames)[number];
