// Step 3: choose the medium (My Number Card or smartphone) and accept the terms of use; accepting needs a medium.
import { Frame } from '../components.tsx';
import { tap, type ScreenProps } from '../types.ts';

export function AdvancedMenu({ view, t, send }: ScreenProps) {
  const chosen = view.medium;
  return (
    <Frame
      view={view}
      t={t}
      send={send}
      title={t.mediumTitle}
      actions={
        <button
          type="button"
          class="btn btn-primary"
          data-testid="accept-terms"
          disabled={!chosen}
          aria-describedby={chosen ? undefined : 'medium-hint'}
          onClick={tap(send, { type: 'ui.acceptTerms' })}
        >
          {t.acceptTerms}
        </button>
      }
    >
      <div class="two-col">
        <div class="mediums" role="group" aria-labelledby="screen-title">
          <button type="button" class={`choice medium${chosen === 'card' ? ' selected' : ''}`} aria-pressed={chosen === 'card'} data-testid="medium-card" onClick={tap(send, { type: 'ui.chooseMedium', medium: 'card' })}>
            <span class="choice-label">{t.mediumCard}</span>
            <span class="choice-sub">{t.mediumCardSub}</span>
          </button>
          <button type="button" class={`choice medium${chosen === 'phone' ? ' selected' : ''}`} aria-pressed={chosen === 'phone'} data-testid="medium-phone" onClick={tap(send, { type: 'ui.chooseMedium', medium: 'phone' })}>
            <span class="choice-label">{t.mediumPhone}</span>
            <span class="choice-sub">{t.mediumPhoneSub}</span>
          </button>
          {!chosen && <p class="hint" id="medium-hint">{t.chooseMediumFirst}</p>}
        </div>
        <section class="terms" aria-labelledby="terms-title" tabIndex={0} data-testid="terms">
          <h2 id="terms-title">{t.termsTitle}</h2>
          <ol>
            {t.terms.map((p) => <li>{p}</li>)}
          </ol>
        </section>
      </div>
    </Frame>
  );
}
