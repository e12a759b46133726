// A hardware keyboard on the PIN screens (testers, keyboard users, kiosks with a physical PIN pad): the keys it
// takes, Backspace, Escape (clear) and Enter. Enter on a focused button (Back, Cancel, a language) stays that
// button's. The handlers are read through a ref, so the listener is added once and always sees the current screen.
import { useEffect, useRef } from 'preact/hooks';

export interface KeyEntry {
  /** Whether a key (already upper-cased) is one this entry takes. */
  takes: (key: string) => boolean;
  press: (key: string) => void;
  backspace: () => void;
  clear: () => void;
  enter: () => void;
}

export function useKeyEntry(entry: KeyEntry): void {
  const live = useRef(entry);
  live.current = entry;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const onButton = e.target instanceof Element && !!e.target.closest('button, a[href]');
      if (e.key === 'Enter' && onButton && !(e.target as Element).closest('.keypad')) return;
      const k = e.key.length === 1 ? e.key.toUpperCase() : e.key;
      const { takes, press, backspace, clear, enter } = live.current;
      if (takes(k)) press(k);
      else if (k === 'Backspace') backspace();
      else if (k === 'Escape') clear();
      else if (k === 'Enter') enter();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
