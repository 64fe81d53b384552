import type { Table } from '@glaze/core';
import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../api/client';
import { listTables } from '../api/tables';
import { CreateTableForm } from './create-table-form';
import { ImportDropZone } from './import-drop-zone';
import { TableListItem } from './table-list-item';

export function TablesPage() {
  const [tables, setTables] = useState<Table[]>();
  const [error, setError] = useState<string>();

  const reload = useCallback(() => {
    listTables().then(
      (body) => {
        setTables(body.tables);
        setError(undefined);
      },
      (thrown) => setError(errorText(thrown)),
    );
  }, []);

  useEffect(reload, [reload]);

  return (
    <main className="tables-page">
      <section className="tables-actions">
        <CreateTableForm onCreated={reload} />
        <ImportDropZone onImported={reload} />
      </section>
      <h2>Tables</h2>
      {error && <p className="banner error">{error}</p>}
      {!tables && !error && <p className="muted">Loading…</p>}
      {tables?.length === 0 && <p className="muted">No tables yet: create one or import a CSV.</p>}
      {tables && tables.length > 0 && (
        <ul className="table-list">
          {tables.map((table) => (
            <TableListItem key={table.id} table={table} onChanged={reload} />
          ))}
        </ul>
      )}
    </main>
  );
}
