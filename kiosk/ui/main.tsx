// Entry point: wires the impure adapters (the WebSocket connection, the URL hash, the document's language, the
// reminder sound, kiosk mode's guards) to the App. The #demo route renders sample views without a server.
// ?kiosk=1 is kiosk mode (what `kiosk start --kiosk` opens): the touch screen alone, locked in place.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { App, attractDelayMs, routeOf, useWords, type Route } from './app.tsx';
import { connect, socketUrl, type Connection, type ConnectionState } from './connection.ts';
import { installDisplayFit } from './display-fit.ts';
import { demoState, parseDemo } from './fixtures.ts';
import { VoiceContext } from './components.tsx';
import { useVoiceGuide } from './use-voice.ts';
import { LANG_TAGS } from './i18n/index.ts';
import { installGuards, isKioskMode, KIOSK_MODE } from './kiosk-mode.ts';
import type { Send } from './types.ts';
// The kiosk carries its own fonts for all seven languages (fonts/fonts.css, cut at build by kiosk/fonts/subset.ts and
// linked from the page), so no screen depends on what the host has installed.
import './styles.css';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function useConnectionState(conn: Connection): ConnectionState {
  const [state, setState] = useState(conn.getState());
  useEffect(() => {
    setState(conn.getState());
    return conn.subscribe(setState);
  }, [conn]);
  return state;
}

/** The card-removal reminder sounds while the card stays on the reader (a short two-tone chime, repeated). */
function useReminderSound(active: boolean) {
  useEffect(() => {
    if (!active) return;
    let ctx: AudioContext | null = null;
    const chime = () => {
      try {
        ctx ??= new AudioContext();
        const now = ctx.currentTime;
        [880, 660].forEach((hz, i) => {
          const osc = ctx!.createOscillator();
          const gain = ctx!.createGain();
          osc.frequency.value = hz;
          gain.gain.setValueAtTime(0.15, now + i * 0.25);
          gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.25 + 0.22);
          osc.connect(gain).connect(ctx!.destination);
          osc.start(now + i * 0.25);
          osc.stop(now + i * 0.25 + 0.24);
        });
      } catch {
        // No audio (autoplay policy, headless): the on-screen reminder is enough.
      }
    };
    chime();
    const id = setInterval(chime, 3000);
    return () => {
      clearInterval(id);
      void ctx?.close();
    };
  }, [active]);
}

let connection: Connection | null = null;
function liveConnection(): Connection {
  connection ??= connect({ url: new URLSearchParams(location.search).get('ws') ?? socketUrl(location) });
  return connection;
}

KIOSK_MODE.on = isKioskMode(location.search);
installDisplayFit(window, document.documentElement);
/** In kiosk mode there is no operator panel on the kiosk's screen, whatever the hash says. */
const routeFor = (hash: string): Route => (KIOSK_MODE.on ? 'kiosk' : routeOf(hash));
installGuards(window, KIOSK_MODE.on, () => routeFor(location.hash) === 'kiosk');

function Live({ hash }: { hash: string }) {
  const conn = liveConnection();
  const state = useConnectionState(conn);
  const send: Send = (m) => {
    conn.send(m);
  };
  const route = routeFor(hash);
  // The language the screen is drawn in: the view's once its words have arrived.
  const { language } = useWords(state.view?.language, state.rev);
  useEffect(() => {
    document.documentElement.lang = route === 'operator' ? 'en' : LANG_TAGS[language];
  }, [language, route]);
  // The card forgotten after the session (take-card) chimes from the first moment, not only after a wait.
  useReminderSound(route === 'kiosk' && ((state.view?.screen === 'card-removal' && state.view.warning) || state.view?.screen === 'take-card'));
  // The 音声ガイド speaks on the kiosk's screen (?voice=0 silences it, for a demo where it would disturb).
  const voice = useVoiceGuide(route === 'kiosk' ? state.view : null, route === 'kiosk' && new URLSearchParams(location.search).get('voice') !== '0');
  return (
    <VoiceContext.Provider value={voice}>
      <App state={state} route={route} send={send} strip={!KIOSK_MODE.on} attractAfterMs={attractDelayMs(location.search)} kioskMode={KIOSK_MODE.on} />
    </VoiceContext.Provider>
  );
}

/** The ward-office counter's screen (#counter), fetched when asked for: the kiosk's own screens never carry it. */
function Counter() {
  const [desk, setDesk] = useState<null | (() => preact.JSX.Element)>(null);
  useEffect(() => {
    document.documentElement.lang = 'ja';
    void import('./counter.tsx').then((m) => setDesk(() => m.CounterDesk));
  }, []);
  return desk ? desk() : <p class="counter-loading">読み込んでいます…</p>;
}

/** The photo booth's screen (#booth, what `kiosk start --booth` serves), fetched when asked for. */
function Booth() {
  const [screen, setScreen] = useState<null | ((p: { kioskMode: boolean }) => preact.JSX.Element)>(null);
  useEffect(() => {
    void import('./booth.tsx').then((m) => setScreen(() => m.BoothScreen));
  }, []);
  const Screen = screen;
  return Screen ? <Screen kioskMode={KIOSK_MODE.on} /> : <p class="counter-loading">読み込んでいます…</p>;
}

function Root() {
  const hash = useHash();
  if (hash.replace(/^#/, '').split(/[&?]/)[0] === 'booth') return <Booth />;
  // Not on a resident's kiosk-mode screen, whatever the hash says.
  if (!KIOSK_MODE.on && hash.replace(/^#/, '').split(/[&?]/)[0] === 'counter') return <Counter />;
  const demo = parseDemo(hash);
  if (demo) return <Demo hash={hash} demo={demo} />;
  return <Live hash={hash} />;
}

/** A sample screen (#demo=…), with the voice guide's controls; with &voice=1 it speaks as the live screen would. */
function Demo({ hash, demo }: { hash: string; demo: NonNullable<ReturnType<typeof parseDemo>> }) {
  const state = demoState(demo);
  document.documentElement.lang = LANG_TAGS[demo.language];
  const voice = useVoiceGuide(state.view, demo.params.voice !== '0', demo.params.voice === '1');
  return (
    <VoiceContext.Provider value={voice}>
      <App
        key={hash}
        state={state}
        route="kiosk"
        send={(m) => console.info('demo send', m.type === 'pin' ? { type: 'pin' } : m)}
        strip={demo.params.strip === '1'}
        attractAfterMs={demo.params.attract === '1' ? 1 : null}
      />
    </VoiceContext.Provider>
  );
}

render(<Root />, document.getElementById('app')!);
