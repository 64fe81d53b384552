import type { Column, Row } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { EditRefused, type EditView, gridView, planClear, planPaste } from '../src/edit/cell-edits';
import { parseTsv } from '../src/edit/tsv';

const column = (id: number, name: string, kind: Column['kind'] = 'input'): Column =>
  ({
    id,
    tableId: 1,
    name,
    kind,
    provider: kind === 'input' ? null : 'mock',
    config: {},
    position: id,
  }) as Column;
const columns = [column(1, 'name'), column(2, 'email'), column(3, 'Echo', 'enrichment'), column(4, 'notes')];

/** Three loaded rows (ids 10, 11, 12) of `rowCount`. */
function view(rowCount = 3): EditView {
  const rows: Row[] = [0, 1, 2].map((i) => ({
    id: 10 + i,
    position: i + 1,
    values: { 1: `n${i}`, 2: `e${i}`, 4: i === 0 ? null : `x${i}` },
    cells: {},
  }));
  return { columns, rowCount, rowAt: (index) => rows[index] };
}

describe('planPaste', () => {
  it('fills input cells from the target, leaves unchanged ones out, and adds rows past the end', () => {
    const plan = planPaste(
      view(),
      [0, 1],
      [
        ['n1', 'new e1'],
        ['new n2', 'new e2'],
        ['added a', 'added b'],
        ['added c', ''],
      ],
    );
    expect(plan.after).toEqual([
      { rowId: 11, values: { 2: 'new e1' } },
      { rowId: 12, values: { 1: 'new n2', 2: 'new e2' } },
    ]);
    expect(plan.before).toEqual([
      { rowId: 11, values: { 2: 'e1' } },
      { rowId: 12, values: { 1: 'n2', 2: 'e2' } },
    ]);
    expect(plan.cells).toBe(3);
    expect(plan.newRows).toEqual([
      { 1: 'added a', 2: 'added b' },
      { 1: 'added c', 2: '' },
    ]);
  });

  it('refuses a block that reaches an enrichment column, naming it', () => {
    const paste = () => planPaste(view(), [1, 0], [['a', 'b']]);
    expect(paste).toThrow(EditRefused);
    expect(paste).toThrow(
      '“Echo” is an enrichment column: its values come from its provider. Paste into input columns only.',
    );
  });

  it('refuses a block wider than the columns left, and rows not loaded yet', () => {
    expect(() => planPaste(view(), [3, 0], [['a', 'b', 'c']])).toThrow(
      'The pasted block is 3 columns wide, but only 1 column starts at “notes”.',
    );
    expect(() => planPaste(view(1000), [0, 2], [['a'], ['b']])).toThrow(
      'Row 4 is not loaded yet: scroll to it and paste again.',
    );
  });

  it('a null cell pasted over with empty text is no change; an empty block changes nothing', () => {
    expect(planPaste(view(), [3, 0], [['']]).cells).toBe(0);
    expect(planPaste(view(), [0, 0], [])).toEqual({ before: [], after: [], cells: 0, newRows: [] });
  });
});

describe('planClear', () => {
  it('empties input cells that hold a value, once each, skipping enrichment cells and unloaded rows', () => {
    const plan = planClear(view(5), [
      { x: 0, y: 0, width: 4, height: 1 },
      { x: 3, y: 0, width: 1, height: 5 },
      { x: 0, y: 0, width: 1, height: 1 },
    ]);
    expect(plan.after).toEqual([
      { rowId: 10, values: { 1: null, 2: null } },
      { rowId: 11, values: { 4: null } },
      { rowId: 12, values: { 4: null } },
    ]);
    expect(plan.before).toEqual([
      { rowId: 10, values: { 1: 'n0', 2: 'e0' } },
      { rowId: 11, values: { 4: 'x1' } },
      { rowId: 12, values: { 4: 'x2' } },
    ]);
    expect(plan.cells).toBe(4);
  });
});

describe('a big, messy paste', () => {
  it('20,000 rows from Excel with quoted line breaks and tabs land whole, the rows past the end added', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      i % 3 === 0 ? `"line ${i}\r\nnext"\t"tab\there ""${i}"""` : `plain ${i}\t${i}`,
    );
    const block = parseTsv(`${lines.join('\r\n')}\r\n`);
    expect(block).toHaveLength(20_000);
    const plan = planPaste(view(), [0, 0], block);
    expect(plan.cells).toBe(6);
    expect(plan.newRows).toHaveLength(19_997);
    expect(plan.after[0]).toEqual({ rowId: 10, values: { 1: 'line 0\r\nnext', 2: 'tab\there "0"' } });
    expect(plan.newRows.at(-1)).toEqual({ 1: 'plain 19999', 2: '19999' });
  });
});

describe('edits addressed by grid position', () => {
  it('land on the shown columns: a hidden column does not shift a clear or a paste onto its neighbour', () => {
    const rows: Row[] = [{ id: 10, position: 1, values: { 1: 'n0', 2: 'e0', 4: 'x0' }, cells: {} }];
    // email (column 2) hidden: the grid shows name, Echo, notes
    const store = { shown: columns.filter((c) => c.id !== 2), rowCount: 1, rowAt: (i: number) => rows[i] };
    const cleared = planClear(gridView(store), [{ x: 2, y: 0, width: 1, height: 1 }]);
    expect(cleared.after).toEqual([{ rowId: 10, values: { 4: null } }]);
    const pasted = planPaste(gridView(store), [2, 0], [['new notes']]);
    expect(pasted.after).toEqual([{ rowId: 10, values: { 4: 'new notes' } }]);
  });
});
