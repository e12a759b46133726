// Printing stopped: what happened, how many copies printed, and the money: refunded in cash, or a refund slip when
// the cash box could not pay.
import { EndScreen } from '../components.tsx';
import { endMessage } from '../flow.ts';
import { formatYen } from '../i18n/index.ts';
import type { ScreenProps } from '../types.ts';
import { Documents } from './printing.tsx';

export function PrintFailed({ view, t, send, devices }: ScreenProps) {
  const message = endMessage(view, t);
  const payout = view.payout;
  const yen = (n: number) => formatYen(n, view.language);
  return (
    <EndScreen view={view} t={t} send={send} title={t.printFailedTitle} message={message}>
      <p class="end-todo" data-testid="printed-of">{t.printedOf(view.printed, view.request.copies)}</p>
      {payout && !payout.failed && (
        <p class="end-money" data-testid="payout-refunded" data-yen={payout.refunded}>
          {t.refunded(yen(payout.refunded))}
          {payout.change > 0 && <span data-testid="payout-change"> · {t.changeReturned(yen(payout.change))}</span>}
        </p>
      )}
      {payout?.failed && <p class="notice warn" role="alert" data-testid="refund-slip">{t.refundSlip}</p>}
      <Documents urls={devices?.documents ?? []} title={t.documents} />
    </EndScreen>
  );
}
