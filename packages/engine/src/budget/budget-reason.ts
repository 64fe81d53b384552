/**
 * The reason a run stopped, on the run and its cancelled cells: `budget of 100 reached (spent 98.5)`,
 * or, when not even one call fits at the known price, `budget of 0.1 is below one call's price
 * (0.125): no call was made`.
 */
export function budgetReason(budget: number, spent: number, price: number | null = null): string {
  if (spent === 0 && price !== null && price > budget)
    return `budget of ${round(budget)} is below one call's price (${round(price)}): no call was made`;
  return `budget of ${round(budget)} reached (spent ${round(spent)})`;
}

function round(value: number): number {
  return Number(value.toFixed(6));
}
