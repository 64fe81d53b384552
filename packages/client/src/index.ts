export {
  createGlazeClient,
  type GlazeClient,
  type GlazeClientOptions,
  type GlazeMethods,
  type OperationData,
  type OperationId,
} from './create-glaze-client.js';
export type { CellChange, FeedEvent, FeedFrames, RowChange, RunChange } from './feed-frames.js';
export type { components, operations, paths } from './generated/api.js';
export { operationRoutes } from './generated/operations.js';
export { GlazeError } from './glaze-error.js';
export { readSse, type SseMessage } from './read-sse.js';
export { type StreamTarget, type SubscribeOptions, subscribe } from './subscribe.js';
