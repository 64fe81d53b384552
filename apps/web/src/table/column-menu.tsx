import type { Column } from '@glaze/core';
import type { Rectangle } from '@glideapps/glide-data-grid';
import { useRef } from 'react';
import { errorText } from '../api/client';
import { deleteColumn, updateColumn } from '../api/columns';
import type { Edit } from '../edit/undo-stack';
import { formatCount } from '../ui/format';
import { MenuItem } from '../ui/menu-item';
import { useDismiss } from '../ui/use-dismiss';

export type MenuScope = 'all' | 'empty' | 'errors' | 'stale' | 'selected' | 'view';

interface Props {
  tableId: number;
  column: Column;
  bounds: Rectangle;
  selectedRows: number;
  /** The saved view open in the grid, offered as a run's scope ("the rows of this view"). */
  viewName?: string;
  onRun(scope: MenuScope): void;
  /** Hides this column from the grid (and from the view, once saved). */
  onHide?(): void;
  /** Sorts the grid by this column (an enrichment column by its displayed value). */
  onSort?(direction: 'asc' | 'desc'): void;
  onEdit(): void;
  onChanged(): void;
  /** A rename or delete went through: recorded for undo. */
  onUndoable?(edit: Edit): void;
  /**
   * Sends a rename or delete as an edit on its way: a Ctrl+Z pressed before the server answers waits
   * for it and takes it back, not the edit before it.
   */
  track?<T>(work: () => Promise<T>): Promise<T>;
  onError(message: string): void;
  onClose(): void;
}

/** A column header's menu: run it (all, empty, errors, selected rows, the open view's rows), edit, sort, hide, rename, delete. */
export function ColumnMenu({
  tableId,
  column,
  bounds,
  selectedRows,
  viewName,
  onRun,
  onHide,
  onSort,
  onEdit,
  onChanged,
  onUndoable,
  track = (work) => work(),
  onError,
  onClose,
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useDismiss(ref, onClose);

  const then = (action: () => unknown) => () => {
    onClose();
    action();
  };
  const guarded = (action: () => Promise<unknown>) =>
    then(() => action().then(onChanged, (thrown) => onError(errorText(thrown))));

  const rename = guarded(async () => {
    const name = window.prompt('Column name', column.name)?.trim();
    if (!name || name === column.name) return;
    await track(async () => {
      await updateColumn(tableId, column.id, { name });
      onUndoable?.({
        label: `rename of “${column.name}”`,
        ops: [{ kind: 'renameColumn', columnId: column.id, from: column.name, to: name }],
      });
    });
  });
  const remove = guarded(async () => {
    if (!window.confirm(`Delete column “${column.name}” and its values? Undo (Ctrl+Z) brings them back.`))
      return;
    await track(async () => {
      await deleteColumn(tableId, column.id);
      onUndoable?.({
        label: `delete of “${column.name}”`,
        ops: [{ kind: 'deleteColumn', columnId: column.id }],
      });
    });
  });
  const runnable = column.kind !== 'input';

  return (
    <div
      ref={ref}
      className="menu"
      role="menu"
      aria-label={`${column.name} menu`}
      style={{ left: Math.max(8, bounds.x + bounds.width - 220), top: bounds.y + bounds.height }}
    >
      {runnable && (
        <>
          <MenuItem label="Run all rows" onClick={then(() => onRun('all'))} />
          <MenuItem label="Run empty cells" onClick={then(() => onRun('empty'))} />
          <MenuItem label="Run errored cells" onClick={then(() => onRun('errors'))} />
          <MenuItem label="Run stale cells (inputs changed)" onClick={then(() => onRun('stale'))} />
          <MenuItem
            label={`Run selected rows (${formatCount(selectedRows)})`}
            disabled={selectedRows === 0}
            onClick={then(() => onRun('selected'))}
          />
          {viewName !== undefined && (
            <MenuItem label={`Run rows of view “${viewName}”`} onClick={then(() => onRun('view'))} />
          )}
          <hr />
          <MenuItem label="Edit column…" onClick={then(onEdit)} />
        </>
      )}
      {onSort && (
        <>
          <MenuItem label="Sort ascending ↑" onClick={then(() => onSort('asc'))} />
          <MenuItem label="Sort descending ↓" onClick={then(() => onSort('desc'))} />
          <hr />
        </>
      )}
      {onHide && <MenuItem label="Hide column" onClick={then(onHide)} />}
      <MenuItem label="Rename…" onClick={rename} />
      <MenuItem label="Delete column" danger onClick={remove} />
    </div>
  );
}
