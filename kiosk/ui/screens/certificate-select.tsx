// Step 8: the certificates this city offers this person, each with its fee; unavailable ones are disabled with the
// reason. The name is in the chosen language with the Japanese name beside it.
import { Frame, OfferedCertificateName } from '../components.tsx';
import { formatYen } from '../i18n/index.ts';
import { tap, type ScreenProps } from '../types.ts';

export function CertificateSelect({ view, t, send }: ScreenProps) {
  return (
    <Frame view={view} t={t} send={send} title={t.certificateTitle}>
      {view.city && <p class="lead" lang="ja" data-testid="city-name">{view.city.name}</p>}
      <div class="choice-grid three">
        {view.certificates.map((c) => {
          const reasonId = `why-${c.id}`;
          const off = c.unavailable !== null || c.fee === null;
          return (
            <button
              type="button"
              class={`choice cert${off ? ' unavailable' : ''}`}
              data-testid={`certificate-${c.id}`}
              data-unavailable={c.unavailable ?? undefined}
              disabled={off}
              aria-describedby={reasonId}
              onClick={tap(send, { type: 'ui.selectCertificate', certificate: c.id })}
            >
              <span class="choice-label"><OfferedCertificateName id={c.id} view={view} block /></span>
              <span class={off ? 'choice-sub reason' : 'choice-sub fee'} id={reasonId}>
                {c.unavailable ? t.unavailable[c.unavailable] : c.fee === null ? t.unavailable['not-offered'] : t.perCopy(formatYen(c.fee, view.language))}
              </span>
              {!off && c.fee !== null && c.counterFee !== null && c.counterFee > c.fee && (
                <span class="choice-sub saving" data-testid={`saving-${c.id}`}>{t.cheaperThanCounter(formatYen(c.counterFee - c.fee, view.language))}</span>
              )}
            </button>
          );
        })}
      </div>
    </Frame>
  );
}
