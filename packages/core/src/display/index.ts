export * from './cell-display';
export * from './display-check';
export * from './preview-value';
