import { loadStatement } from '../load-statement';

export const budgetStatements = {
  reserveBudget: loadStatement(import.meta.url, 'reserve-budget'),
} as const;
