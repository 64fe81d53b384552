import { type ProviderInfo, providerGroupLabels, providerGroups } from '@glaze/core';

interface Props {
  id: string;
  providers: readonly ProviderInfo[] | undefined;
  value: string;
  onChange(id: string): void;
  /** Providers not offered here (a waterfall step cannot be another waterfall). */
  exclude?: readonly string[];
}

/** The providers grouped by what they do — Validate, Call an API, AI, Transform, Testing (mock last). */
export function ProviderPicker({ id, providers, value, onChange, exclude = [] }: Props) {
  const offered = (providers ?? []).filter((p) => !exclude.includes(p.id));
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      {providerGroups.map((group) => {
        const members = offered.filter((p) => p.group === group);
        if (members.length === 0) return null;
        return (
          <optgroup key={group} label={providerGroupLabels[group]}>
            {members.map((p) => (
              <option key={p.id} value={p.id} title={p.description}>
                {p.id} — {p.description}
              </option>
            ))}
          </optgroup>
        );
      })}
    </select>
  );
}
