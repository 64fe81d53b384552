export {
  createGlazeClient,
  type GlazeClient,
  type GlazeClientOptions,
  type GlazeMethods,
  type OperationData,
  type OperationId,
} from './create-glaze-client';
export type { CellChange, FeedEvent, FeedFrames, RowChange, RunChange } from './feed-frames';
export type { components, operations, paths } from './generated/api';
export { operationRoutes } from './generated/operations';
export { GlazeError } from './glaze-error';
export { readSse, type SseMessage } from './read-sse';
export { type StreamTarget, type SubscribeOptions, subscribe } from './subscribe';
