// The session was cancelled: by the person, by inactivity, or because payment did not complete in time. Whatever
// was inserted has been returned: the amount, and the picture of where it comes back.
import { EndScreen, MachineArt } from '../components.tsx';
import { endMessage } from '../flow.ts';
import { formatYen } from '../i18n/index.ts';
import type { ScreenProps } from '../types.ts';

export function Cancelled({ view, t, send }: ScreenProps) {
  const { refunded } = view;
  return (
    // A cancel the person chose is calm; a timeout (nobody there, payment not finished) keeps the alert.
    <EndScreen view={view} t={t} send={send} title={t.cancelledTitle} message={endMessage(view, t)} calm={view.reason === 'cancelled'}>
      {refunded > 0 && (
        <div class="refund-row">
          <p class="end-money" data-testid="payout-refunded" data-yen={refunded}>{t.refunded(formatYen(refunded, view.language))}</p>
          <MachineArt t={t} parts={['change']} motion="refund" />
        </div>
      )}
    </EndScreen>
  );
}
