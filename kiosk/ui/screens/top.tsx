// Step 1: the multi-copy machine's main menu. Only 行政サービス works; the others say they are not simulated. After a
// while idle the app lays the attract screen (attract.tsx) over it.
import type { JSX } from 'preact';
import { Frame } from '../components.tsx';
import { useEffect } from 'preact/hooks';
import { formatYen, isLoaded, loadLanguage, strings, type Strings } from '../i18n/index.ts';
import type { RecoveryNotice } from '../../recovery.ts';
import { OTHER_SERVICES, type Language, type OtherService } from '../../../machine/types.ts';
import { tap, type ScreenProps } from '../types.ts';

const OTHER = OTHER_SERVICES;

const ICONS: Record<OtherService | 'government', JSX.Element> = {
  copy: (
    <svg viewBox="0 0 64 64" aria-hidden="true"><rect x="10" y="8" width="34" height="42" rx="3" fill="#fff" stroke="currentColor" stroke-width="4" /><rect x="20" y="16" width="34" height="42" rx="3" fill="#fff" stroke="currentColor" stroke-width="4" /></svg>
  ),
  print: (
    <svg viewBox="0 0 64 64" aria-hidden="true"><rect x="18" y="6" width="28" height="18" fill="#fff" stroke="currentColor" stroke-width="4" /><rect x="6" y="22" width="52" height="24" rx="4" fill="currentColor" /><rect x="18" y="38" width="28" height="20" fill="#fff" stroke="currentColor" stroke-width="4" /></svg>
  ),
  photo: (
    <svg viewBox="0 0 64 64" aria-hidden="true"><rect x="6" y="16" width="52" height="38" rx="5" fill="currentColor" /><rect x="22" y="9" width="20" height="10" rx="2" fill="currentColor" /><circle cx="32" cy="35" r="11" fill="#fff" /><circle cx="32" cy="35" r="6" fill="currentColor" /></svg>
  ),
  government: (
    <svg viewBox="0 0 64 64" aria-hidden="true"><path d="M6 24 L32 8 L58 24 Z" fill="currentColor" /><rect x="10" y="26" width="44" height="5" fill="currentColor" /><rect x="13" y="33" width="6" height="18" fill="currentColor" /><rect x="29" y="33" width="6" height="18" fill="currentColor" /><rect x="45" y="33" width="6" height="18" fill="currentColor" /><rect x="6" y="52" width="52" height="6" fill="currentColor" /></svg>
  ),
};

export function Top({ view, t, send, devices }: ScreenProps) {
  const { notice } = view;
  return (
    <Frame view={view} t={t} send={send} title={t.topTitle}>
      {/* What the machine offers, said once and still; the moving attract screen plays only when nobody is here. After a
          restart that settled a purchase, what became of it takes that place, and the tiles make room. */}
      {devices?.recovery
        ? <Recovered notice={devices.recovery} t={t} language={view.language} />
        : <p class="top-banner" data-testid="top-banner">{t.attract}</p>}
      <div class={devices?.recovery ? 'top-menu compact' : 'top-menu'}>
        {OTHER.map((s) => (
          <button type="button" class="tile tile-other" data-testid={`tap-${s}`} onClick={tap(send, { type: 'ui.otherService', service: s })}>
            <span class="tile-icon">{ICONS[s]}</span>
            <span class="tile-label">{t.services[s]}</span>
          </button>
        ))}
        <button type="button" class="tile tile-gov" data-testid="tap-government-service" onClick={tap(send, { type: 'ui.start' })}>
          <span class="tile-icon">{ICONS.government}</span>
          <span class="tile-label">{t.services.government}</span>
          <span class="tile-sub">{t.governmentSub}</span>
        </button>
      </div>
      {notice?.kind === 'not-simulated' && (
        <p class="notice" role="status" data-testid="notice" data-notice={view.notice ?? ''}>
          {t.notSimulated(t.services[notice.service])}
        </p>
      )}
    </Frame>
  );
}

/**
 * After a restart that settled an interrupted purchase: what came out and where the money went, for the person who
 * may still be standing here (in the kiosk's language and in English), until the next person starts.
 */
function Recovered({ notice, t, language }: { notice: RecoveryNotice; t: Strings; language: Language }) {
  const lines = (s: Strings, lang: Language) => [
    s.recovery.title,
    notice.copies > 0 ? s.recovery.printed(notice.printed, notice.copies) : '',
    notice.returned > 0 ? s.recovery.returned(formatYen(notice.returned, lang)) : '',
    notice.owed > 0 ? s.recovery.owed(formatYen(notice.owed, lang)) : '',
  ].filter(Boolean).join(lang === 'ja' || lang.startsWith('zh') ? '' : ' ');
  // The English words come with their catalog, fetched when the notice shows (the screen draws again when it arrives).
  useEffect(() => {
    void loadLanguage('en');
  }, []);
  return (
    <div class="notice warn recovery" role="alert" data-testid="recovery">
      <p>{lines(t, language)}</p>
      {language !== 'en' && isLoaded('en') && <p lang="en" class="recovery-en">{lines(strings('en'), 'en')}</p>}
    </div>
  );
}
