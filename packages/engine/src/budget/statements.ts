import { loadStatement } from '../deps/statements';

export const budgetStatements = {
  reserveBudget: loadStatement(import.meta.url, 'reserve-budget'),
} as const;
