import { loadStatement } from '../load-statement';

export const cacheStatements = {
  readCache: loadStatement(import.meta.url, 'read-cache'),
  writeCache: loadStatement(import.meta.url, 'write-cache'),
} as const;
