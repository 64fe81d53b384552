import { loadStatement } from '../load-statement';

export const depsStatements = {
  blockedRows: loadStatement(import.meta.url, 'blocked-rows'),
  parkCells: loadStatement(import.meta.url, 'park-cells'),
} as const;
