import { GlazeError } from '@glaze/client';
import type { Column, ProviderInfo, Run } from '@glaze/core';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { errorText } from '../api/client';
import { addColumn, listProviders, updateColumn } from '../api/columns';
import { startRun } from '../api/runs';
import { SidePanel } from '../ui/side-panel';
import { checkName } from './check-column';
import { ColumnPreview } from './column-preview';
import { buildConfig, fieldOfPath, fieldsOf, initialText } from './json-schema';
import { ProviderPicker } from './provider-picker';
import { SchemaField } from './schema-field';
import { StepsField } from './steps-field';

interface Props {
  tableId: number;
  /** The table's columns: names a template may use (and a new name must not repeat). */
  columns: readonly Column[];
  /** The first row's values by column name, for the template preview; undefined before it loads. */
  previewRow(): Record<string, unknown> | undefined;
  /** Absent: add a new enrichment column. */
  column?: Column;
  onClose(): void;
  /** `run`: the run "Add and run" started over every row. */
  onSaved(column: Column, run?: Run): void;
}

type Errors = {
  name?: string;
  provider?: string;
  fields: Record<string, string>;
  path?: string;
  form?: string;
};

/**
 * Add or edit an enrichment column: providers grouped by what they do, fields generated from the
 * provider's JSON Schema (a waterfall's steps as a step builder), a live preview on the first 5
 * rows, and "Add and run" as the main action. Messages are the server's plain words, under the field.
 */
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
        // The server lists them by group with testing (mock) last: the first is a real provider.
        setProviderId((current) => current || providers[0]?.id || '');
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
  const ready = fields.every((field) => field.name in texts);
  const config = useMemo(() => buildConfig(fields, texts), [fields, texts]);

  const save = async (andRun: boolean) => {
    const nameError = checkName(name);
    if (nameError) {
      setErrors({ fields: {}, name: nameError });
      return;
    }
    setBusy(true);
    setErrors({ fields: {} });
    try {
      if (column) {
        const body = await updateColumn(tableId, column.id, {
          name: name.trim(),
          provider: providerId,
          config,
        });
        onSaved(body.column);
        return;
      }
      const body = await addColumn(tableId, {
        name: name.trim(),
        kind: 'enrichment',
        provider: providerId,
        config,
      });
      const run = andRun ? (await startRun(tableId, body.column.id, 'all')).run : undefined;
      onSaved(body.column, run);
    } catch (thrown) {
      setErrors(toErrors(thrown, new Set(fields.map((f) => f.name))));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(!column);
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
          {errors.name && (
            <p className="field-error" role="alert">
              {errors.name}
            </p>
          )}
        </div>
        <div className={`field${errors.provider ? ' has-error' : ''}`} data-field="provider">
          <label htmlFor="column-provider">Provider</label>
          <ProviderPicker
            id="column-provider"
            providers={providers}
            value={providerId}
            onChange={setProviderId}
          />
          {provider && <p className="hint">{provider.description}</p>}
          {errors.provider && <p className="field-error">{errors.provider}</p>}
        </div>
        {fields.map((field) =>
          providerId === 'waterfall' && field.name === 'steps' && providers ? (
            ready && (
              <StepsField
                key={`${providerId}.steps`}
                providers={providers}
                text={texts.steps ?? '[]'}
                error={errors.fields.steps ? { message: errors.fields.steps, path: errors.path } : undefined}
                columnNames={columnNames}
                firstRow={firstRow}
                onChange={(text) => setTexts((current) => ({ ...current, steps: text }))}
              />
            )
          ) : (
            <SchemaField
              key={`${providerId}.${field.name}`}
              field={field}
              text={texts[field.name] ?? ''}
              error={errors.fields[field.name]}
              columnNames={columnNames}
              firstRow={firstRow}
              onChange={(text) => setTexts((current) => ({ ...current, [field.name]: text }))}
            />
          ),
        )}
        {providerId && ready && (
          <ColumnPreview tableId={tableId} provider={providerId} config={config} columnId={column?.id} />
        )}
        {errors.form && <p className="banner error">{errors.form}</p>}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !providerId}>
            {busy ? 'Saving…' : column ? 'Save' : 'Add and run'}
          </button>
          {!column && (
            <button type="button" disabled={busy || !providerId} onClick={() => void save(false)}>
              Add
            </button>
          )}
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
  if (!(thrown instanceof GlazeError) || !thrown.path) return { fields: {}, form: errorText(thrown) };
  if (thrown.path === 'name') return { fields: {}, name: thrown.detail };
  if (thrown.path === 'provider') return { fields: {}, provider: thrown.detail };
  const field = fieldOfPath(thrown.path);
  if (!field || !shown.has(field)) return { fields: {}, form: errorText(thrown) };
  return { fields: { [field]: thrown.detail }, path: thrown.path };
}
