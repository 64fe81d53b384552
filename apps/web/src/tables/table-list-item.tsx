import type { Table } from '@glaze/core';
import { type FormEvent, useState } from 'react';
import { errorText } from '../api/client';
import { deleteTable, renameTable } from '../api/tables';
import { formatCount, formatWhen } from '../ui/format';
import { tableHref } from '../use-hash-route';

export function TableListItem({ table, onChanged }: { table: Table; onChanged(): void }) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(table.name);
  const [error, setError] = useState<string>();

  const rename = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await renameTable(table.id, name.trim());
      setEditing(false);
      onChanged();
    } catch (thrown) {
      setError(errorText(thrown));
    }
  };

  const remove = async () => {
    if (!window.confirm(`Delete “${table.name}” and its ${formatCount(table.rowCount)} rows?`)) return;
    try {
      await deleteTable(table.id);
      onChanged();
    } catch (thrown) {
      setError(errorText(thrown));
    }
  };

  return (
    <li className="table-item" data-table-id={table.id}>
      {editing ? (
        <form onSubmit={rename} className="inline-form">
          <input aria-label="New name" value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="primary small">
            Save
          </button>
          <button type="button" className="small" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <a className="table-name" href={tableHref(table.id)}>
          {table.name}
        </a>
      )}
      <span className="muted">{formatCount(table.rowCount)} rows</span>
      <span className="muted">updated {formatWhen(table.updatedAt)}</span>
      <span className="row-actions">
        <button type="button" className="small" onClick={() => setEditing(true)}>
          Rename
        </button>
        <button type="button" className="small danger" onClick={remove}>
          Delete
        </button>
      </span>
      {error && <p className="field-error">{error}</p>}
    </li>
  );
}
