// Step 10: what is printed. 住民票: 世帯主・続柄, 本籍・筆頭者, 個人番号 (only where the city prints it); foreign residents:
// 国籍・地域, 在留資格, 在留カード等の番号. 住民票コード is never offered. Next sends all six booleans.
import { useState } from 'preact/hooks';
import type { InfoOptions } from '../../../machine/types.ts';
import { CertificateName, Frame } from '../components.tsx';
import { infoToSend, NO_INFO } from '../flow.ts';
import type { ScreenProps } from '../types.ts';

export function InfoSelect({ view, t, send }: ScreenProps) {
  const offered = view.offeredInfo;
  const [chosen, setChosen] = useState<InfoOptions>({ ...NO_INFO, ...(view.request.options ?? {}) });
  const set = (k: keyof InfoOptions, v: boolean) => setChosen((c) => ({ ...c, [k]: v }));

  return (
    <Frame
      view={view}
      t={t}
      send={send}
      title={t.infoTitle}
      actions={
        <button type="button" class="btn btn-primary" data-testid="next" onClick={() => send({ type: 'event', event: { type: 'ui.selectInfo', options: infoToSend(chosen, offered) } })}>
          {t.next}
        </button>
      }
    >
      {view.request.certificate && <p class="lead" data-testid="chosen-certificate"><CertificateName id={view.request.certificate} language={view.language} /></p>}
      <div class={`info-list${offered.length > 3 ? ' many' : ''}`}>
        {offered.map((k) => (
          <div class="info-row" role="radiogroup" aria-labelledby={`info-${k}`} data-testid={`info-${k}`}>
            <span class="info-label" id={`info-${k}`}>{t.info[k]}</span>
            <div class="segmented">
              <button type="button" role="radio" aria-checked={chosen[k]} class={chosen[k] ? 'seg on' : 'seg'} data-testid={`info-${k}-yes`} onClick={() => set(k, true)}>
                {t.include}
              </button>
              <button type="button" role="radio" aria-checked={!chosen[k]} class={!chosen[k] ? 'seg on' : 'seg'} data-testid={`info-${k}-no`} onClick={() => set(k, false)}>
                {t.omit}
              </button>
            </div>
          </div>
        ))}
      </div>
      <p class="hint">{t.residentCodeNote}</p>
    </Frame>
  );
}
