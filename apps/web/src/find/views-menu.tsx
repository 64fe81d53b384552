import type { Column, View } from '@glaze/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../api/client';
import { createView, deleteView, listViews, updateView } from '../api/views';
import { MenuItem } from '../ui/menu-item';
import { useDismiss } from '../ui/use-dismiss';
import { emptyFind, type FindState, hasOwnState } from './find-state';
import type { SetFind } from './use-find-state';
import { changedSinceSaved, viewBody, viewToFind } from './view-state';

/**
 * The find bar's views: switch to a saved view, save what the grid shows (search, filters, sort,
 * hidden columns) as a new one, update, rename or delete the open one. A link with `?view=4` alone
 * opens that view as saved, once the views and the columns are known.
 */
export function ViewsMenu({
  tableId,
  state,
  columns,
  onChange,
  onViews,
}: {
  tableId: number;
  state: FindState;
  columns: readonly Column[];
  onChange: SetFind;
  /** The table's views whenever they change (the column menu names the open one). */
  onViews(views: View[]): void;
}) {
  const [views, setViews] = useState<View[]>();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string>();
  const opening = useRef(state.view !== undefined && !hasOwnState(window.location.hash));
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, close, open);

  const show = useCallback(
    (next: View[]) => {
      setViews(next);
      onViews(next);
    },
    [onViews],
  );
  useEffect(() => {
    listViews(tableId).then(
      (body) => show(body.views),
      (thrown) => setProblem(errorText(thrown)),
    );
  }, [tableId, show]);

  // Opening a view's own link: apply it as saved once the views and the columns have loaded.
  useEffect(() => {
    if (!opening.current || !views || columns.length === 0) return;
    opening.current = false;
    const view = views.find((v) => v.id === state.view);
    if (view) onChange(viewToFind(view, columns));
    else {
      setProblem(`view ${state.view} does not exist (deleted?)`);
      onChange((held) => ({ ...held, view: undefined }));
    }
  }, [views, columns, state.view, onChange]);

  const current = views?.find((v) => v.id === state.view);
  const changed = current !== undefined && changedSinceSaved(state, current, columns);

  const act = async (action: () => Promise<void>) => {
    setProblem(undefined);
    try {
      await action();
    } catch (thrown) {
      setProblem(errorText(thrown));
    }
  };
  const saveNew = () =>
    act(async () => {
      const { view } = await createView(tableId, { name, ...viewBody(state) });
      show([...(views ?? []), view].sort((a, b) => a.name.localeCompare(b.name)));
      onChange({ ...state, view: view.id });
      setName('');
      setOpen(false);
    });
  const replace = (view: View) => {
    show((views ?? []).map((v) => (v.id === view.id ? view : v)));
    setOpen(false);
  };
  const update = (held: View) =>
    act(async () => replace((await updateView(tableId, held.id, viewBody(state))).view));
  const rename = (held: View) =>
    act(async () => {
      const next = window.prompt('View name', held.name)?.trim();
      if (next && next !== held.name) replace((await updateView(tableId, held.id, { name: next })).view);
    });
  const remove = (held: View) =>
    act(async () => {
      if (!window.confirm(`Delete view “${held.name}”? Its rows stay.`)) return;
      await deleteView(tableId, held.id);
      show((views ?? []).filter((v) => v.id !== held.id));
      onChange({ ...state, view: undefined });
      setOpen(false);
    });

  return (
    <div className="views-menu" ref={ref}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="views-button"
        onClick={() => setOpen(!open)}
      >
        {current ? `View: ${current.name}${changed ? ' (changed)' : ''}` : 'Views'} ▾
      </button>
      {problem && !open && <span className="field-error">{problem}</span>}
      {open && (
        <div className="menu views-dropdown" role="menu" aria-label="Views">
          <MenuItem
            label="All rows, all columns"
            checked={state.view === undefined}
            onClick={() => {
              onChange(emptyFind);
              setOpen(false);
            }}
          />
          {(views ?? []).map((view) => (
            <MenuItem
              key={view.id}
              label={view.name}
              checked={view.id === state.view}
              onClick={() => {
                onChange(viewToFind(view, columns));
                setOpen(false);
              }}
            />
          ))}
          {current && (
            <>
              <hr />
              <MenuItem
                label={`Update “${current.name}”`}
                disabled={!changed}
                onClick={() => update(current)}
              />
              <MenuItem label="Rename view…" onClick={() => rename(current)} />
              <MenuItem label="Delete view" danger onClick={() => remove(current)} />
            </>
          )}
          <hr />
          <form
            className="save-view"
            onSubmit={(event) => {
              event.preventDefault();
              void saveNew();
            }}
          >
            <input
              aria-label="New view name"
              placeholder="Name this view…"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
            <button type="submit" className="primary" disabled={name.trim() === ''}>
              Save as new view
            </button>
          </form>
          <p className="muted hint">Saves the search, filters, sort and hidden columns shown now.</p>
          {problem && <span className="field-error">{problem}</span>}
        </div>
      )}
    </div>
  );
}
