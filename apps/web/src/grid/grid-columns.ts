import type { Column } from '@glaze/core';
import type { DrawHeaderCallback, GridColumn } from '@glideapps/glide-data-grid';

/** Enrichment values (summarised objects) need more room than typical inputs. */
export const defaultWidth = { input: 180, enrichment: 280, formula: 200 } as const;

/** Glide columns for the table's columns; the id is the column id so moves and menus map back. */
export function toGridColumns(
  columns: readonly Column[],
  widths: Readonly<Record<string, number>>,
): GridColumn[] {
  return columns.map((column) => ({
    id: String(column.id),
    title: column.name,
    width: widths[column.id] ?? defaultWidth[column.kind],
    hasMenu: true,
  }));
}

/** What a header's second line says: `input`, `enrichment · mock`, `formula`. */
export function columnSubtitle(column: Column): string {
  return column.provider ? `${column.kind} · ${column.provider}` : column.kind;
}

const kindColor: Record<Column['kind'], string> = {
  input: '#6b7280',
  enrichment: '#7c3aed',
  formula: '#0f766e',
};

/** Two-line header: the column name (with ↑ or ↓ when the grid is sorted by it), then its kind and provider, plus the menu dots. */
export function makeDrawHeader(
  columnAt: (index: number) => Column | undefined,
  sorted?: { column: number; direction: 'asc' | 'desc' },
): DrawHeaderCallback {
  return ({ ctx, rect, theme, columnIndex, isHovered, isSelected, menuBounds }) => {
    const column = columnAt(columnIndex);
    if (!column) return;
    ctx.fillStyle = isSelected ? theme.accentLight : isHovered ? theme.bgHeaderHovered : theme.bgHeader;
    ctx.fillRect(rect.x, rect.y, rect.width, rect.height);
    const x = rect.x + theme.cellHorizontalPadding;
    const maxWidth = rect.width - theme.cellHorizontalPadding - menuBounds.width;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = theme.textHeader;
    ctx.font = `600 13px ${theme.fontFamily}`;
    const arrow = sorted?.column === column.id ? (sorted.direction === 'asc' ? ' ↑' : ' ↓') : '';
    fitText(ctx, column.name + arrow, x, rect.y + rect.height * 0.36, maxWidth);
    ctx.fillStyle = kindColor[column.kind];
    ctx.font = `11px ${theme.fontFamily}`;
    fitText(ctx, columnSubtitle(column), x, rect.y + rect.height * 0.72, maxWidth);
    // The menu affordance: three dots, always visible so the run actions are discoverable.
    ctx.fillStyle = isHovered ? theme.textDark : theme.textLight;
    const cx = menuBounds.x + menuBounds.width / 2;
    const cy = rect.y + rect.height / 2;
    for (const dy of [-4, 0, 4]) {
      ctx.beginPath();
      ctx.arc(cx, cy + dy, 1.4, 0, Math.PI * 2);
      ctx.fill();
    }
  };
}

function fitText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth: number) {
  let shown = text;
  while (shown.length > 1 && ctx.measureText(shown).width > maxWidth) shown = shown.slice(0, -2);
  ctx.fillText(shown === text ? text : `${shown}…`, x, y);
}
