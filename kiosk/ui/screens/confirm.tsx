// Step 12: the summary. Holder's name (so that one person's session can never pass for another's), city,
// certificate, sub-type, options, copies, unit fee and total. "Correct" returns to step 8–11 with every other choice
// kept; Pay confirms (nothing is charged before this).
import type { ComponentChildren } from 'preact';
import type { Certificate } from '../../../machine/types.ts';
import { Amount, Frame, OfferedCertificateName } from '../components.tsx';
import { hasInfoChoice, hasTypeChoice } from '../flow.ts';
import { formatYen, taxKindLabel, type Strings } from '../i18n/index.ts';
import { tap, type KioskView, type ScreenProps } from '../types.ts';

/** The sub-type in words, with the names of the people it covers. */
export function subtypeText(view: KioskView, t: Strings): string {
  const st = view.request.subtype;
  if (!st) return t.none;
  const nameOf = (id: string | null) =>
    [...(view.holder?.familyRegister ?? []), ...(view.holder?.household ?? [])].find((p) => p.id === id)?.name ?? id ?? '';
  switch (st.kind) {
    case 'juminhyo':
      if (st.scope === 'household') return t.household;
      if (st.scope === 'self') return t.self;
      return `${t.members}: ${[view.holder?.name ?? '', ...st.members.map(nameOf)].filter(Boolean).join('、')}`;
    case 'koseki':
      return st.form === 'zenbu' ? t.kosekiZenbu : `${t.kosekiKojin}: ${nameOf(st.person)}`;
    case 'kazei':
      // The tax certificate's kind is named where the city issues more than one.
      return view.taxKinds.length > 1 ? `${taxKindLabel(st.taxKind ?? view.taxKinds[0], view.language)}: ${t.fiscalYear(st.year)}` : t.fiscalYear(st.year);
    case 'fuhyo':
      return nameOf(st.person);
  }
}

/** The printed items chosen, in words. */
export function optionsText(view: KioskView, t: Strings): string {
  const o = view.request.options;
  const chosen = view.offeredInfo.filter((k) => o?.[k]);
  return chosen.length ? chosen.map((k) => t.info[k]).join('、') : t.none;
}

function Row({ label, value, testid, correct }: { label: string; value: ComponentChildren; testid: string; correct?: ComponentChildren }) {
  return (
    <div class="summary-row">
      <dt>{label}</dt>
      <dd data-testid={testid}>{value}</dd>
      <dd class="summary-action">{correct}</dd>
    </div>
  );
}

export function Confirm({ view, t, send }: ScreenProps) {
  const c: Certificate | null = view.request.certificate;
  const unit = view.certificates.find((x) => x.id === c)?.fee ?? (view.request.copies ? view.due / view.request.copies : 0);
  const correct = (step: 'certificate-select' | 'type-select' | 'info-select' | 'copies', testid: string) => (
    <button type="button" class="btn btn-small" data-testid={testid} onClick={tap(send, { type: 'ui.correct', step })}>
      {t.correct}
    </button>
  );
  const yen = (n: number) => formatYen(n, view.language);

  return (
    <Frame
      view={view}
      t={t}
      send={send}
      title={t.confirmTitle}
      actions={
        <button type="button" class="btn btn-primary" data-testid="confirm-pay" onClick={tap(send, { type: 'ui.confirm' })}>
          {t.pay}
        </button>
      }
    >
      <div class="confirm-layout">
        <dl class="summary">
          <Row label={t.holderName} testid="summary-holder" value={<span lang="ja">{view.holder?.name}</span>} />
          <Row label={t.city} testid="summary-city" value={<span lang="ja">{view.city?.name}</span>} />
          <Row label={t.certificate} testid="summary-certificate" value={c ? <OfferedCertificateName id={c} view={view} /> : ''} correct={correct('certificate-select', 'correct-certificate')} />
          {c && hasTypeChoice(c) && <Row label={t.subtype} testid="summary-type" value={subtypeText(view, t)} correct={correct('type-select', 'correct-type')} />}
          {c && hasInfoChoice(c) && <Row label={t.options} testid="summary-options" value={optionsText(view, t)} correct={correct('info-select', 'correct-info')} />}
          <Row label={t.copies} testid="summary-copies" value={t.copiesCount(view.request.copies)} correct={correct('copies', 'correct-copies')} />
        </dl>
        <div class="amounts">
          <Amount label={t.unitFee} value={yen(unit)} testid="summary-unit-fee" />
          <Amount label={t.copies} value={t.copiesCount(view.request.copies)} testid="summary-copies-count" />
          <Amount label={t.total} value={yen(view.due)} testid="summary-total" strong />
        </div>
      </div>
    </Frame>
  );
}
