import { useCallback, useState } from 'react';
import { type FindState, findHash, readFindState } from './find-state';

/**
 * The table's search, filter and sort, kept in the hash route (`#/tables/12?q=…`) so a reload or a
 * shared link opens the same rows. `replaceState` changes the address without a history entry per
 * keystroke and without a `hashchange` (which would remount the page).
 */
export function useFindState(): [FindState, (next: FindState) => void] {
  const [state, setState] = useState(() => readFindState(window.location.hash));
  const update = useCallback((next: FindState) => {
    setState(next);
    const base = window.location.hash.split('?')[0] ?? '';
    window.history.replaceState(null, '', findHash(base, next));
  }, []);
  return [state, update];
}
