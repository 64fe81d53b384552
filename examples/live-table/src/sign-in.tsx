import { type FormEvent, useState } from 'react';
import { glaze } from './glaze';

/**
 * Signs in with an API token as the web app does: `POST /api/v1/session` answers with an HttpOnly
 * session cookie, so the token is sent once and never kept by the page.
 */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    glaze.signIn({ body: { token } }).then(onSignedIn, (failure: Error) => setError(failure.message));
  };
  return (
    <form onSubmit={submit}>
      <label htmlFor="token">API token (glaze start prints the admin token)</label>{' '}
      <input id="token" type="password" value={token} onChange={(event) => setToken(event.target.value)} />
      <button type="submit">Sign in</button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}
