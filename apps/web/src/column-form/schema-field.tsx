import { humanizeKey } from '@glaze/core';
import type { Field } from './json-schema';
import { TemplateInput } from './template-input';
import { TemplatePreview } from './template-preview';

interface Props {
  field: Field;
  /** Before the field's id, where one form holds the same field twice (waterfall steps). */
  idPrefix?: string;
  text: string;
  error?: string;
  columnNames: readonly string[];
  firstRow: Record<string, unknown> | undefined;
  onChange(text: string): void;
}

/** One config field, its control chosen by the JSON Schema type; the API's error for it shows under it. */
export function SchemaField({ field, idPrefix = '', text, error, columnNames, firstRow, onChange }: Props) {
  const id = `${idPrefix}field-${field.name}`;
  const { schema } = field;
  return (
    <div className={`field${error ? ' has-error' : ''}`} data-field={field.name}>
      <label htmlFor={id}>
        {humanizeKey(field.name)}
        {field.required && <span title="required"> *</span>}
      </label>
      {control()}
      {schema.description && <p className="hint">{schema.description}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );

  function control() {
    switch (field.kind) {
      case 'string':
        return (
          <>
            <TemplateInput
              id={id}
              value={text}
              columnNames={columnNames}
              onChange={onChange}
              invalid={!!error}
            />
            <TemplatePreview template={text} row={firstRow} columnNames={columnNames} />
          </>
        );
      case 'number':
      case 'integer':
        return (
          <input
            id={id}
            inputMode={field.kind === 'integer' ? 'numeric' : 'decimal'}
            value={text}
            placeholder={rangeHint(field)}
            aria-invalid={!!error || undefined}
            onChange={(e) => onChange(e.target.value)}
          />
        );
      case 'boolean':
        return (
          <input
            id={id}
            type="checkbox"
            checked={text === 'true'}
            onChange={(e) => onChange(String(e.target.checked))}
          />
        );
      case 'enum':
        return (
          <select id={id} value={text} onChange={(e) => onChange(e.target.value)}>
            {!field.required && <option value="">—</option>}
            {(schema.enum ?? []).map((option) => (
              <option key={String(option)} value={String(option)}>
                {String(option)}
              </option>
            ))}
          </select>
        );
      case 'json':
        return (
          <textarea
            id={id}
            className="mono"
            rows={4}
            value={text}
            onChange={(e) => onChange(e.target.value)}
          />
        );
    }
  }
}

function rangeHint(field: Field): string | undefined {
  const { minimum, maximum } = field.schema;
  if (minimum !== undefined && maximum !== undefined) return `${minimum} – ${maximum}`;
  if (minimum !== undefined) return `≥ ${minimum}`;
  if (maximum !== undefined) return `≤ ${maximum}`;
  return undefined;
}
