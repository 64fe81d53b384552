import { type components, GlazeError } from '@glaze/client';
import { useCallback, useEffect, useState } from 'react';
import { glaze } from './glaze';
import { LiveTable } from './live-table';
import { SignIn } from './sign-in';

type Table = components['schemas']['Table'];

const tableInHash = () => Number(window.location.hash.slice(1)) || undefined;

/** Signs in if needed, lists the workspace's tables as links (`#<id>`) and shows the chosen one live. */
export function App() {
  const [tables, setTables] = useState<Table[]>();
  const [signedOut, setSignedOut] = useState(false);
  const [error, setError] = useState<string>();
  const [tableId, setTableId] = useState(tableInHash);
  const listTables = useCallback(() => {
    glaze.listTables().then(
      (answer) => {
        setSignedOut(false);
        setTables(answer.tables);
      },
      (failure: Error) =>
        failure instanceof GlazeError && failure.status === 401
          ? setSignedOut(true)
          : setError(`Tables could not be listed: ${failure.message}`),
    );
  }, []);
  useEffect(() => {
    listTables();
    const follow = () => setTableId(tableInHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [listTables]);
  if (signedOut) return <SignIn onSignedIn={listTables} />;
  return (
    <main>
      {error && <p className="error">{error}</p>}
      <nav>
        {tables?.map((table) => (
          <a key={table.id} href={`#${table.id}`} aria-current={table.id === tableId ? 'page' : undefined}>
            {table.name} ({table.rowCount} rows)
          </a>
        ))}
      </nav>
      {tables && (tableId ? <LiveTable key={tableId} tableId={tableId} /> : <p>Pick a table.</p>)}
    </main>
  );
}
