import { loadStatement } from '../load-statement';

export const depsStatements = {
  blockedRows: loadStatement(import.meta.url, 'blocked-rows'),
  parkCells: loadStatement(import.meta.url, 'park-cells'),
  oweDownstream: loadStatement(import.meta.url, 'owe-downstream'),
  downstreamPaid: loadStatement(import.meta.url, 'downstream-paid'),
  owedRows: loadStatement(import.meta.url, 'owed-rows'),
} as const;
