import type { Workspace } from '@glaze/core';
import { useCallback, useEffect, useState } from 'react';
import { onUnauthorized } from './api/client';
import { getSession, signOut } from './api/session';
import { SignInPage } from './session/sign-in-page';
import { TablePage } from './table/table-page';
import { TablesPage } from './tables/tables-page';
import { useHashRoute } from './use-hash-route';

type Session = { state: 'checking' } | { state: 'signed-out' } | { state: 'signed-in'; workspace: Workspace };

export function App() {
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const route = useHashRoute();

  useEffect(() => {
    getSession().then(
      ({ workspace }) => setSession({ state: 'signed-in', workspace }),
      () => setSession({ state: 'signed-out' }),
    );
    return onUnauthorized(() => setSession({ state: 'signed-out' }));
  }, []);

  const leave = useCallback(() => {
    signOut().finally(() => setSession({ state: 'signed-out' }));
  }, []);

  if (session.state === 'checking') return <div className="splash">Glaze</div>;
  if (session.state === 'signed-out') {
    return <SignInPage onSignedIn={(workspace) => setSession({ state: 'signed-in', workspace })} />;
  }
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/">
          <span className="brand-mark" aria-hidden="true" />
          Glaze
        </a>
        <span className="workspace">{session.workspace.name}</span>
        <button type="button" className="link" onClick={leave}>
          Sign out
        </button>
      </header>
      {route.page === 'table' ? <TablePage key={route.tableId} tableId={route.tableId} /> : <TablesPage />}
    </div>
  );
}
