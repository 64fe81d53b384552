export * from './filter';
export * from './row-query';
export * from './sort';
