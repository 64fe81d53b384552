import type { Column } from '@glaze/core';
import { useState } from 'react';
import { statusChoices } from './chip-label';
import type { FindChip } from './find-state';

/** Conditions offered for a column: value tests for all, cell statuses for enrichment columns too. */
function conditions(column: Column | undefined): { key: string; label: string }[] {
  const values = [
    { key: 'contains', label: 'contains' },
    { key: 'eq', label: 'equals' },
    { key: 'empty', label: 'is empty' },
  ];
  if (!column || column.kind === 'input') return values;
  return [...statusChoices.map((choice, i) => ({ key: `status:${i}`, label: choice.label })), ...values];
}

/** Column, condition, value, Add: one more chip for the filter bar. */
export function AddFilterForm({
  columns,
  onAdd,
}: {
  columns: readonly Column[];
  onAdd(chip: FindChip): void;
}) {
  const [columnId, setColumnId] = useState<number>();
  const column = columns.find((c) => c.id === columnId) ?? columns[0];
  const options = conditions(column);
  const [condition, setCondition] = useState('');
  const chosen = options.find((option) => option.key === condition) ?? options[0];
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string>();
  const needsValue = chosen?.key === 'contains' || chosen?.key === 'eq';

  const add = () => {
    if (!column || !chosen) return;
    if (needsValue && value.trim() === '')
      return setProblem(`Type the value that ${column.name} ${chosen.label}.`);
    setProblem(undefined);
    setValue('');
    if (chosen.key.startsWith('status:')) {
      const status = statusChoices[Number(chosen.key.slice(7))];
      if (status) onAdd({ column: column.id, op: 'status', value: status.value });
    } else if (chosen.key === 'empty') onAdd({ column: column.id, op: 'empty' });
    else onAdd({ column: column.id, op: chosen.key as 'contains' | 'eq', value: value.trim() });
  };

  return (
    <form
      className="add-filter"
      onSubmit={(event) => {
        event.preventDefault();
        add();
      }}
    >
      <select
        aria-label="Filter column"
        value={column?.id ?? ''}
        onChange={(e) => setColumnId(Number(e.target.value))}
      >
        {columns.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter condition"
        value={chosen?.key ?? ''}
        onChange={(e) => setCondition(e.target.value)}
      >
        {options.map((option) => (
          <option key={option.key} value={option.key}>
            {option.label}
          </option>
        ))}
      </select>
      {needsValue && (
        <input
          aria-label="Filter value"
          placeholder="value"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      )}
      <button type="submit">Add filter</button>
      {problem && <span className="field-error">{problem}</span>}
    </form>
  );
}
