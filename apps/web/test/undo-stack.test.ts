import { describe, expect, it } from 'vitest';
import { type Edit, type EditOp, UndoStack, undoOps } from '../src/edit/undo-stack';

const cells = (n: number): Edit => ({
  label: `edit ${n}`,
  ops: [
    { kind: 'cells', before: [{ rowId: 1, values: { 7: n - 1 } }], after: [{ rowId: 1, values: { 7: n } }] },
  ],
});

describe('undoOps', () => {
  it('inverts every op and sends them last first', () => {
    const paste: Edit = {
      label: 'paste',
      ops: [
        {
          kind: 'cells',
          before: [{ rowId: 1, values: { 7: 'old' } }],
          after: [{ rowId: 1, values: { 7: 'new' } }],
        },
        { kind: 'restoreRows', ids: [5, 6] },
      ],
    };
    expect(undoOps(paste)).toEqual([
      { kind: 'deleteRows', ids: [5, 6] },
      {
        kind: 'cells',
        before: [{ rowId: 1, values: { 7: 'new' } }],
        after: [{ rowId: 1, values: { 7: 'old' } }],
      },
    ]);
    expect(undoOps({ label: '', ops: [{ kind: 'deleteColumn', columnId: 3 }] })).toEqual([
      { kind: 'restoreColumn', columnId: 3 },
    ]);
    expect(undoOps({ label: '', ops: [{ kind: 'renameColumn', columnId: 3, from: 'a', to: 'b' }] })).toEqual([
      { kind: 'renameColumn', columnId: 3, from: 'b', to: 'a' },
    ]);
    expect(undoOps({ label: '', ops: [{ kind: 'deleteRows', ids: [1] }] })).toEqual([
      { kind: 'restoreRows', ids: [1] },
    ]);
  });
});

describe('UndoStack', () => {
  it('undoes and redoes in order, and a new edit clears the redo side', async () => {
    const stack = new UndoStack();
    const sent: EditOp[][] = [];
    const apply = async (ops: EditOp[]) => void sent.push(ops);
    stack.push(cells(1));
    stack.push(cells(2));
    expect(await stack.undo(apply)).toBe(true);
    expect(sent.at(-1)).toEqual(undoOps(cells(2)));
    expect(stack.nextRedo?.label).toBe('edit 2');
    expect(await stack.redo(apply)).toBe(true);
    expect(sent.at(-1)).toEqual(cells(2).ops);
    await stack.undo(apply);
    stack.push(cells(3));
    expect(stack.canRedo).toBe(false);
    expect(await stack.redo(apply)).toBe(false);
    expect(stack.nextUndo?.label).toBe('edit 3');
  });

  it('keeps at least 50 steps, dropping the oldest past its limit', async () => {
    const stack = new UndoStack(60);
    for (let n = 1; n <= 75; n++) stack.push(cells(n));
    let undone = 0;
    while (await stack.undo(async () => {})) undone++;
    expect(undone).toBe(60);
    expect(stack.nextRedo?.label).toBe('edit 16');
    const big = new UndoStack();
    for (let n = 1; n <= 120; n++) big.push(cells(n));
    let steps = 0;
    while (await big.undo(async () => {})) steps++;
    expect(steps).toBeGreaterThanOrEqual(50);
  });

  it('an undo the server refused stays undoable; steps pressed while one is on its way run after it, in order', async () => {
    const stack = new UndoStack();
    stack.push(cells(1));
    await expect(
      stack.undo(async () => {
        throw new Error('409');
      }),
    ).rejects.toThrow('409');
    expect(stack.canUndo).toBe(true);
    expect(stack.canRedo).toBe(false);

    let release = () => {};
    const answer = new Promise<void>((resolve) => (release = resolve));
    const first = stack.undo(() => answer);
    expect(stack.canUndo).toBe(false);
    // A second undo while the first is on its way waits, and finds nothing left to undo.
    const sent: EditOp[][] = [];
    const second = stack.undo(async (ops) => {
      sent.push(ops);
    });
    // A redo pressed meanwhile redoes what the first undo took back, once it has landed.
    const redo = stack.redo(async (ops) => {
      sent.push(ops);
    });
    release();
    expect(await first).toBe(true);
    expect(await second).toBe(false);
    expect(await redo).toBe(true);
    expect(sent).toEqual([cells(1).ops]);
    expect(stack.canUndo).toBe(true);
    expect(stack.canRedo).toBe(false);
  });

  it('an undo pressed while an edit is on its way takes back that edit, not the one before', async () => {
    const stack = new UndoStack();
    stack.push(cells(1));
    let answer = () => {};
    // The edit is sent; it records itself once the server answers.
    const sent = stack.track(
      new Promise<void>((resolve) => (answer = resolve)).then(() => stack.push(cells(2))),
    );
    const undone: EditOp[][] = [];
    const undo = stack.undo(async (ops) => {
      undone.push(ops);
    });
    answer();
    await sent;
    expect(await undo).toBe(true);
    expect(undone).toEqual([undoOps(cells(2))]);
    expect(stack.nextUndo).toEqual(cells(1));
    expect(stack.nextRedo).toEqual(cells(2));
  });

  it('a redo pressed while an edit is on its way finds nothing to redo once that edit lands', async () => {
    const stack = new UndoStack();
    stack.push(cells(1));
    await stack.undo(async () => {});
    let answer = () => {};
    const sent = stack.track(
      new Promise<void>((resolve) => (answer = resolve)).then(() => stack.push(cells(3))),
    );
    const redo = stack.redo(async () => {
      throw new Error('a redo over a newer edit must not be sent');
    });
    answer();
    await sent;
    expect(await redo).toBe(false);
    expect(stack.nextUndo).toEqual(cells(3));
  });

  it('ignores an edit with nothing in it', () => {
    const stack = new UndoStack();
    stack.push({ label: 'nothing', ops: [] });
    expect(stack.canUndo).toBe(false);
  });
});
