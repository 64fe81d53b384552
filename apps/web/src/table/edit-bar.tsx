import { formatCount } from '../ui/format';

/** Add a row, delete the selected rows, undo and redo: the table's edit buttons. */
export function EditBar(props: {
  selectedRows: number;
  canUndo: boolean;
  canRedo: boolean;
  undoLabel?: string;
  redoLabel?: string;
  onAddRow(): void;
  onDeleteRows(): void;
  onUndo(): void;
  onRedo(): void;
}) {
  const n = props.selectedRows;
  return (
    <span className="edit-bar">
      <button
        type="button"
        onClick={props.onAddRow}
        title="Add an empty row at the end (or paste below the last row)"
      >
        + Row
      </button>
      {n > 0 && (
        <button type="button" className="danger" onClick={props.onDeleteRows}>
          Delete {formatCount(n)} {n === 1 ? 'row' : 'rows'}
        </button>
      )}
      <button
        type="button"
        aria-label="Undo"
        title={props.undoLabel ? `Undo ${props.undoLabel} (Ctrl+Z)` : 'Nothing to undo'}
        disabled={!props.canUndo}
        onClick={props.onUndo}
      >
        ↶
      </button>
      <button
        type="button"
        aria-label="Redo"
        title={props.redoLabel ? `Redo ${props.redoLabel} (Ctrl+Shift+Z)` : 'Nothing to redo'}
        disabled={!props.canRedo}
        onClick={props.onRedo}
      >
        ↷
      </button>
    </span>
  );
}
