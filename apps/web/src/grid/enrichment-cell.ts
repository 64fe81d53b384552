import { type CustomCell, type CustomRenderer, GridCellKind } from '@glideapps/glide-data-grid';
import type { CellText } from './cell-text';
import { drawGlyph } from './draw-glyph';
import { statusStyle } from './status-style';

export interface EnrichmentCellData extends CellText {
  kind: 'enrichment-cell';
}

/** Drawn for a cell that finished with nothing, in grey italics: unlike a never-run cell, which is blank. */
export const noResultText = '— no result';
const noResultColor = '#9ca3af';

export type EnrichmentCell = CustomCell<EnrichmentCellData>;

export function enrichmentCell({ status, text, noResult }: CellText): EnrichmentCell {
  const label = statusStyle[status].label;
  return {
    kind: GridCellKind.Custom,
    allowOverlay: false,
    readonly: true,
    copyData: status === 'done' || status === 'stale' ? text : label,
    data: { kind: 'enrichment-cell', status, text, noResult },
  };
}

/** Draws an enrichment cell: glyph + word for each state, the value once done, a spinner while running. */
export const enrichmentCellRenderer: CustomRenderer<EnrichmentCell> = {
  kind: GridCellKind.Custom,
  isMatch: (cell): cell is EnrichmentCell => (cell.data as { kind?: string }).kind === 'enrichment-cell',
  draw: (args, cell) => {
    const { ctx, rect, theme } = args;
    const { status, text, noResult } = cell.data;
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
    const words = noResult
      ? noResultText
      : status === 'error'
        ? text || style.label
        : status === 'done' || status === 'stale'
          ? text
          : style.label;
    ctx.fillStyle = noResult ? noResultColor : status === 'done' ? theme.textDark : style.color;
    ctx.font =
      noResult || status === 'skipped' || status === 'cancelled'
        ? `italic ${theme.baseFontFull}`
        : theme.baseFontFull;
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
