/** `budget of 100 reached (spent 98.5)`: the reason a run stopped, on the run and its cancelled cells. */
export function budgetReason(budget: number, spent: number): string {
  return `budget of ${round(budget)} reached (spent ${round(spent)})`;
}

function round(value: number): number {
  return Number(value.toFixed(6));
}
