// Step 5: whose certificates. お住まいの市区町村 goes on at once; 本籍地 asks for the prefecture, then the municipality
// (from hello.municipalities), and only then sends ui.selectCity, as the machine expects.
import { useState } from 'preact/hooks';
import { Frame } from '../components.tsx';
import type { Hello } from '../connection.ts';
import { tap, type ScreenProps } from '../types.ts';

/** Prefectures in the order the municipality list names them first. */
export function prefecturesOf(hello: Hello | null): string[] {
  const seen: string[] = [];
  for (const m of hello?.municipalities ?? []) if (!seen.includes(m.prefecture)) seen.push(m.prefecture);
  return seen;
}

export function CitySelect({ view, t, send, hello }: ScreenProps) {
  // null: choosing the scope; '': choosing the prefecture; otherwise the prefecture chosen.
  const [prefecture, setPrefecture] = useState<string | null>(null);

  if (prefecture === null) {
    return (
      <Frame view={view} t={t} send={send} title={t.cityTitle}>
        <div class="choice-grid two">
          {/* A 本籍地 registration asks for the 本籍地 only. */}
          {view.service !== 'registration' && (
            <button type="button" class="choice choice-main" data-testid="city-residence" onClick={tap(send, { type: 'ui.selectCity', scope: 'residence' })}>
              <span class="choice-label">{t.cityResidence}</span>
              <span class="choice-sub">{t.cityResidenceSub}</span>
            </button>
          )}
          <button type="button" class="choice" data-testid="city-domicile" onClick={() => setPrefecture('')}>
            <span class="choice-label">{t.cityDomicile}</span>
            <span class="choice-sub">{t.cityDomicileSub}</span>
          </button>
        </div>
      </Frame>
    );
  }

  const localBack = (
    <button type="button" class="btn btn-back" data-testid="city-step-back" onClick={() => setPrefecture(prefecture === '' ? null : '')}>
      <span aria-hidden="true">◀ </span>{t.back}
    </button>
  );

  if (prefecture === '') {
    return (
      <Frame view={view} t={t} send={send} title={t.choosePrefecture} leading={localBack}>
        <div class="choice-grid four" data-testid="prefectures">
          {prefecturesOf(hello).map((p) => (
            <button type="button" class="choice compact" lang="ja" data-testid={`prefecture-${p}`} onClick={() => setPrefecture(p)}>
              <span class="choice-label">{p}</span>
            </button>
          ))}
        </div>
      </Frame>
    );
  }

  const cities = (hello?.municipalities ?? []).filter((m) => m.prefecture === prefecture);
  return (
    <Frame view={view} t={t} send={send} title={t.chooseMunicipality} leading={localBack}>
      <p class="lead" lang="ja">{prefecture}</p>
      <div class="choice-grid four" data-testid="municipalities">
        {cities.map((m) => (
          <button
            type="button"
            class="choice compact"
            data-testid={`municipality-${m.code}`}
            onClick={tap(send, { type: 'ui.selectCity', scope: 'domicile', city: m.code })}
          >
            <span class="choice-label" lang="ja">{m.name}</span>
            {!m.participating && <span class="choice-sub">{t.notParticipating}</span>}
          </button>
        ))}
      </div>
    </Frame>
  );
}
