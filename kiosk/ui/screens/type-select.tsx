// Step 9: the sub-type. 住民票 (and 記載事項証明書): whole household / self only / chosen members. 戸籍: 全部事項 or
// 個人事項 with the person. Tax: the fiscal year, after the kind where the city issues more than one (所得証明書,
// 納税証明書...). 附票: the person. When correcting from confirm, the current choice
// is highlighted.
import { useState } from 'preact/hooks';
import type { Person, Subtype, TaxKind } from '../../../machine/types.ts';
import { Frame, OfferedCertificateName, TaxKindName } from '../components.tsx';
import { tap, type ScreenProps, type Send } from '../types.ts';

const choose = (send: Send, subtype: Subtype) => tap(send, { type: 'ui.selectType', subtype });

function PersonButtons({ people, current, send, make }: { people: Person[]; current: string | null; send: Send; make: (id: string) => Subtype }) {
  return (
    <div class="choice-grid three">
      {people.map((p) => (
        <button type="button" class={`choice compact${current === p.id ? ' selected' : ''}`} aria-pressed={current === p.id} data-testid={`person-${p.id}`} onClick={choose(send, make(p.id))}>
          <span class="choice-label" lang="ja">{p.name}</span>
          <span class="choice-sub" lang="ja">{p.relationship}</span>
        </button>
      ))}
    </div>
  );
}

export function TypeSelect(props: ScreenProps) {
  const { view, t, send } = props;
  const certificate = view.request.certificate;
  const current = view.request.subtype;
  const holder = view.holder;
  const household = holder?.household ?? [];
  const register = holder?.familyRegister ?? [];

  const [showMembers, setShowMembers] = useState(current?.kind === 'juminhyo' && current.scope === 'members');
  const [members, setMembers] = useState<string[]>(current?.kind === 'juminhyo' ? current.members : []);
  const [kojin, setKojin] = useState(current?.kind === 'koseki' && current.form === 'kojin');
  const [taxKind, setTaxKind] = useState<TaxKind | null>(current?.kind === 'kazei' ? current.taxKind ?? null : null);

  let title = t.typeTitle;
  let body = null;
  let actions = null;

  if (certificate === 'juminhyo' || certificate === 'kisai') {
    // The center always includes the holder; the others are chosen. (記載事項証明書 uses the 住民票 sub-type.)
    const isHolder = (p: Person) => p.name === holder?.name;
    const scope = current?.kind === 'juminhyo' ? current.scope : null;
    body = (
      <>
        <div class="choice-grid three">
          <button type="button" class={`choice${scope === 'household' ? ' selected' : ''}`} aria-pressed={scope === 'household'} data-testid="type-household" onClick={choose(send, { kind: 'juminhyo', scope: 'household', members: [] })}>
            <span class="choice-label">{t.household}</span>
          </button>
          <button type="button" class={`choice${scope === 'self' ? ' selected' : ''}`} aria-pressed={scope === 'self'} data-testid="type-self" onClick={choose(send, { kind: 'juminhyo', scope: 'self', members: [] })}>
            <span class="choice-label">{t.self}</span>
          </button>
          <button type="button" class={`choice${showMembers ? ' selected' : ''}`} aria-pressed={showMembers} aria-expanded={showMembers} data-testid="type-members" disabled={household.length < 2} onClick={() => setShowMembers(true)}>
            <span class="choice-label">{t.members}</span>
          </button>
        </div>
        {showMembers && (
          <fieldset class="members">
            <legend>{t.chooseMembers}</legend>
            <div class="choice-grid three">
              {household.map((p) => {
                const on = isHolder(p) || members.includes(p.id);
                return (
                  <button
                    type="button"
                    role="checkbox"
                    aria-checked={on}
                    class={`choice compact check${on ? ' selected' : ''}`}
                    disabled={isHolder(p)}
                    data-testid={`member-${p.id}`}
                    onClick={() => setMembers((m) => (m.includes(p.id) ? m.filter((x) => x !== p.id) : [...m, p.id]))}
                  >
                    <span class="check-box" aria-hidden="true">{on ? '✔' : ''}</span>
                    <span class="choice-label" lang="ja">{p.name}</span>
                    <span class="choice-sub" lang="ja">{p.relationship}</span>
                  </button>
                );
              })}
            </div>
          </fieldset>
        )}
      </>
    );
    if (showMembers) {
      const chosen = household.filter((p) => !isHolder(p) && members.includes(p.id)).map((p) => p.id);
      actions = (
        <button type="button" class="btn btn-primary" data-testid="next" disabled={chosen.length === 0} onClick={choose(send, { kind: 'juminhyo', scope: 'members', members: chosen })}>
          {t.next}
        </button>
      );
    }
  } else if (certificate === 'koseki') {
    const form = current?.kind === 'koseki' ? current.form : null;
    const person = current?.kind === 'koseki' ? current.person : null;
    body = (
      <>
        <div class="choice-grid two">
          <button type="button" class={`choice${form === 'zenbu' && !kojin ? ' selected' : ''}`} aria-pressed={form === 'zenbu' && !kojin} data-testid="type-zenbu" onClick={choose(send, { kind: 'koseki', form: 'zenbu', person: null })}>
            <span class="choice-label">{t.kosekiZenbu}</span>
          </button>
          <button type="button" class={`choice${kojin ? ' selected' : ''}`} aria-pressed={kojin} aria-expanded={kojin} data-testid="type-kojin" disabled={register.length === 0} onClick={() => setKojin(true)}>
            <span class="choice-label">{t.kosekiKojin}</span>
          </button>
        </div>
        {kojin && (
          <fieldset class="members">
            <legend>{t.choosePerson}</legend>
            <PersonButtons people={register} current={person} send={send} make={(id) => ({ kind: 'koseki', form: 'kojin', person: id })} />
          </fieldset>
        )}
      </>
    );
  } else if (certificate === 'kazei') {
    // Where the city issues more than one tax certificate, the kind first (its years follow); otherwise the years.
    const choosing = view.taxKinds.length > 1;
    title = choosing ? t.chooseTaxKind : t.chooseYear;
    const year = current?.kind === 'kazei' && (!choosing || current.taxKind === taxKind) ? current.year : null;
    const years = (
      <div class="choice-grid two">
        {view.taxYears.map((y) => (
          <button type="button" class={`choice${year === y ? ' selected' : ''}`} aria-pressed={year === y} data-testid={`year-${y}`} onClick={choose(send, choosing && taxKind ? { kind: 'kazei', year: y, taxKind } : { kind: 'kazei', year: y })}>
            <span class="choice-label">{t.fiscalYear(y)}</span>
          </button>
        ))}
      </div>
    );
    body = !choosing ? years : (
      <>
        <div class={`choice-grid ${view.taxKinds.length > 2 ? 'three' : 'two'}`}>
          {view.taxKinds.map((k) => (
            <button type="button" class={`choice${taxKind === k ? ' selected' : ''}`} aria-pressed={taxKind === k} aria-expanded={taxKind === k} data-testid={`tax-${k}`} onClick={() => setTaxKind(k)}>
              <span class="choice-label"><TaxKindName id={k} language={view.language} block /></span>
              <span class="choice-sub">{t.taxKindSub[k]}</span>
            </button>
          ))}
        </div>
        {taxKind && (
          <fieldset class="members">
            <legend>{t.chooseYear}</legend>
            {years}
          </fieldset>
        )}
      </>
    );
  } else if (certificate === 'fuhyo') {
    title = t.choosePerson;
    const person = current?.kind === 'fuhyo' ? current.person : null;
    body = <PersonButtons people={register.length ? register : household} current={person} send={send} make={(id) => ({ kind: 'fuhyo', person: id })} />;
  }

  return (
    <Frame view={view} t={t} send={send} title={title} actions={actions}>
      {certificate && <p class="lead" data-testid="chosen-certificate"><OfferedCertificateName id={certificate} view={view} /></p>}
      {body}
    </Frame>
  );
}
