// Kiosk mode (`?kiosk=1`, the page `kiosk start --kiosk` opens in Chromium's kiosk mode): the touch screen alone, as
// a resident meets it. No operator strip, no links to the printed PDFs, no operator panel route, and the page holds
// on to itself: no context menu, no text selection or dragging, no pinch or keyboard zoom, no way back or away.
// Outside kiosk mode (development, tests, demos) the same guards apply to the kiosk screen except the navigation
// lock, so that a tester can still reload the page.

/** Set once at start-up from the URL (main.tsx). */
export const KIOSK_MODE = { on: false };

export function isKioskMode(search: string): boolean {
  const v = new URLSearchParams(search).get('kiosk');
  return v !== null && v !== '0' && v !== 'false';
}

/** Keys that zoom the page (Ctrl/⌘ with + - = 0) or navigate (Alt+←/→, the browser keys, F5). */
export function isBlockedKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>, kiosk: boolean): boolean {
  if ((e.ctrlKey || e.metaKey) && ['+', '-', '=', '0', '_'].includes(e.key)) return true;
  if (!kiosk) return false;
  if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home')) return true;
  if (['BrowserBack', 'BrowserForward', 'BrowserHome', 'BrowserRefresh', 'F5'].includes(e.key)) return true;
  if ((e.ctrlKey || e.metaKey) && ['r', 'R', 'w', 'W', 'n', 'N', 't', 'T', 'p', 'P', 's', 'S', 'o', 'O', 'l', 'L'].includes(e.key)) return true;
  return false;
}

/**
 * Installs the guards on the window. `applies()` says whether the current route is the kiosk screen (the operator
 * panel keeps the browser's usual behaviour). Returns a function that removes them.
 */
export function installGuards(win: Window, kiosk: boolean, applies: () => boolean): () => void {
  const doc = win.document;
  const offs: Array<() => void> = [];
  const on = <K extends keyof WindowEventMap>(type: K, f: (e: WindowEventMap[K]) => void, options?: AddEventListenerOptions) => {
    win.addEventListener(type, f as EventListener, options);
    offs.push(() => win.removeEventListener(type, f as EventListener, options));
  };
  const editable = (t: EventTarget | null) => t instanceof Element && !!t.closest('input, textarea, select, [contenteditable="true"]');
  const block = (e: Event) => {
    if (applies() && !editable(e.target)) e.preventDefault();
  };
  on('contextmenu', block, { capture: true });
  on('selectstart', block, { capture: true });
  on('dragstart', block, { capture: true });
  // Pinch zoom: ctrl+wheel is how a touchpad pinch reaches the page; two fingers on a touch screen; Safari gestures.
  on('wheel', (e) => { if (e.ctrlKey && applies()) e.preventDefault(); }, { capture: true, passive: false });
  on('touchmove', (e) => { if (e.touches.length > 1 && applies()) e.preventDefault(); }, { capture: true, passive: false });
  on('gesturestart' as keyof WindowEventMap, block, { capture: true, passive: false });
  on('keydown', (e) => { if (applies() && isBlockedKey(e, kiosk)) e.preventDefault(); }, { capture: true });

  if (kiosk) {
    // No way back or away: the Back gesture or key finds the same page again, leaving asks first, and links that would
    // leave the kiosk screen do nothing.
    on('beforeunload', (e) => {
      e.preventDefault();
      e.returnValue = '';
    });
    win.history.pushState({ kiosk: true }, '', win.location.href);
    on('popstate', () => win.history.pushState({ kiosk: true }, '', win.location.href));
    on('click', (e) => {
      const a = e.target instanceof Element ? e.target.closest('a[href]') : null;
      if (a) e.preventDefault();
    }, { capture: true });
    doc.documentElement.classList.add('kiosk-mode');
  }
  return () => {
    for (const off of offs) off();
    doc.documentElement.classList.remove('kiosk-mode');
  };
}
