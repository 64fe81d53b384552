import type { ProviderInfo, RateLimitInfo } from '@glaze/core';
import { useEffect, useState } from 'react';
import { errorText } from '../api/client';
import { listProviders } from '../api/columns';
import { listProviderLimits } from '../api/provider-limits';
import { SidePanel } from '../ui/side-panel';
import { HostLimitForm } from './host-limit-form';
import { limitRowKey, limitRows, withSavedRow } from './limit-rows';
import { ProviderLimitForm } from './provider-limit-form';

/** The workspace's providers with how fast each may be called, across every worker. */
export function ProviderLimitsPanel({ onClose }: { onClose(): void }) {
  const [rows, setRows] = useState<RateLimitInfo[]>();
  const [providers, setProviders] = useState<ProviderInfo[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    Promise.all([listProviders(), listProviderLimits()])
      .then(([{ providers }, { limits }]) => {
        if (!live) return;
        setProviders(providers);
        setRows(
          limitRows(
            providers.map((p) => p.id),
            limits,
          ),
        );
      })
      .catch((thrown) => live && setError(`Provider limits: ${errorText(thrown)}`));
    return () => {
      live = false;
    };
  }, []);

  return (
    <SidePanel title="Provider limits" onClose={onClose} testId="provider-limits" wide>
      <p className="muted">
        Requests per second and calls in flight at once, per provider, across every worker (within about 2 s).
        Leave a field empty for no limit. Without a limit, a provider that answers 429 (too many requests) or
        says its quota is spent still slows the workers down by itself. A limit on one host applies to that
        provider's calls to it, on top of the provider's own.
      </p>
      {error && <p className="field-error">{error}</p>}
      {!rows && !error && <p className="muted">Loading…</p>}
      {rows?.map((limit) => (
        <ProviderLimitForm
          key={limitRowKey(limit)}
          limit={limit}
          onSaved={(saved) => setRows((all) => all && withSavedRow(all, saved))}
        />
      ))}
      {rows && (
        <HostLimitForm
          providers={providers}
          onAdd={(row) =>
            setRows((all) =>
              all?.some((r) => limitRowKey(r) === limitRowKey(row)) ? all : all && withSavedRow(all, row),
            )
          }
        />
      )}
    </SidePanel>
  );
}
