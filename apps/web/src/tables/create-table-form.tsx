import { type FormEvent, useState } from 'react';
import { errorText } from '../api/client';
import { createTable } from '../api/tables';
import { tableHref } from '../use-hash-route';

/** A new empty table with the columns typed, comma-separated (an `input` column is added by default). */
export function CreateTableForm({ onCreated }: { onCreated(): void }) {
  const [name, setName] = useState('');
  const [columns, setColumns] = useState('input');
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const names = columns
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
      const { table } = await createTable(name.trim(), names.length ? names : undefined);
      onCreated();
      window.location.hash = tableHref(table.id);
    } catch (thrown) {
      setError(errorText(thrown));
    }
  };

  return (
    <form className="card create-table" onSubmit={submit}>
      <h3>New table</h3>
      <label className="hint" htmlFor="new-table-name">
        Name
      </label>
      <input id="new-table-name" placeholder="Leads" value={name} onChange={(e) => setName(e.target.value)} />
      <label className="hint" htmlFor="new-table-columns">
        Input columns, comma-separated
      </label>
      <input
        id="new-table-columns"
        placeholder="name, email, company"
        value={columns}
        onChange={(e) => setColumns(e.target.value)}
      />
      {error && <p className="field-error">{error}</p>}
      <button type="submit" className="primary" disabled={name.trim() === ''}>
        Create
      </button>
    </form>
  );
}
