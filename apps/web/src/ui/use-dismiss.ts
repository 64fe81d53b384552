import { type RefObject, useEffect } from 'react';

/** Closes a menu on a click outside it or on Escape. */
export function useDismiss(ref: RefObject<HTMLElement>, onClose: () => void, active = true): void {
  useEffect(() => {
    if (!active) return;
    const away = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) onClose();
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', onKey);
    };
  }, [ref, onClose, active]);
}
