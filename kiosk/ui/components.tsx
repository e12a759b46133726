// Shared pieces of every screen: the frame (header with the step number and language switcher, the content, the
// footer with Back / Cancel / the screen's main action), the timeout warning, and the reader illustrations.
// All pure: they read props and call `send`.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useRef } from 'preact/hooks';
import type { Language, Medium } from '../../machine/types.ts';
import { canCancel, canGoBack, clockText, showsLanguageBar, stepNumber, TOTAL_STEPS } from './flow.ts';
import { LANG_TAGS, LANGUAGE_NAMES, LANGUAGE_ORDER, type Strings } from './i18n.ts';
import { tap, type KioskView, type Send } from './types.ts';

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

/** The terminal's clock (ISO), shown in the header; provided by the app from the device status. */
export const ClockContext = createContext<string | null>(null);

export function Frame({ view, t, send, title, actions, leading, children, tone = 'normal' }: FrameProps) {
  const clock = useContext(ClockContext);
  const n = stepNumber(view.screen);
  const back = canGoBack(view);
  const cancel = canCancel(view);
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
              <span class="step-label">{t.step(n, TOTAL_STEPS)}</span>
              <span class="step-track" aria-hidden="true">
                {Array.from({ length: TOTAL_STEPS }, (_, i) => (
                  <span class={`step-dot${i + 1 < n ? ' past' : i + 1 === n ? ' now' : ''}`} />
                ))}
              </span>
            </>
          ) : (
            <span class="step-label">{t.appName}</span>
          )}
        </div>
        {/* The brand gives way to the language switcher, which needs the width. */}
        {n !== null && !showsLanguageBar(view.screen) && <div class="brand">{t.appName}</div>}
        {clock ? <div class="clock" data-testid="clock">{clockText(clock).slice(11)}</div> : null}
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

export function LanguageBar({ language, t, send }: { language: Language; t: Strings; send: Send }) {
  return (
    <div class="langs" role="group" aria-label={t.language}>
      {LANGUAGE_ORDER.map((l) => (
        <button
          type="button"
          class={`lang${l === language ? ' current' : ''}`}
          lang={LANG_TAGS[l]}
          aria-pressed={l === language}
          data-testid={`lang-${l}`}
          onClick={tap(send, { type: 'ui.setLanguage', language: l })}
        >
          {LANGUAGE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}

/** "Do you need more time?" over any screen when the machine shows its idle warning. */
export function TimeoutWarning({ view, t, send }: { view: KioskView; t: Strings; send: Send }) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <div class="overlay" data-testid="timeout-warning" lang={LANG_TAGS[view.language]}>
      <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="warning-title" aria-describedby="warning-text">
        <h2 id="warning-title">{t.warningTitle}</h2>
        <p id="warning-text">{t.warningText}</p>
        <div class="dialog-actions">
          {canCancel(view) && (
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

/** A My Number Card (or a phone) coming down onto the reader; `lift` plays it the other way (take your card). */
export function ReaderIllustration({ medium, lift = false }: { medium: Medium | null; lift?: boolean }) {
  return (
    <svg class={`reader-art${lift ? ' lift' : ''}`} viewBox="0 0 320 260" role="img" aria-hidden="true">
      <defs>
        <linearGradient id="reader-top" x1="0" x2="0" y1="0" y2="1">
          <stop offset="0" stop-color="#4a5568" />
          <stop offset="1" stop-color="#1a202c" />
        </linearGradient>
        <linearGradient id="card-face" x1="0" x2="1" y1="0" y2="1">
          <stop offset="0" stop-color="#fdf2f8" />
          <stop offset="1" stop-color="#fbcfe8" />
        </linearGradient>
      </defs>
      {/* the reader */}
      <path d="M30 200 L290 200 L270 250 L50 250 Z" fill="#2d3748" />
      <rect x="40" y="170" width="240" height="36" rx="10" fill="url(#reader-top)" />
      <ellipse class="reader-glow" cx="160" cy="186" rx="70" ry="9" fill="#63b3ed" />
      <g class="reader-waves" fill="none" stroke="#63b3ed" stroke-width="4" stroke-linecap="round">
        <path d="M120 150 Q160 130 200 150" />
        <path d="M100 135 Q160 105 220 135" />
      </g>
      <g class="reader-item">
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
      </g>
    </svg>
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
export function EndScreen({
  view, t, send, title, message, children,
}: { view: KioskView; t: Strings; send: Send; title: string; message: { title: string; action: string } | null; children?: ComponentChildren }) {
  return (
    <Frame
      view={view}
      t={t}
      send={send}
      title={title}
      tone="alert"
      actions={
        <button type="button" class="btn btn-primary" data-testid="done" onClick={tap(send, { type: 'ui.done' })}>
          {t.backToTop}
        </button>
      }
    >
      <div class="end-body">
        <div class="end-icon" aria-hidden="true">!</div>
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
