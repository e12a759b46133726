// Step 13: pay in cash. The coin and bill buttons stand in for the cash slot: they send the operator's
// insert-cash message, exactly what a real acceptor would report. Cancel returns every yen inserted.
import { COINS_AND_BILLS } from '../../../machine/types.ts';
import { Amount, Frame, MachineArt } from '../components.tsx';
import { formatYen } from '../i18n/index.ts';
import type { ScreenProps } from '../types.ts';

export function Payment({ view, t, send }: ScreenProps) {
  const yen = (n: number) => formatYen(n, view.language);
  const { notice } = view;
  const refunding = view.step === 'refunding';
  const remaining = Math.max(0, view.due - view.inserted);
  const change = Math.max(0, view.inserted - view.due);

  return (
    <Frame view={view} t={t} send={send} title={t.paymentTitle}>
      <div class="amounts row">
        <Amount label={t.due} value={yen(view.due)} testid="due" strong />
        <Amount label={t.inserted} value={yen(view.inserted)} testid="inserted" />
        {change > 0 ? <Amount label={t.change} value={yen(change)} testid="change" /> : <Amount label={t.remaining} value={yen(remaining)} testid="remaining" />}
      </div>
      <div class="pay">
        <div class="pay-side">
          {notice?.kind === 'cash-rejected' && (
            <p class="notice warn" role="alert" data-testid="notice" data-notice={`cash-rejected:${notice.reason}`}>{t.cashRejected[notice.reason]}</p>
          )}
          {refunding && (
            <p class="progress" role="status" data-testid="refunding"><span class="spinner" aria-hidden="true" /> {t.refunding}</p>
          )}
          <MachineArt t={t} parts={['coins', 'bills', 'change']} motion="pay" />
        </div>
        <section class="cash-slot" aria-labelledby="cash-slot-title">
          <h2 id="cash-slot-title">{t.cashSlot}</h2>
          <p class="hint">{t.cashHint}</p>
          <div class="cash-buttons">
            {COINS_AND_BILLS.map((y) => (
              <button
                type="button"
                class={y < 1000 ? 'cash coin' : 'cash bill'}
                data-testid={`cash-${y}`}
                disabled={refunding}
                aria-label={t.insertCash(yen(y))}
                onClick={() => send({ type: 'operator', action: 'insert-cash', yen: y })}
              >
                {y.toLocaleString(view.language === 'pt' || view.language === 'es' ? 'de-DE' : 'en-US')}
              </button>
            ))}
          </div>
        </section>
      </div>
    </Frame>
  );
}
