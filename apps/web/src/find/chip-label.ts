import type { CellStatus, Column } from '@glaze/core';
import type { FindChip } from './find-state';

/** The status filters the bar offers, in plain words. */
export const statusChoices: { label: string; value: CellStatus[] }[] = [
  { label: 'has an error', value: ['error'] },
  { label: 'is done', value: ['done'] },
  { label: 'is stale (inputs changed)', value: ['stale'] },
  { label: 'has not run', value: ['idle'] },
  { label: 'is queued or running', value: ['queued', 'running'] },
];

/** A chip as a person reads it: `Email check has an error`, `City contains "zur"`. */
export function chipLabel(chip: FindChip, columns: readonly Column[]): string {
  const name = columns.find((column) => column.id === chip.column)?.name ?? `column ${chip.column}`;
  switch (chip.op) {
    case 'status': {
      const key = chip.value.join(',');
      const choice = statusChoices.find((option) => option.value.join(',') === key);
      return `${name} ${choice?.label ?? `is ${chip.value.join(' or ')}`}`;
    }
    case 'contains':
      return `${name} contains “${chip.value}”`;
    case 'eq':
      return `${name} equals “${chip.value}”`;
    case 'empty':
      return `${name} is empty`;
  }
}
