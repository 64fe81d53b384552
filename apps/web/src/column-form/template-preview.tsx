import { renderTemplate, templateRefs } from '@glaze/core';

/** The template resolved against the first row, and any `{{Name}}` that is not a column. */
export function TemplatePreview(props: {
  template: string;
  row: Record<string, unknown> | undefined;
  columnNames: readonly string[];
}) {
  const { template, row, columnNames } = props;
  if (!template.includes('{{')) return null;
  const known = new Set(columnNames);
  const unknown = templateRefs(template)
    .filter(
      (ref) => ref.kind === 'column' && !known.has(ref.name) && !known.has(ref.name.split('.')[0] ?? ''),
    )
    .map((ref) => ref.name);
  return (
    <div className="template-preview" data-testid="template-preview">
      <span className="muted">Row 1 →</span>{' '}
      {row ? (
        <code>{renderTemplate(template, row) || '(empty)'}</code>
      ) : (
        <span className="muted">no rows yet</span>
      )}
      {unknown.length > 0 && <p className="field-warning">Not a column: {unknown.join(', ')}</p>}
    </div>
  );
}
