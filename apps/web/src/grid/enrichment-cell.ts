import type { CellStatus } from '@glaze/core';
import { type CustomCell, type CustomRenderer, GridCellKind } from '@glideapps/glide-data-grid';
import { drawGlyph } from './draw-glyph';
import { statusStyle } from './status-style';

export interface EnrichmentCellData {
  kind: 'enrichment-cell';
  status: CellStatus;
  /** The summarised value (done, stale) or the error message (error). */
  text: string;
}

export type EnrichmentCell = CustomCell<EnrichmentCellData>;

export function enrichmentCell(status: CellStatus, text: string): EnrichmentCell {
  const label = statusStyle[status].label;
  return {
    kind: GridCellKind.Custom,
    allowOverlay: false,
    readonly: true,
    copyData: status === 'done' || status === 'stale' ? text : label,
    data: { kind: 'enrichment-cell', status, text },
  };
}

/** Draws an enrichment cell: glyph + word for each state, the value once done, a spinner while running. */
export const enrichmentCellRenderer: CustomRenderer<EnrichmentCell> = {
  kind: GridCellKind.Custom,
  isMatch: (cell): cell is EnrichmentCell => (cell.data as { kind?: string }).kind === 'enrichment-cell',
  draw: (args, cell) => {
    const { ctx, rect, theme } = args;
    const { status, text } = cell.data;
    const style = statusStyle[status];
    if (style.fill) {
      ctx.fillStyle = style.fill;
      ctx.fillRect(rect.x + 1, rect.y + 1, rect.width - 2, rect.height - 2);
    }
    const midY = rect.y + rect.height / 2;
    let x = rect.x + theme.cellHorizontalPadding;
    if (style.glyph !== 'none') {
      drawGlyph(ctx, style.glyph, x + 5, midY, style.color, args.frameTime);
      x += 16;
    }
    const words =
      status === 'error' ? text || style.label : status === 'done' || status === 'stale' ? text : style.label;
    ctx.fillStyle = status === 'done' ? theme.textDark : style.color;
    ctx.font =
      status === 'skipped' || status === 'cancelled' ? `italic ${theme.baseFontFull}` : theme.baseFontFull;
    ctx.textBaseline = 'middle';
    ctx.save();
    ctx.beginPath();
    ctx.rect(x, rect.y, rect.x + rect.width - x - 4, rect.height);
    ctx.clip();
    ctx.fillText(words, x, midY + 0.5);
    ctx.restore();
    if (status === 'running') args.requestAnimationFrame();
  },
};
