import type { Column } from '@glaze/core';
import { type RefObject, useCallback, useEffect, useMemo, useReducer } from 'react';
import { errorText } from '../api/client';
import { applyEditOps } from '../edit/apply-edit';
import { type Edit, UndoStack } from '../edit/undo-stack';

/**
 * The table page's undo and redo: buttons read `stack`, Ctrl+Z / Ctrl+Shift+Z (Cmd on a Mac, and
 * Ctrl+Y) work anywhere on the page but in a text field, which keeps its own undo.
 */
export function useUndo(tableId: number, columns: RefObject<Column[]>, onError: (message: string) => void) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: one stack per table; another table starts empty
  const stack = useMemo(() => new UndoStack(), [tableId]);
  const [, rendered] = useReducer((n: number) => n + 1, 0);

  const record = useCallback(
    (edit: Edit) => {
      stack.push(edit);
      rendered();
    },
    [stack],
  );

  const step = useCallback(
    async (direction: 'undo' | 'redo') => {
      const apply = (ops: Parameters<typeof applyEditOps>[1]) =>
        applyEditOps(tableId, ops, () => columns.current ?? []);
      const run = direction === 'undo' ? stack.undo(apply) : stack.redo(apply);
      rendered();
      try {
        await run;
      } catch (thrown) {
        onError(`Could not ${direction}: ${errorText(thrown)}`);
      }
      rendered();
    },
    [stack, tableId, columns, onError],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key !== 'z' && key !== 'y') return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('textarea, input, select, [contenteditable=true]')) return;
      event.preventDefault();
      void step(key === 'y' || event.shiftKey ? 'redo' : 'undo');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step]);

  /** Runs an edit that records itself when the server answers; an undo meanwhile waits for it. */
  const tracked = useCallback(<T>(work: () => Promise<T>) => stack.track(work()), [stack]);

  return { stack, record, tracked, undo: () => step('undo'), redo: () => step('redo') };
}
