// Step 2: 行政サービス menu: 証明書交付サービス, 戸籍証明書交付の利用登録申請 for a 本籍地 elsewhere, and 暗証番号リセット
// after a reservation in the JPKI app.
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
          <button type="button" class="choice" data-testid="tap-pin-reset" onClick={tap(send, { type: 'ui.pinResetService' })}>
            <span class="choice-label">{t.pinReset}</span>
            <span class="choice-sub">{t.pinResetSub}</span>
          </button>
        </div>
      </div>
    </Frame>
  );
}
