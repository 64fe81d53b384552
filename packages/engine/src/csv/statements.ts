import { loadStatement } from '../load-statement';

export const csvStatements = {
  exportHeaders: loadStatement(import.meta.url, 'export-headers'),
  exportPage: loadStatement(import.meta.url, 'export-page'),
} as const;
