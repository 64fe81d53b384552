export * from './abortable-sleep';
export * from './cell';
export * from './errors';
export * from './flatten';
export type * from './provider';
export { defineProvider } from './provider';
export * from './template';
export * from './zod-issues';
