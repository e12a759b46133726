// Step 14: printing page by page, paying out, then "take your certificates, receipt and change". Nothing can be
// cancelled here. The spooled PDFs of the session are linked so that a tester can look at what was printed.
import { Amount, Frame, MachineArt } from '../components.tsx';
import { formatYen } from '../i18n/index.ts';
import { KIOSK_MODE } from '../kiosk-mode.ts';
import { tap, type ScreenProps } from '../types.ts';

/** The spooled PDFs, for testers (not on a kiosk in kiosk mode: a resident never leaves the kiosk's screen). */
export function Documents({ urls, title }: { urls: readonly string[]; title: string }) {
  if (!urls.length || KIOSK_MODE.on) return null;
  return (
    <nav class="documents" aria-label={title}>
      <span class="documents-title">{title}</span>
      {urls.map((u, i) => (
        <a href={u} target="_blank" rel="noopener" data-testid="document-link" data-index={i}>
          {decodeURIComponent(u.split('/').pop() ?? u)}
        </a>
      ))}
    </nav>
  );
}

export function Printing({ view, t, send, devices }: ScreenProps) {
  const yen = (n: number) => formatYen(n, view.language);
  const total = view.request.copies;
  const collect = view.step === 'collect';
  const payout = view.payout;

  if (!collect) {
    const working = view.step !== 'payingOut';
    return (
      <Frame view={view} t={t} send={send} title={t.printingTitle}>
        <div class="printing">
          <MachineArt t={t} parts={['paper']} motion="print" />
          <div class="printing-status">
            <p class="lead">{t.doNotLeave}</p>
            {working ? (
              <>
                <progress class="bar-progress" max={total} value={view.printed} data-testid="print-progress" aria-label={t.printingProgress(view.printed, total)} />
                <p class="progress" role="status" aria-live="polite" data-testid="print-count" data-printed={view.printed} data-total={total}>
                  {t.printingProgress(view.printed, total)}
                </p>
              </>
            ) : (
              <p class="progress" role="status"><span class="spinner" aria-hidden="true" /> {t.payingOut}</p>
            )}
          </div>
        </div>
      </Frame>
    );
  }

  return (
    <Frame
      view={view}
      t={t}
      send={send}
      title={t.collectTitle}
      actions={
        <button type="button" class="btn btn-primary" data-testid="done" onClick={tap(send, { type: 'ui.done' })}>
          {t.done}
        </button>
      }
    >
      <div class="collect">
        <MachineArt t={t} parts={['paper', 'change']} motion="collect" />
        <div class="amounts">
          <p class="lead">{t.collectHint}</p>
          <Amount label={t.change} value={yen(payout?.change ?? 0)} testid="payout-change" strong />
          {!!payout?.refunded && <p class="lead" data-testid="payout-refunded">{t.refunded(yen(payout.refunded))}</p>}
          {payout?.failed && <p class="notice warn" role="alert" data-testid="refund-slip">{t.refundSlip}</p>}
        </div>
      </div>
      <Documents urls={devices?.documents ?? []} title={t.documents} />
    </Frame>
  );
}
