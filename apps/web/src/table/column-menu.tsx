import type { Column } from '@glaze/core';
import type { Rectangle } from '@glideapps/glide-data-grid';
import { useEffect, useRef } from 'react';
import { errorText } from '../api/client';
import { deleteColumn, updateColumn } from '../api/columns';
import type { Edit } from '../edit/undo-stack';
import { formatCount } from '../ui/format';

export type MenuScope = 'all' | 'empty' | 'errors' | 'stale' | 'selected';

interface Props {
  tableId: number;
  column: Column;
  bounds: Rectangle;
  selectedRows: number;
  onRun(scope: MenuScope): void;
  /** Sorts the grid by this column (an enrichment column by its displayed value). */
  onSort?(direction: 'asc' | 'desc'): void;
  onEdit(): void;
  onChanged(): void;
  /** A rename or delete went through: recorded for undo. */
  onUndoable?(edit: Edit): void;
  onError(message: string): void;
  onClose(): void;
}

/** A column header's menu: run it (all, empty, errors, selected rows), edit, rename, delete. */
export function ColumnMenu({
  tableId,
  column,
  bounds,
  selectedRows,
  onRun,
  onSort,
  onEdit,
  onChanged,
  onUndoable,
  onError,
  onClose,
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const away = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  const then = (action: () => unknown) => () => {
    onClose();
    action();
  };
  const guarded = (action: () => Promise<unknown>) =>
    then(() => action().then(onChanged, (thrown) => onError(errorText(thrown))));

  const rename = guarded(async () => {
    const name = window.prompt('Column name', column.name)?.trim();
    if (!name || name === column.name) return;
    await updateColumn(tableId, column.id, { name });
    onUndoable?.({
      label: `rename of “${column.name}”`,
      ops: [{ kind: 'renameColumn', columnId: column.id, from: column.name, to: name }],
    });
  });
  const remove = guarded(async () => {
    if (!window.confirm(`Delete column “${column.name}” and its values? Undo (Ctrl+Z) brings them back.`))
      return;
    await deleteColumn(tableId, column.id);
    onUndoable?.({
      label: `delete of “${column.name}”`,
      ops: [{ kind: 'deleteColumn', columnId: column.id }],
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
      <MenuItem label="Rename…" onClick={rename} />
      <MenuItem label="Delete column" danger onClick={remove} />
    </div>
  );
}

function MenuItem(props: { label: string; onClick(): void; disabled?: boolean; danger?: boolean }) {
  return (
    <button
      type="button"
      role="menuitem"
      className={props.danger ? 'danger' : undefined}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.label}
    </button>
  );
}
