// The attract screen: after a while with nobody at the kiosk, the main menu gives way to a loop that says what the
// machine can do, in three pictures and in every language. A touch anywhere (or any key) brings the menu back, and
// that touch does nothing else. With prefers-reduced-motion the pictures and languages stand still, all shown at once.
import { useEffect, useRef } from 'preact/hooks';
import type { Language } from '../../machine/types.ts';
import { isLoaded, LANG_TAGS, LANGUAGE_ORDER, loadLanguage, strings } from './i18n/index.ts';

const STEP_ICONS = [
  // a card going down onto the reader
  <svg viewBox="0 0 120 100" aria-hidden="true">
    <rect x="14" y="70" width="92" height="18" rx="6" fill="#1e293b" />
    <ellipse cx="60" cy="79" rx="30" ry="4" fill="#60a5fa" />
    <g class="a-card"><rect x="26" y="14" width="68" height="44" rx="6" fill="#fbcfe8" stroke="#9d174d" stroke-width="3" /><rect x="34" y="24" width="14" height="11" rx="2" fill="#d69e2e" /></g>
  </svg>,
  // the PIN keypad
  <svg viewBox="0 0 120 100" aria-hidden="true">
    {[0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => <rect x={24 + c * 26} y={10 + r * 27} width="20" height="21" rx="4" fill="#fff" stroke="#1e293b" stroke-width="3" />))}
    <g class="a-dots" fill="#0847a6">{[0, 1, 2, 3].map((i) => <circle cx={33 + i * 18} cy="94" r="5" />)}</g>
  </svg>,
  // a certificate coming out of the machine
  <svg viewBox="0 0 120 100" aria-hidden="true">
    <rect x="10" y="30" width="100" height="50" rx="8" fill="#cbd5e1" stroke="#1e293b" stroke-width="3" />
    <rect x="24" y="70" width="72" height="8" rx="2" fill="#1e293b" />
    <g class="a-sheet"><rect x="34" y="50" width="52" height="44" fill="#fff" stroke="#475569" stroke-width="2" /><path d="M42 62h36M42 70h30M42 78h34" stroke="#94a3b8" stroke-width="3" /><circle cx="76" cy="86" r="5" fill="#dc2626" /></g>
  </svg>,
];

export function Attract({ language, onWake }: { language: Language; onWake: () => void }) {
  const t = strings(language);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    root.current?.focus();
    // Any key wakes the kiosk, and is not passed on to the menu beneath.
    const onKey = (e: KeyboardEvent) => {
      e.preventDefault();
      e.stopImmediatePropagation();
      onWake();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onWake]);
  // Nobody is waiting: every language's words are fetched now, and each joins the loop as it arrives.
  useEffect(() => {
    for (const l of LANGUAGE_ORDER) void loadLanguage(l);
  }, []);
  const others = LANGUAGE_ORDER.filter((l) => l !== language && isLoaded(l));
  return (
    <div
      class="attract-screen"
      data-testid="attract"
      ref={root}
      role="button"
      tabIndex={0}
      aria-label={t.touchToStart}
      lang={LANG_TAGS[language]}
      onClick={(e) => {
        e.preventDefault();
        onWake();
      }}
    >
      <p class="attract-headline">{t.attract}</p>
      <ol class="attract-steps">
        {t.attractSteps.map((s, i) => (
          <li class={`attract-step step-${i + 1}`}>
            <span class="attract-icon">{STEP_ICONS[i]}</span>
            <span class="attract-step-label"><span class="attract-n" aria-hidden="true">{i + 1}</span>{s}</span>
          </li>
        ))}
      </ol>
      <p class="attract-touch">{t.touchToStart}</p>
      <ul class="attract-langs" aria-hidden="true" style={`--langs: ${others.length}`}>
        {others.map((l, i) => (
          <li lang={LANG_TAGS[l]} style={`--i: ${i}`}>
            <span class="attract-lang-text">{strings(l).attract}</span>
            <span class="attract-lang-touch">{strings(l).touchToStart}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
