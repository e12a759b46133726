// Step 2: 行政サービス menu: 証明書交付サービス, and 戸籍証明書交付の利用登録申請 for a 本籍地 elsewhere; 暗証番号リセット
// is shown as the real menu shows it, but not yet available.
import { Frame } from '../components.tsx';
import { tap, type ScreenProps } from '../types.ts';

export function GovernmentMenu({ view, t, send }: ScreenProps) {
  return (
    <Frame view={view} t={t} send={send} title={t.governmentTitle}>
      <div class="menu-list">
        <button type="button" class="choice choice-main" data-testid="tap-certificate-service" onClick={tap(send, { type: 'ui.certificateService' })}>
          <span class="choice-label">{t.certificateService}</span>
          <span class="choice-sub">{t.certificateServiceSub}</span>
        </button>
        <div class="menu-row">
          <button type="button" class="choice" data-testid="tap-domicile-registration" onClick={tap(send, { type: 'ui.domicileRegistration' })}>
            <span class="choice-label">{t.domicileRegistration}</span>
            <span class="choice-sub">{t.domicileRegistrationSub}</span>
          </button>
          <button type="button" class="choice" data-testid="tap-pin-reset" disabled aria-describedby="coming-later-2">
            <span class="choice-label">{t.pinReset}</span>
            <span class="choice-sub" id="coming-later-2">{t.comingLater}</span>
          </button>
        </div>
      </div>
    </Frame>
  );
}
