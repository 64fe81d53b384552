import type { Column, ProviderInfo } from '@glaze/core';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { ApiError, errorText } from '../api/client';
import { addColumn, listProviders, updateColumn } from '../api/columns';
import { SidePanel } from '../ui/side-panel';
import { buildConfig, fieldOfPath, fieldsOf, initialText } from './json-schema';
import { SchemaField } from './schema-field';

interface Props {
  tableId: number;
  /** The table's columns: names a template may use (and a new name must not repeat). */
  columns: readonly Column[];
  /** The first row's values by column name, for the template preview; undefined before it loads. */
  previewRow(): Record<string, unknown> | undefined;
  /** Absent: add a new enrichment column. */
  column?: Column;
  onClose(): void;
  onSaved(column: Column): void;
}

type Errors = { name?: string; provider?: string; fields: Record<string, string>; form?: string };

/** Add or edit an enrichment column; its fields come from the provider's JSON Schema. */
export function ColumnPanel({ tableId, columns, previewRow, column, onClose, onSaved }: Props) {
  const [providers, setProviders] = useState<ProviderInfo[]>();
  const [name, setName] = useState(column?.name ?? '');
  const [providerId, setProviderId] = useState(column?.provider ?? '');
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Errors>({ fields: {} });
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    listProviders().then(
      ({ providers }) => {
        setProviders(providers);
        setProviderId(
          (current) => current || (providers.find((p) => p.id === 'mock') ?? providers[0])?.id || '',
        );
      },
      (thrown) => setErrors({ fields: {}, form: errorText(thrown) }),
    );
  }, []);

  const provider = providers?.find((p) => p.id === providerId);
  const fields = useMemo(() => (provider ? fieldsOf(provider.configSchema) : []), [provider]);

  // A new provider: start its fields from the column's config (when editing) or the defaults.
  useEffect(() => {
    const config = column?.provider === providerId ? column.config : {};
    setTexts(Object.fromEntries(fields.map((field) => [field.name, initialText(field, config)])));
  }, [fields, column, providerId]);

  const columnNames = columns.filter((c) => c.id !== column?.id).map((c) => c.name);
  const firstRow = previewRow();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({ fields: {} });
    const config = buildConfig(fields, texts);
    try {
      const body = column
        ? await updateColumn(tableId, column.id, {
            name: name.trim(),
            provider: providerId,
            config,
          })
        : await addColumn(tableId, {
            name: name.trim(),
            kind: 'enrichment',
            provider: providerId,
            config,
          });
      onSaved(body.column);
    } catch (thrown) {
      setErrors(toErrors(thrown, new Set(fields.map((f) => f.name))));
    } finally {
      setBusy(false);
    }
  };

  return (
    <SidePanel
      title={column ? `Edit ${column.name}` : 'Add enrichment column'}
      onClose={onClose}
      testId="column-panel"
    >
      <form className="column-form" onSubmit={submit} noValidate>
        <div className={`field${errors.name ? ' has-error' : ''}`} data-field="name">
          <label htmlFor="column-name">Name</label>
          <input id="column-name" value={name} onChange={(e) => setName(e.target.value)} />
          {errors.name && <p className="field-error">{errors.name}</p>}
        </div>
        <div className={`field${errors.provider ? ' has-error' : ''}`} data-field="provider">
          <label htmlFor="column-provider">Provider</label>
          <select id="column-provider" value={providerId} onChange={(e) => setProviderId(e.target.value)}>
            {providers?.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id}
              </option>
            ))}
          </select>
          {provider && <p className="hint">{provider.description}</p>}
          {errors.provider && <p className="field-error">{errors.provider}</p>}
        </div>
        {fields.map((field) => (
          <SchemaField
            key={`${providerId}.${field.name}`}
            field={field}
            text={texts[field.name] ?? ''}
            error={errors.fields[field.name]}
            columnNames={columnNames}
            firstRow={firstRow}
            onChange={(text) => setTexts((current) => ({ ...current, [field.name]: text }))}
          />
        ))}
        {errors.form && <p className="banner error">{errors.form}</p>}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !providerId}>
            {busy ? 'Saving…' : column ? 'Save' : 'Add column'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </SidePanel>
  );
}

/** Puts the API's error at the field its `path` names, or at the top of the form. */
function toErrors(thrown: unknown, shown: ReadonlySet<string>): Errors {
  if (!(thrown instanceof ApiError) || !thrown.path) return { fields: {}, form: errorText(thrown) };
  if (thrown.path === 'name') return { fields: {}, name: thrown.message };
  if (thrown.path === 'provider') return { fields: {}, provider: thrown.message };
  const field = fieldOfPath(thrown.path);
  if (!field || !shown.has(field)) return { fields: {}, form: errorText(thrown) };
  const detail = thrown.path === `config.${field}` ? thrown.message : `${thrown.path}: ${thrown.message}`;
  return { fields: { [field]: detail } };
}
