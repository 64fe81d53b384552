export type { EnrichmentState, HeldCell, HeldRow, RunProgress } from './enrichment-state';
export { applyFrame, emptyState, loaded } from './enrichment-state';
export type { GlazeConnection, RowsWanted } from './glaze-http';
export { GlazeHttpError } from './glaze-http';
export type { ConnectionStatus, RealtimeSnapshot, RealtimeTableOptions } from './realtime-table';
export { RealtimeTable, rowWindow } from './realtime-table';
export type { RealtimeEnrichmentOptions } from './use-realtime-enrichment';
export { useRealtimeEnrichment } from './use-realtime-enrichment';
