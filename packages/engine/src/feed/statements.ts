import { loadStatement } from '../load-statement';

export const feedStatements = {
  readAhead: loadStatement(import.meta.url, 'read-ahead'),
} as const;
