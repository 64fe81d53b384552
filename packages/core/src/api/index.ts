/**
 * The HTTP API's shapes, one file per resource: the server validates requests with them and builds
 * its OpenAPI document from them, the engine's results are their `z.infer`, and the web app reads
 * its types from them. Change a shape here and every side follows (or fails to compile).
 */
export * from './cell';
export * from './column';
export * from './csv';
export * from './error';
export * from './feed';
export * from './feed-cell';
export * from './feed-events';
export * from './fields';
export * from './idempotency';
export * from './provider';
export * from './rate-limit';
export * from './row';
export * from './row-window';
export * from './run';
export * from './run-timeline';
export * from './secret';
export * from './session';
export * from './table';
export * from './view';
