export type { EnrichmentState, HeldCell, HeldRow, RunProgress } from './enrichment-state.js';
export { applyFrame, emptyState, loaded } from './enrichment-state.js';
export type { FeedPlan, FeedView, Refetch, RunSnapshot } from './plan-feed-event.js';
export { isNewerRun, planFeedEvent, settledCount } from './plan-feed-event.js';
export type {
  GlazeConnection,
  RealtimeSnapshot,
  RealtimeTableOptions,
  RowsWanted,
} from './realtime-table.js';
export { clientOf, RealtimeTable, rowWindow } from './realtime-table.js';
export type { ConnectionStatus, ReadyCause, TableFeedHandlers, TableFeedOptions } from './table-feed.js';
export { backoff, TableFeed } from './table-feed.js';
export type { RealtimeEnrichmentOptions } from './use-realtime-enrichment.js';
export { useRealtimeEnrichment } from './use-realtime-enrichment.js';
