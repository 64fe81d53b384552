import { useCallback, useRef, useState } from 'react';
import { type FindState, findHash, readFindState } from './find-state';

export type SetFind = (next: FindState | ((held: FindState) => FindState)) => void;

/**
 * The table's search, filter and sort, kept in the hash route (`#/tables/12?q=…`) so a reload or a
 * shared link opens the same rows. `replaceState` changes the address without a history entry per
 * keystroke and without a `hashchange` (which would remount the page). An updater function reads
 * the newest state: the search box answers 250 ms after a keystroke, maybe after a chip changed.
 */
export function useFindState(): [FindState, SetFind] {
  const [state, setState] = useState(() => readFindState(window.location.hash));
  const held = useRef(state);
  const update = useCallback<SetFind>((next) => {
    const value = typeof next === 'function' ? next(held.current) : next;
    held.current = value;
    setState(value);
    const base = window.location.hash.split('?')[0] ?? '';
    window.history.replaceState(null, '', findHash(base, value));
  }, []);
  return [state, update];
}
