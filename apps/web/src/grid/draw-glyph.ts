import type { Glyph } from './status-style';

/** Draws a status glyph centred at (x, y), radius 5. Vector shapes: no font has to carry them. */
export function drawGlyph(
  ctx: CanvasRenderingContext2D,
  glyph: Glyph,
  x: number,
  y: number,
  color: string,
  time: number,
) {
  const r = 5;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  switch (glyph) {
    case 'none':
      break;
    case 'ring':
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x, y - 3);
      ctx.lineTo(x, y);
      ctx.lineTo(x + 2.5, y);
      ctx.stroke();
      break;
    case 'spinner': {
      // One turn per 900 ms: reads as busy without being frantic.
      const start = ((time % 900) / 900) * Math.PI * 2;
      ctx.arc(x, y, r, start, start + Math.PI * 1.4);
      ctx.lineWidth = 2;
      ctx.stroke();
      break;
    }
    case 'bang':
      ctx.arc(x, y, r + 0.5, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = '#fff';
      ctx.fillRect(x - 0.9, y - 3.5, 1.8, 4.2);
      ctx.fillRect(x - 0.9, y + 1.8, 1.8, 1.8);
      break;
    case 'slash':
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.moveTo(x - 3.5, y + 3.5);
      ctx.lineTo(x + 3.5, y - 3.5);
      ctx.stroke();
      break;
    case 'clock':
      // a clock face at ten past ten, filled pale: unlike `ring` (queued) it reads at a glance
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x - 2.5, y - 2);
      ctx.lineTo(x, y);
      ctx.lineTo(x + 3, y - 2.5);
      ctx.stroke();
      break;
    case 'cross':
      ctx.moveTo(x - 4, y - 4);
      ctx.lineTo(x + 4, y + 4);
      ctx.moveTo(x + 4, y - 4);
      ctx.lineTo(x - 4, y + 4);
      ctx.stroke();
      break;
  }
  ctx.restore();
}
