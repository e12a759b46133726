// The whole UI as a function of the connection state and the route: the kiosk screen for the current view
// (with the timeout warning over it, the attract screen over the idle main menu, and the operator strip under it),
// or the operator panel at #operator. A live region announces every screen change to screen readers.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Attract } from './attract.tsx';
import { ClockContext, serverTimeOf, TimeoutWarning } from './components.tsx';
import type { ConnectionState } from './connection.ts';
import { announcement, showsTimeoutWarning } from './flow.ts';
import { isLoaded, LANG_TAGS, loadLanguage, onCatalog, strings } from './i18n/index.ts';
import { OperatorPanel, OperatorStrip } from './operator.tsx';
import { SCREEN_COMPONENTS } from './screens/index.ts';
import type { Send } from './types.ts';
import type { Language } from '../../machine/types.ts';

export type Route = 'kiosk' | 'operator';

export function routeOf(hash: string): Route {
  return hash.replace(/^#/, '').split(/[&?]/)[0] === 'operator' ? 'operator' : 'kiosk';
}

/** Seconds of nobody touching the main menu before the attract screen plays (`?attract=N` changes it, 0 = never). */
export const ATTRACT_AFTER_SECONDS = 30;

export function attractDelayMs(search: string): number | null {
  const v = new URLSearchParams(search).get('attract');
  if (v === null || v === '' || Number.isNaN(Number(v))) return ATTRACT_AFTER_SECONDS * 1000;
  return Number(v) <= 0 ? null : Number(v) * 1000;
}

/** True once the main menu has been left alone for `afterMs` (any touch, key or screen change starts it again). */
function useIdle(active: boolean, afterMs: number | null): [boolean, () => void] {
  const [idle, setIdle] = useState(false);
  const [wakes, setWakes] = useState(0);
  useEffect(() => {
    setIdle(false);
    if (!active || afterMs === null) return;
    let id: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(id);
      id = setTimeout(() => setIdle(true), afterMs);
    };
    arm();
    const events = ['pointerdown', 'keydown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, arm, true);
    return () => {
      clearTimeout(id);
      for (const e of events) window.removeEventListener(e, arm, true);
    };
  }, [active, afterMs, wakes]);
  const wake = useCallback(() => setWakes((n) => n + 1), []);
  return [idle, wake];
}

/** A server error shown for a few seconds (it names a bad message for a developer; the screen goes on regardless). */
function useTransient(value: string | null, ms: number): string | null {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    setShown(value);
    if (!value) return;
    const id = setTimeout(() => setShown(null), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return shown;
}

export interface AppProps {
  state: ConnectionState;
  route: Route;
  send: Send;
  /** The operator strip under the kiosk screen (not in kiosk mode, not in the demo route unless asked). */
  strip?: boolean;
  /** When the attract screen plays on an idle main menu (ms), or null for never. */
  attractAfterMs?: number | null;
  /** Kiosk mode: a resident's screen shows no developer messages. */
  kioskMode?: boolean;
}

/**
 * The language the screen can be drawn in now: the view's once its words are loaded (fetched when it is chosen),
 * until then the one drawn before (Japanese at first); and the last revision drawn in the view's own language, which
 * the root's data-rev reports, so that a driver waiting for a view never sees one drawn in the wrong words.
 */
export function useWords(language: Language | undefined, rev: number): { language: Language; rev: number } {
  const [, redraw] = useState(0);
  useEffect(() => onCatalog(() => redraw((n) => n + 1)), []);
  useEffect(() => {
    if (language && !isLoaded(language)) void loadLanguage(language);
  }, [language]);
  const drawn = useRef<{ language: Language; rev: number }>({ language: 'ja', rev: 0 });
  if (language && isLoaded(language)) drawn.current = { language, rev };
  return drawn.current;
}

export function App({ state, route, send, strip = true, attractAfterMs = null, kioskMode = false }: AppProps) {
  const words = useWords(state.view?.language, state.rev);
  // The view as it can be drawn: in its language once loaded (a switch takes one small fetch).
  const view = state.view && state.view.language !== words.language ? { ...state.view, language: words.language } : state.view;
  const devices = state.devices;
  // When this clock reading arrived: the header clock and the countdown run on from it.
  const serverTime = useMemo(() => serverTimeOf(devices, performance.now()), [devices]);
  // Not over a restart's notice: the person it is for may be reading it.
  const [idle, wake] = useIdle(route === 'kiosk' && view?.screen === 'top' && !view.warning && !devices?.recovery, attractAfterMs);
  const error = useTransient(state.error, 6000);

  if (route === 'operator') return <OperatorPanel state={state} send={send} />;

  if (!view) {
    const t = strings('ja');
    return (
      <div class="kiosk">
        <Announcer text={t.connecting} lang="ja" />
        <div class="screen waiting" data-screen="connecting" lang="ja">
          <p class="progress"><span class="spinner" aria-hidden="true" /> {t.connecting}</p>
        </div>
        {strip && <OperatorStrip state={state} send={send} />}
      </div>
    );
  }

  const t = strings(view.language);
  const Screen = SCREEN_COMPONENTS[view.screen];
  const warning = showsTimeoutWarning(view);
  const attract = idle && view.screen === 'top';
  return (
    <ClockContext.Provider value={serverTime}>
        <div class="kiosk" data-rev={words.rev}>
          <Announcer text={announcement(view, t)} lang={LANG_TAGS[view.language]} />
          {/* Under a dialog or the attract screen, the screen is inert: no focus or tap reaches it. */}
          <div class="screen-holder" inert={warning || attract}>
            {/* Keyed by screen: input held by a screen (PIN digits, a prefecture) never outlives it. */}
            <Screen key={view.screen} view={view} t={t} send={send} hello={state.hello} devices={devices} />
          </div>
          {warning && <TimeoutWarning view={view} t={t} send={send} devices={devices} />}
          {attract && <Attract language={view.language} onWake={wake} />}
          {state.status !== 'open' && <div class="offline" role="status" data-testid="offline">{t.connecting}</div>}
          {error && !kioskMode && <div class="server-error" role="alert" data-testid="server-error" lang="en">{error}</div>}
          {strip && <OperatorStrip state={state} send={send} />}
        </div>
    </ClockContext.Provider>
  );
}

/** The live region: its text changes with every screen (and sub-step), and a screen reader reads the change. */
function Announcer({ text, lang }: { text: string; lang: string }) {
  return (
    <div class="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer" lang={lang}>
      {text}
    </div>
  );
}
