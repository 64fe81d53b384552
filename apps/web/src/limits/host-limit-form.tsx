import type { ProviderInfo, RateLimitInfo } from '@glaze/core';
import { useState } from 'react';

/**
 * Adds a row for one provider's calls to one host (an API with its own limits, e.g. `http` on
 * `api.example.com`). The row is saved with its own Save, like the others; the server checks the host
 * and its 400 names the field.
 */
export function HostLimitForm({
  providers,
  onAdd,
}: {
  providers: readonly ProviderInfo[];
  onAdd(row: RateLimitInfo): void;
}) {
  const choices = providers.filter((provider) => provider.hostLimits).map((provider) => provider.id);
  const [provider, setProvider] = useState(choices[0] ?? '');
  const [host, setHost] = useState('');
  const [error, setError] = useState<string>();
  if (choices.length === 0) return null;
  return (
    <form
      className="host-limit-form"
      data-testid="host-limit-form"
      onSubmit={(event) => {
        event.preventDefault();
        const trimmed = host.trim().toLowerCase();
        if (!trimmed) return setError('Host is required, e.g. api.example.com');
        if (/[/\s]/.test(trimmed) || trimmed.includes('://'))
          return setError(`Host: "${trimmed}" is a URL; give its host name only, e.g. api.example.com`);
        setError(undefined);
        setHost('');
        onAdd({
          provider,
          host: trimmed,
          requestsPerSecond: null,
          concurrency: null,
          learnedRequestsPerSecond: null,
          pausedUntil: null,
        });
      }}
    >
      <strong>Limit one host</strong>
      <label>
        <span>Provider</span>
        <select value={provider} onChange={(event) => setProvider(event.target.value)}>
          {choices.map((id) => (
            <option key={id}>{id}</option>
          ))}
        </select>
      </label>
      <label>
        <span>Host</span>
        <input
          name="host"
          value={host}
          placeholder="api.example.com"
          onChange={(event) => setHost(event.target.value)}
        />
      </label>
      <button type="submit" className="small">
        Add
      </button>
      {error && <p className="field-error">{error}</p>}
    </form>
  );
}
