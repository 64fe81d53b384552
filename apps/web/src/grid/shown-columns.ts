/** The columns the grid draws: the table's, in order, without the hidden ones. */
export function shownColumns<T extends { id: number }>(
  columns: readonly T[],
  hidden: readonly number[],
): T[] {
  if (hidden.length === 0) return [...columns];
  const out = new Set(hidden);
  return columns.filter((column) => !out.has(column.id));
}

/**
 * The table's whole column order after the grid moved its shown column `from` onto shown place
 * `to`: hidden columns keep their places, the moved one lands just before (moving left) or after
 * (moving right) the column it was dropped on.
 */
export function moveShownColumn<T extends { id: number }>(
  columns: readonly T[],
  hidden: readonly number[],
  from: number,
  to: number,
): T[] {
  const shown = shownColumns(columns, hidden);
  const moved = shown[from];
  const target = shown[to];
  if (!moved || !target || moved === target) return [...columns];
  const next = columns.filter((column) => column !== moved);
  const at = next.indexOf(target);
  next.splice(to > from ? at + 1 : at, 0, moved);
  return next;
}
