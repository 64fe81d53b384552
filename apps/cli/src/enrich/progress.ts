import type { RunProgress } from '@glaze/engine';

export interface ColumnProgress {
  name: string;
  /** Cells this column will run (the CSV's row count). */
  total: number;
  run?: RunProgress;
}

export interface ProgressView {
  update(columns: readonly ColumnProgress[]): void;
  /** Clears the bar (TTY) so the summary starts on a clean line. */
  finish(): void;
}

export interface ProgressOptions {
  /** A TTY gets a redrawn bar; anything else one plain line every `intervalMs`. */
  isTTY: boolean;
  write(text: string): void;
  intervalMs?: number;
  now?: () => number;
}

/** Cells of all columns that reached an end state, out of all cells. */
function tally(columns: readonly ColumnProgress[]) {
  let finished = 0;
  let errors = 0;
  let total = 0;
  for (const { run, total: cells } of columns) {
    total += cells;
    if (!run) continue;
    const c = run.counts;
    finished += c.done + c.error + c.skipped + c.cancelled;
    errors += c.error;
  }
  return { finished, errors, total };
}

const count = (n: number) => n.toLocaleString('en');

function perColumn(columns: readonly ColumnProgress[]): string {
  return columns
    .map(({ name, run, total }) => {
      if (!run) return `${name} waiting`;
      const c = run.counts;
      return `${name} ${count(c.done + c.error + c.skipped + c.cancelled)}/${count(total)}`;
    })
    .join(' · ');
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal; in a log or CI, one line every ~2 s
 * (a bar there would write thousands of carriage returns into the file).
 */
export function createProgress(options: ProgressOptions): ProgressView {
  const now = options.now ?? Date.now;
  const started = now();
  const interval = options.intervalMs ?? 2000;
  let lastLine = 0;
  let drawn = false;
  let printedComplete = false;
  return {
    update(columns) {
      const { finished, errors, total } = tally(columns);
      const share = total === 0 ? 1 : finished / total;
      const seconds = ((now() - started) / 1000).toFixed(1);
      const errorText = errors > 0 ? ` · ${count(errors)} error${errors === 1 ? '' : 's'}` : '';
      if (options.isTTY) {
        const width = 24;
        const filled = Math.round(share * width);
        const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
        const percent = `${Math.floor(share * 100)}%`.padStart(4);
        options.write(`\r\x1b[2K${bar} ${percent} ${perColumn(columns)}${errorText} · ${seconds}s`);
        drawn = true;
        return;
      }
      const complete = finished >= total;
      if (complete ? printedComplete : now() - lastLine < interval) return;
      printedComplete = complete;
      lastLine = now();
      options.write(
        `enrich: ${count(finished)}/${count(total)} cells (${Math.floor(share * 100)}%) · ${perColumn(columns)}${errorText} · ${seconds}s\n`,
      );
    },
    finish() {
      if (drawn) options.write('\r\x1b[2K');
    },
  };
}
