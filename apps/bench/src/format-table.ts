import type { BenchLine } from './bench-line';

/** Result lines as an aligned text table (terminal) or a Markdown table (docs). */
export function formatTable(lines: BenchLine[], style: 'text' | 'markdown'): string {
  const keys = [...new Set(lines.flatMap((line) => Object.keys(line)))];
  const cell = (value: number | string | undefined) =>
    value === undefined
      ? ''
      : typeof value === 'number'
        ? value.toLocaleString('en', { maximumFractionDigits: 3 })
        : value;
  const rows = lines.map((line) => keys.map((key) => cell(line[key])));
  if (style === 'markdown') {
    // Scenarios carry different fields: one row each, its figures as `name value` pairs.
    const figures = (line: BenchLine) =>
      Object.entries(line)
        .filter(([key]) => key !== 'scenario')
        .map(([key, value]) => `${key} ${cell(value)}`)
        .join(', ');
    return [
      '| scenario | figures |',
      '|---|---|',
      ...lines.map((line) => `| ${line.scenario} | ${figures(line)} |`),
    ].join('\n');
  }
  const widths = keys.map((key, i) => Math.max(key.length, ...rows.map((r) => r[i]!.length)));
  const format = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [format(keys), format(widths.map((w) => '-'.repeat(w))), ...rows.map(format)].join('\n');
}
