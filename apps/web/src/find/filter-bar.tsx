import type { Column } from '@glaze/core';
import { AddFilterForm } from './add-filter-form';
import { chipLabel } from './chip-label';
import type { FindState } from './find-state';

/** The active filters as removable chips (combined with AND), the sort, the hidden columns, and a form to add a filter. */
export function FilterBar({
  state,
  columns,
  onChange,
}: {
  state: FindState;
  columns: readonly Column[];
  onChange(next: FindState): void;
}) {
  const sortColumn = state.sort && columns.find((c) => c.id === state.sort?.column);
  return (
    <section className="filter-bar" aria-label="Filters">
      {state.chips.map((chip, i) => (
        <span className="chip" key={JSON.stringify(chip)}>
          {chipLabel(chip, columns)}
          <button
            type="button"
            aria-label={`Remove filter ${chipLabel(chip, columns)}`}
            onClick={() => onChange({ ...state, chips: state.chips.filter((_, k) => k !== i) })}
          >
            ×
          </button>
        </span>
      ))}
      {state.where && (
        <span className="chip" title={JSON.stringify(state.where)}>
          The view's other conditions
          <button
            type="button"
            aria-label="Remove the view's other conditions"
            onClick={() => onChange({ ...state, where: undefined })}
          >
            ×
          </button>
        </span>
      )}
      {state.sort && (
        <span className="chip sort-chip" data-testid="sort-chip">
          Sorted by {sortColumn?.name ?? `column ${state.sort.column}`}{' '}
          {state.sort.direction === 'asc' ? '↑ ascending' : '↓ descending'}
          <button
            type="button"
            aria-label="Remove sort"
            onClick={() => onChange({ ...state, sort: undefined })}
          >
            ×
          </button>
        </span>
      )}
      {state.hidden.map((id) => {
        const column = columns.find((c) => c.id === id);
        // An id from an old link of a column deleted since hides nothing: no chip for it.
        if (!column && columns.length > 0) return null;
        const name = column?.name ?? `column ${id}`;
        return (
          <span className="chip hidden-chip" key={`hidden-${id}`} data-testid="hidden-chip">
            Hidden: {name}
            <button
              type="button"
              aria-label={`Show column ${name}`}
              onClick={() => onChange({ ...state, hidden: state.hidden.filter((held) => held !== id) })}
            >
              ×
            </button>
          </span>
        );
      })}
      <AddFilterForm
        columns={columns}
        onAdd={(chip) => {
          const known = state.chips.some((held) => JSON.stringify(held) === JSON.stringify(chip));
          if (!known) onChange({ ...state, chips: [...state.chips, chip] });
        }}
      />
    </section>
  );
}
