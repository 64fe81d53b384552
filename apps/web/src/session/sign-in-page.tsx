import type { Workspace } from '@glaze/core';
import { type FormEvent, useState } from 'react';
import { errorText } from '../api/client';
import { signIn } from '../api/session';

/** Takes the token `glaze start` printed; the server answers with an HttpOnly cookie. */
export function SignInPage({ onSignedIn }: { onSignedIn(workspace: Workspace): void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { workspace } = await signIn(token.trim());
      onSignedIn(workspace);
    } catch (thrown) {
      setError(errorText(thrown));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="card">
        <h1>
          <span className="brand-mark" aria-hidden="true" /> Glaze
        </h1>
        <label htmlFor="token">Access token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          placeholder="the token glaze start printed"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
