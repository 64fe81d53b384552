import type { PreviewCell } from '@glaze/core';
import { previewValue } from '@glaze/core';

/**
 * One line for a previewed cell: its value summarised as the grid shows it, a waterfall's answer
 * by the step that gave it (`via step 2 (email): email: a@b.co · valid: true`), or its error.
 */
export function previewText(cell: Pick<PreviewCell, 'status' | 'value' | 'error'>): string {
  if (cell.status !== 'done') return cell.error ?? '';
  const value = cell.value as { provider?: unknown; step?: unknown; value?: unknown } | null;
  if (
    value &&
    typeof value === 'object' &&
    typeof value.provider === 'string' &&
    typeof value.step === 'number' &&
    'value' in value
  )
    return `via step ${value.step + 1} (${value.provider}): ${previewValue(value.value) || '(no result)'}`;
  return previewValue(cell.value) || '(no result)';
}
