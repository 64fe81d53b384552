import { loadStatement } from '../load-statement';

export const depsStatements = {
  runExtras: loadStatement(import.meta.url, 'run-extras'),
  blockedRows: loadStatement(import.meta.url, 'blocked-rows'),
  parkCells: loadStatement(import.meta.url, 'park-cells'),
} as const;
