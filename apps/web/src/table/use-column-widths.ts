import { useCallback, useState } from 'react';

/** Column widths are a per-browser preference: kept in localStorage, keyed by table. */
export function useColumnWidths(
  tableId: number,
): [Record<string, number>, (columnId: number, width: number) => void] {
  const key = `glaze.widths.${tableId}`;
  const [widths, setWidths] = useState<Record<string, number>>(() => {
    try {
      return JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, number>;
    } catch {
      return {};
    }
  });
  const setWidth = useCallback(
    (columnId: number, width: number) => {
      setWidths((current) => {
        const next = { ...current, [columnId]: Math.round(width) };
        localStorage.setItem(key, JSON.stringify(next));
        return next;
      });
    },
    [key],
  );
  return [widths, setWidth];
}
