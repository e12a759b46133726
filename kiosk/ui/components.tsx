// Shared pieces of every screen: the frame (header with the step number and language switcher, the content, the
// footer with Back / Cancel / the screen's main action), the timeout warning, and the reader illustrations.
// All pure: they read props and call `send`.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { Certificate, Language, Medium, TaxKind } from '../../machine/types.ts';
import { clockText, showsLanguageBar } from './flow.ts';
import { JAPANESE_CERTIFICATE_NAMES, JAPANESE_TAX_KIND_NAMES, LANG_TAGS, LANGUAGE_NAMES, LANGUAGE_ORDER, strings, type Strings } from './i18n/index.ts';
import { tap, type DeviceStatus, type KioskView, type Send } from './types.ts';

export interface FrameProps {
  view: KioskView;
  t: Strings;
  send: Send;
  title: string;
  /** The screen's main action(s), at the bottom right. */
  actions?: ComponentChildren;
  /** A screen's own way back within itself (bottom left, where Back is). */
  leading?: ComponentChildren;
  children?: ComponentChildren;
  tone?: 'normal' | 'alert';
}

/**
 * The 音声ガイド's controls as the screens see them (main.tsx provides them over its player; none in the #demo route
 * unless asked for, and none in tests of the pure screens): mute, say it again, and a PIN digit entered.
 */
export interface VoiceControls {
  muted: boolean;
  toggleMute: () => void;
  repeat: () => void;
  digit: () => void;
}
export const VoiceContext = createContext<VoiceControls | null>(null);

/** The terminal's clock as last reported (its ms, when it arrived in performance.now() ms, and its rate), so that
 *  the header clock and the timeout countdown run on between the server's messages. Provided by the app. */
export interface ServerTime {
  ms: number;
  at: number;
  rate: number;
}
export const ClockContext = createContext<ServerTime | null>(null);


export function serverTimeOf(devices: DeviceStatus | null, at: number): ServerTime | null {
  const ms = devices ? Date.parse(devices.clock) : NaN;
  return Number.isNaN(ms) ? null : { ms, at, rate: devices?.clockRate ?? 1 };
}

/** The terminal's time now (ms), re-rendering every `periodMs` of that clock (at least every 1 s of real time). */
export function useServerNow(periodMs = 1000): number | null {
  const base = useContext(ClockContext);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!base) return;
    const id = setInterval(() => setTick((n) => n + 1), Math.max(100, Math.min(1000, periodMs / base.rate)));
    return () => clearInterval(id);
  }, [base, periodMs]);
  return base ? base.ms + (performance.now() - base.at) * base.rate : null;
}

/** HH:MM Japan time in the header. */
function LiveClock() {
  const now = useServerNow(1000);
  if (now === null) return null;
  return <div class="clock" data-testid="clock">{clockText(new Date(now).toISOString()).slice(11)}</div>;
}

export function Frame({ view, t, send, title, actions, leading, children, tone = 'normal' }: FrameProps) {
  // The machine declares all three (machine/screens.ts): the screen only draws them.
  const n = view.stepNumber;
  const back = view.canBack;
  const cancel = view.canCancel;
  return (
    <div
      class={`screen screen-${view.screen} tone-${tone}`}
      data-screen={view.screen}
      data-step={view.step ?? undefined}
      lang={LANG_TAGS[view.language]}
    >
      <header class="bar">
        <div class="step" data-testid="step-number" data-step-number={n ?? ''}>
          {n !== null ? (
            <>
              <span class="step-label">{t.step(n, view.totalSteps)}</span>
              <span class="step-track" aria-hidden="true">
                {Array.from({ length: view.totalSteps }, (_, i) => (
                  <span class={`step-dot${i + 1 < n ? ' past' : i + 1 === n ? ' now' : ''}`} />
                ))}
              </span>
            </>
          ) : (
            // Outside the 14 steps the service's name, unless the switcher and the voice controls need its width (in
            // some languages it takes three lines there); the screen's own heading says where the person is.
            !showsLanguageBar(view.screen) && <span class="step-label">{t.appName}</span>
          )}
        </div>
        {/* The brand gives way to the language switcher, which needs the width. */}
        {n !== null && !showsLanguageBar(view.screen) && <div class="brand">{t.appName}</div>}
        <LiveClock />
        <VoiceButtons t={t} />
        {showsLanguageBar(view.screen) && <LanguageBar language={view.language} t={t} send={send} />}
      </header>
      <main class="content">
        <h1 class="title" id="screen-title">{title}</h1>
        {children}
      </main>
      <footer class="footer">
        {leading}
        {back && (
          <button type="button" class="btn btn-back" data-testid="back" onClick={tap(send, { type: 'ui.back' })}>
            <span aria-hidden="true">◀ </span>{t.back}
          </button>
        )}
        {cancel && (
          <button type="button" class="btn btn-cancel" data-testid="cancel" onClick={tap(send, { type: 'ui.cancel' })}>
            {t.cancel}
          </button>
        )}
        <div class="spacer" />
        {actions}
      </footer>
    </div>
  );
}

/**
 * The seven language buttons. Where the header has no room for them (display-fit.ts: laid out under 1280 px wide),
 * the style sheet folds them behind one control showing a globe and the current language, which opens them as a
 * list; the same buttons either way, so a choice is one tap in a row or two taps folded.
 */
export function LanguageBar({ language, t, send }: { language: Language; t: Strings; send: Send }) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') setOpen(false); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  return (
    <div class={`lang-switch${open ? ' open' : ''}`}>
      <button
        type="button"
        class="lang lang-fold"
        data-testid="lang-menu"
        aria-expanded={open}
        aria-controls="langs"
        aria-label={`${t.language}: ${LANGUAGE_NAMES[language]}`}
        onClick={() => setOpen(!open)}
      >
        <Globe />
        <span lang={LANG_TAGS[language]}>{LANGUAGE_NAMES[language]}</span>
        <span aria-hidden="true">{open ? '▴' : '▾'}</span>
      </button>
      {open && <div class="lang-scrim" aria-hidden="true" onClick={() => setOpen(false)} />}
      <div class="langs" id="langs" role="group" aria-label={t.language}>
        {LANGUAGE_ORDER.map((l) => (
          <button
            type="button"
            class={`lang${l === language ? ' current' : ''}`}
            lang={LANG_TAGS[l]}
            aria-pressed={l === language}
            data-testid={`lang-${l}`}
            onClick={() => {
              setOpen(false);
              tap(send, { type: 'ui.setLanguage', language: l })();
            }}
          >
            {LANGUAGE_NAMES[l]}
          </button>
        ))}
      </div>
    </div>
  );
}

/** Mute (or unmute) the voice guide, and hear the screen's guidance again: icons, named for screen readers. */
function VoiceButtons({ t }: { t: Strings }) {
  const voice = useContext(VoiceContext);
  if (!voice) return null;
  return (
    <div class="voice" role="group">
      <button type="button" class="lang voice-btn" data-testid="voice-repeat" aria-label={t.voiceRepeat} title={t.voiceRepeat} disabled={voice.muted} onClick={voice.repeat}>
        <svg viewBox="0 0 24 24" width="32" height="32" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">
          <path d="M3 12a9 9 0 1 0 3-6.7" /><path d="M3 3v5h5" /><path d="M10 9.5v5l4-2.5z" fill="currentColor" />
        </svg>
      </button>
      <button type="button" class="lang voice-btn" data-testid="voice-mute" aria-pressed={voice.muted} aria-label={voice.muted ? t.voiceOn : t.voiceOff} title={voice.muted ? t.voiceOn : t.voiceOff} onClick={voice.toggleMute}>
        <svg viewBox="0 0 24 24" width="32" height="32" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">
          <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
          {voice.muted ? <path d="M17 9l5 6M22 9l-5 6" /> : <path d="M16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12" />}
        </svg>
      </button>
    </div>
  );
}

function Globe() {
  return (
    <svg class="globe" viewBox="0 0 24 24" width="30" height="30" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
      <circle cx="12" cy="12" r="10" />
      <path d="M2 12h20M12 2c3 3 4.5 6.5 4.5 10S15 19 12 22M12 2C9 5 7.5 8.5 7.5 12S9 19 12 22" />
    </svg>
  );
}

/** How long the warning stays when the server cannot say (kiosk/runtime.ts WARNING_SECONDS). */
export const WARNING_SECONDS = 30;

/** Whole seconds left on the warning: to the server's timer when it is known, else from when the warning appeared. */
export function secondsLeft(now: number | null, timeoutAt: string | null | undefined, shownAt: number | null): number {
  const due = timeoutAt ? Date.parse(timeoutAt) : NaN;
  const end = !Number.isNaN(due) ? due : shownAt !== null ? shownAt + WARNING_SECONDS * 1000 : NaN;
  if (now === null || Number.isNaN(end)) return WARNING_SECONDS;
  return Math.max(0, Math.min(WARNING_SECONDS, Math.ceil((end - now) / 1000)));
}

/** "Do you need more time?" over any screen when the machine shows its idle warning, counting down to the end. */
export function TimeoutWarning({ view, t, send, devices }: { view: KioskView; t: Strings; send: Send; devices: DeviceStatus | null }) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  const now = useServerNow(250);
  const [shownAt] = useState(now);
  const left = secondsLeft(now, devices?.timeoutAt, shownAt);
  const r = 54;
  const circumference = 2 * Math.PI * r;
  return (
    <div class="overlay" data-testid="timeout-warning" lang={LANG_TAGS[view.language]}>
      <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="warning-title" aria-describedby="warning-text">
        <div class="dialog-head">
          <div class="countdown" aria-hidden="true">
            <svg viewBox="0 0 128 128">
              <circle cx="64" cy="64" r={r} class="countdown-track" />
              <circle
                cx="64" cy="64" r={r} class="countdown-left"
                stroke-dasharray={circumference} stroke-dashoffset={circumference * (1 - left / WARNING_SECONDS)}
              />
            </svg>
            <span class="countdown-number" data-testid="countdown" data-seconds={left}>{left}</span>
          </div>
          <div>
            <h2 id="warning-title">{t.warningTitle}</h2>
            <p id="warning-text">{t.warningText}</p>
            {/* role=timer is not live: the count is read when asked for, not every second. */}
            <p class="countdown-text" role="timer" data-testid="countdown-text">{t.secondsLeft(left)}</p>
          </div>
        </div>
        <div class="dialog-actions">
          {view.canCancel && (
            <button type="button" class="btn btn-cancel" data-testid="warning-cancel" onClick={tap(send, { type: 'ui.cancel' })}>
              {t.cancel}
            </button>
          )}
          <button type="button" ref={button} class="btn btn-primary" data-testid="continue" onClick={tap(send, { type: 'ui.continue' })}>
            {t.continue}
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * A My Number Card (or a phone) coming down onto the reader; `lift` plays it the other way (take your card). The
 * moving parts are layers of their own (the same 320×260 drawing stacked), animated by transform and opacity only:
 * the compositor moves them, and the page is not repainted on every frame while a person is tapping.
 */
export function ReaderIllustration({ medium, lift = false }: { medium: Medium | null; lift?: boolean }) {
  return (
    <div class={`reader-art${lift ? ' lift' : ''}`} aria-hidden="true">
      <svg class="layer" viewBox="0 0 320 260">
        <defs>
          <linearGradient id="reader-top" x1="0" x2="0" y1="0" y2="1">
            <stop offset="0" stop-color="#4a5568" />
            <stop offset="1" stop-color="#1a202c" />
          </linearGradient>
        </defs>
        <path d="M30 200 L290 200 L270 250 L50 250 Z" fill="#2d3748" />
        <rect x="40" y="170" width="240" height="36" rx="10" fill="url(#reader-top)" />
        <ellipse cx="160" cy="186" rx="70" ry="9" fill="#63b3ed" opacity="0.6" />
      </svg>
      {!lift && (
        <svg class="layer reader-waves" viewBox="0 0 320 260">
          <g fill="none" stroke="#63b3ed" stroke-width="4" stroke-linecap="round">
            <path d="M120 150 Q160 130 200 150" />
            <path d="M100 135 Q160 105 220 135" />
          </g>
        </svg>
      )}
      <svg class="layer reader-item" viewBox="0 0 320 260">
        <defs>
          <linearGradient id="card-face" x1="0" x2="1" y1="0" y2="1">
            <stop offset="0" stop-color="#fdf2f8" />
            <stop offset="1" stop-color="#fbcfe8" />
          </linearGradient>
        </defs>
        {medium === 'phone' ? (
          <g>
            <rect x="115" y="10" width="90" height="150" rx="14" fill="#1a202c" />
            <rect x="122" y="24" width="76" height="118" rx="4" fill="#90cdf4" />
            <circle cx="160" cy="150" r="5" fill="#4a5568" />
          </g>
        ) : (
          <g>
            <rect x="70" y="40" width="180" height="112" rx="10" fill="url(#card-face)" stroke="#9d174d" stroke-width="3" />
            <rect x="88" y="64" width="34" height="26" rx="4" fill="#d69e2e" stroke="#975a16" stroke-width="2" />
            <rect x="190" y="58" width="44" height="56" rx="4" fill="#e2e8f0" stroke="#718096" stroke-width="2" />
            <circle cx="212" cy="78" r="10" fill="#a0aec0" />
            <path d="M196 112 Q212 92 228 112 Z" fill="#a0aec0" />
            <rect x="88" y="104" width="86" height="8" rx="3" fill="#9d174d" opacity="0.6" />
            <rect x="88" y="120" width="120" height="8" rx="3" fill="#9d174d" opacity="0.35" />
            <rect x="88" y="134" width="100" height="8" rx="3" fill="#9d174d" opacity="0.35" />
          </g>
        )}
      </svg>
    </div>
  );
}

/** A certificate's name in the chosen language, with the Japanese name (printed on it) beside it in Japanese type. */
export function CertificateName({ id, language, block = false }: { id: Certificate; language: Language; block?: boolean }) {
  return <BilingualName local={strings(language).certificateNames[id]} jaName={JAPANESE_CERTIFICATE_NAMES[id]} language={language} block={block} />;
}

/** A tax certificate's name in the chosen language, with the Japanese name beside it (as CertificateName). */
export function TaxKindName({ id, language, block = false }: { id: TaxKind; language: Language; block?: boolean }) {
  return <BilingualName local={strings(language).taxKinds[id]} jaName={JAPANESE_TAX_KIND_NAMES[id]} language={language} block={block} />;
}

/** A name in the chosen language and, unless that is Japanese already, the Japanese one beside it (or below: block). */
function BilingualName({ local, jaName, language, block }: { local: string; jaName: string; language: Language; block: boolean }) {
  if (language === 'ja' || local === jaName) return <span lang="ja">{jaName}</span>;
  return (
    <>
      {local}
      <span class={`ja-name${block ? ' block' : ''}`} lang="ja" data-testid="japanese-name">{block ? jaName : `（${jaName}）`}</span>
    </>
  );
}

/**
 * A certificate as this city names it: the tax certificate by its one kind where the city issues one only (横浜市:
 * 所得・課税証明書); where it issues several, the tax certificate's own name (type-select asks which).
 */
export function OfferedCertificateName({ id, view, block = false }: { id: Certificate; view: Pick<KioskView, 'language' | 'taxKinds'>; block?: boolean }) {
  if (id === 'kazei' && view.taxKinds.length === 1) return <TaxKindName id={view.taxKinds[0]} language={view.language} block={block} />;
  return <CertificateName id={id} language={view.language} block={block} />;
}

export type MachinePart = 'coins' | 'bills' | 'change' | 'paper';

/** Two certificates in the paper exit. */
function Sheets() {
  return (
    <g>
      <rect x="70" y="222" width="130" height="40" fill="#fff" stroke="#64748b" stroke-width="2" transform="rotate(-3 135 242)" />
      <rect x="84" y="230" width="130" height="40" fill="#fff" stroke="#64748b" stroke-width="2" />
    </g>
  );
}

/**
 * The front of the multi-copy machine, with the parts that matter on this screen ringed and numbered: where the
 * coins and bills go, where change comes back, where the certificates come out. `motion` plays what happens there
 * (a coin and a bill going in, sheets coming out); prefers-reduced-motion keeps it still.
 */
export function MachineArt({ t, parts, motion }: { t: Strings; parts: MachinePart[]; motion: 'pay' | 'print' | 'collect' | 'refund' }) {
  const label: Record<MachinePart, string> = { coins: t.coinSlot, bills: t.billSlot, change: t.changeSlot, paper: t.paperTray };
  const box: Record<MachinePart, [number, number, number, number]> = {
    coins: [282, 34, 62, 30], bills: [268, 88, 90, 32], change: [274, 190, 78, 62], paper: [34, 226, 216, 62],
  };
  const badge = (p: MachinePart) => parts.indexOf(p) + 1;
  return (
    <figure class={`machine motion-${motion}`} data-testid="machine-art" data-parts={parts.join(' ')}>
      <div class="machine-art" aria-hidden="true">
        <svg class="layer" viewBox="0 0 390 310">
          <rect x="12" y="8" width="366" height="294" rx="18" fill="#e2e8f0" stroke="#475569" stroke-width="4" />
          {/* the touch screen */}
          <rect x="34" y="28" width="206" height="128" rx="8" fill="#1e293b" />
          <rect x="46" y="40" width="182" height="104" rx="4" fill="#3b82f6" opacity="0.55" />
          {/* the cash unit: coin slot, bill slot, change cup */}
          <rect x="258" y="24" width="108" height="240" rx="10" fill="#cbd5e1" stroke="#64748b" stroke-width="2" />
          <rect x="292" y="44" width="42" height="9" rx="4.5" fill="#0f172a" />
          <rect x="278" y="100" width="70" height="9" rx="3" fill="#0f172a" />
          <rect x="284" y="200" width="58" height="44" rx="10" fill="#334155" />
          {/* the paper exit */}
          <rect x="44" y="236" width="196" height="42" rx="6" fill="#334155" />
          {motion === 'collect' && <Sheets />}
          {(motion === 'collect' || motion === 'refund') && <circle cx="313" cy="228" r="12" fill="#eab308" stroke="#0f172a" stroke-width="3" />}
        </svg>
        {/* The moving parts, each a layer of its own (transform and opacity only). */}
        {motion === 'pay' && (
          <>
            <svg class="layer m-coin" viewBox="0 0 390 310"><circle cx="313" cy="14" r="13" fill="#eab308" stroke="#0f172a" stroke-width="3" /></svg>
            <svg class="layer m-bill" viewBox="0 0 390 310"><rect x="283" y="50" width="60" height="42" rx="3" fill="#86efac" stroke="#14532d" stroke-width="3" /></svg>
          </>
        )}
        {motion === 'print' && <svg class="layer m-sheets" viewBox="0 0 390 310"><Sheets /></svg>}
        <svg class="layer" viewBox="0 0 390 310">
          {parts.map((p) => {
            const [x, y, w, h] = box[p];
            return (
              <g>
                <rect x={x} y={y} width={w} height={h} rx="10" fill="none" stroke="#c2410c" stroke-width="5" />
                <circle cx={x} cy={y} r="17" fill="#c2410c" />
                <text x={x} y={y + 9} text-anchor="middle" font-size="26" font-weight="800" fill="#fff">{badge(p)}</text>
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption>
        <ol class="machine-legend">
          {parts.map((p) => (
            <li data-part={p}><span class="legend-badge" aria-hidden="true">{badge(p)}</span>{label[p]}</li>
          ))}
        </ol>
      </figcaption>
    </figure>
  );
}

/** One labelled amount, large. */
export function Amount({ label, value, testid, strong = false }: { label: string; value: string; testid: string; strong?: boolean }) {
  return (
    <div class={`amount${strong ? ' strong' : ''}`}>
      <span class="amount-label">{label}</span>
      <span class="amount-value" data-testid={testid}>{value}</span>
    </div>
  );
}

/** An end screen: what happened, what to do, and the way back to the main menu. */
/**
 * An end screen. `calm`: the person ended it themselves (a cancel they chose): nothing went wrong, so no alert colours
 * and no "!" (a review found a chosen cancel shown as a dark red error).
 */
export function EndScreen({
  view, t, send, title, message, children, calm = false,
}: { view: KioskView; t: Strings; send: Send; title: string; message: { title: string; action: string } | null; children?: ComponentChildren; calm?: boolean }) {

  return (
    <Frame
      view={view}
      t={t}
      send={send}
      title={title}
      tone={calm ? 'normal' : 'alert'}
      // The card is still on the reader: said on the end screen itself, beside its button, before take-card asks.
      leading={view.cardOnReader && (
        <p class="reminder" role="alert" data-testid="end-take-card">{view.medium === 'phone' ? t.removeReminderPhone : t.removeReminder}</p>
      )}
      actions={
        <button type="button" class="btn btn-primary" data-testid="done" onClick={tap(send, { type: 'ui.done' })}>
          {t.backToTop}
        </button>
      }
    >
      <div class="end-body">
        <div class={`end-icon${calm ? ' end-icon-calm' : ''}`} data-testid="end-icon" data-tone={calm ? 'calm' : 'alert'} aria-hidden="true">{calm ? 'i' : '!'}</div>
        <div class="end-text">
          {message && (
            <>
              <p class="end-what" data-testid="reason-title" data-reason={view.reason ?? ''}>{message.title}</p>
              <p class="end-todo" data-testid="reason-action">{message.action}</p>
            </>
          )}
          {children}
        </div>
      </div>
    </Frame>
  );
}
