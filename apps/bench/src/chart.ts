/** One line of the chart: seconds (y) against cells (x). */
export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: Array<{ cells: number; seconds: number }>;
}

const width = 720;
const height = 420;
const margin = { left: 70, right: 190, top: 30, bottom: 50 };

/** A log–log line chart as a standalone SVG, drawn from the benchmark's own results. */
export function renderChart(title: string, series: Series[]): string {
  const points = series.flatMap((s) => s.points);
  const xs = points.map((p) => p.cells);
  const ys = points.map((p) => p.seconds);
  const [x0, x1] = [decadeFloor(Math.min(...xs)), decadeCeil(Math.max(...xs))];
  const [y0, y1] = [decadeFloor(Math.min(...ys)), decadeCeil(Math.max(...ys))];
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const x = (v: number) =>
    margin.left + ((Math.log10(v) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))) * plotW;
  const y = (v: number) =>
    margin.top + plotH - ((Math.log10(v) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${margin.left}" y="18" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
  ];
  for (let v = x0; v <= x1; v *= 10) {
    out.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#eee"/>`);
    out.push(
      `<text x="${x(v)}" y="${margin.top + plotH + 18}" text-anchor="middle">${v.toLocaleString('en')}</text>`,
    );
  }
  for (let v = y0; v <= y1; v *= 10) {
    out.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`,
    );
    out.push(`<text x="${margin.left - 8}" y="${y(v) + 4}" text-anchor="end">${formatSeconds(v)}</text>`);
  }
  out.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">cells in the run</text>`,
  );
  out.push(
    `<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">seconds until every cell is written</text>`,
  );
  series.forEach((s, i) => {
    const sorted = [...s.points].sort((a, b) => a.cells - b.cells);
    const path = sorted
      .map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p.cells).toFixed(1)},${y(p.seconds).toFixed(1)}`)
      .join(' ');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`);
    for (const p of sorted)
      out.push(`<circle cx="${x(p.cells)}" cy="${y(p.seconds)}" r="3" fill="${s.color}"/>`);
    const ly = margin.top + 10 + i * 20;
    const lx = margin.left + plotW + 16;
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`,
    );
    out.push(`<text x="${lx + 30}" y="${ly + 4}">${escapeXml(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const decadeFloor = (v: number) => 10 ** Math.floor(Math.log10(v));
const decadeCeil = (v: number) => 10 ** Math.ceil(Math.log10(v));
const formatSeconds = (v: number) => (v < 1 ? `${v * 1000} ms` : `${v} s`);
const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
