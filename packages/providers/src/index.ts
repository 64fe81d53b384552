export { mockProvider } from './mock';
export { builtinProviders } from './registry';
