// 戸籍証明書交付の利用登録: while the center registers the 本籍地, then its answer: from which day that city's 戸籍
// certificates can be had at the kiosk, and the card to take off the reader.
import { Frame, ReaderIllustration } from '../components.tsx';
import { tap, type ScreenProps } from '../types.ts';

export function Registered({ view, t, send }: ScreenProps) {
  const done = view.step === 'done' && view.registeredFrom;
  return (
    <Frame
      view={view}
      t={t}
      send={send}
      title={done ? t.domicileRegistration : t.registering}
      actions={done ? (
        <button type="button" class="btn btn-primary" data-testid="done" onClick={tap(send, { type: 'ui.done' })}>{t.backToTop}</button>
      ) : undefined}
    >
      <div class="reader-stage">
        <ReaderIllustration medium={view.medium} lift={!!done} />
        <div class="reader-text">
          {done ? (
            <>
              <p class="lead" data-testid="registered" data-from={view.registeredFrom}>{t.registeredDone(view.city?.name ?? '', view.registeredFrom!)}</p>
              <p class="notice">{t.registeredTakeCard}</p>
            </>
          ) : (
            <p class="progress" role="status" aria-live="polite"><span class="spinner" aria-hidden="true" /> {t.registering}</p>
          )}
        </div>
      </div>
    </Frame>
  );
}
