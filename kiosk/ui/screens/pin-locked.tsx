// The PIN is locked (3 wrong tries, now or before): where and when to reset it, and what to bring. The holder's
// city is not known yet (authentication has not happened), so the screen lists the offices of the kiosk's home
// municipality (from the server's hello) and sends residents of other municipalities to their own office.
import { EndScreen } from '../components.tsx';
import { resetGuide, type Strings } from '../i18n/index.ts';
import type { Hello, KioskView, ScreenProps } from '../types.ts';

export function PinLocked({ view, t, send, hello }: ScreenProps) {
  return (
    <EndScreen view={view} t={t} send={send} title={t.pinLockedTitle} message={{ title: t.pinLockedText, action: t.resetWhere }}>
      {hello?.home?.pinReset ? <ResetGuide home={hello.home} view={view} t={t} /> : null}
    </EndScreen>
  );
}

/** The home municipality's offices in two columns, beside its hours, closures and what to bring. Office names and
 *  addresses are proper names: they stay in Japanese (lang="ja") whatever the language. */
export function ResetGuide({ home, view, t }: { home: Hello['home']; view: KioskView; t: Strings }) {
  const reset = home.pinReset!;
  const guide = resetGuide(reset, view.language);
  return (
    <>
      <section class="reset-guide" data-testid="reset-guide" data-city={home.code} aria-labelledby="reset-offices-title">
        <div class="reset-offices-panel">
          <h2 class="reset-heading" id="reset-offices-title">{t.resetOfficesIn(home.name)}</h2>
          <ul class="reset-offices" data-testid="reset-offices" data-count={reset.offices.length}>
            {reset.offices.map((o) => (
              <li class="reset-office" data-testid="reset-office" lang="ja">
                {/* The ward is named once: 中原区役所 says 中原区 already. */}
                {!o.office.startsWith(o.name) && <span class="reset-ward">{o.name}</span>}
                <span class="reset-office-name">{o.office}</span>
                <span class="reset-address">{o.address}</span>
              </li>
            ))}
          </ul>
        </div>
        <dl class="reset-facts">
          <dt>{t.resetHoursLabel}</dt>
          <dd data-testid="reset-hours">{guide.hours.map((h) => <span class="reset-item">{h}</span>)}</dd>
          <dt>{t.resetClosedLabel}</dt>
          <dd data-testid="reset-closed">{guide.closed.map((h) => <span class="reset-item">{h}</span>)}</dd>
          <dt>{t.resetBringLabel}</dt>
          <dd data-testid="reset-bring">{guide.bring.map((h) => <BringItem text={h} />)}</dd>
        </dl>
      </section>
      <p class="reset-elsewhere" data-testid="reset-elsewhere">{t.resetElsewhere(home.name)}</p>
    </>
  );
}

/** A thing to bring; its trailing examples in brackets go on their own, smaller line. */
function BringItem({ text }: { text: string }) {
  const m = /^(.+?)\s*([（(][^（(]+[)）])$/.exec(text);
  return m ? <span class="reset-item">{m[1]}<span class="reset-examples">{m[2]}</span></span> : <span class="reset-item">{text}</span>;
}
