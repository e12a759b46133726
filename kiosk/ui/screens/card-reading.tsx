// Step 4: "place your card on the reader", with the reader illustration and reading progress.
import { Frame, ReaderIllustration } from '../components.tsx';
import type { ScreenProps } from '../types.ts';

export function CardReading({ view, t, send }: ScreenProps) {
  const phone = view.medium === 'phone';
  return (
    <Frame view={view} t={t} send={send} title={phone ? t.readPhoneTitle : t.readCardTitle}>
      <div class="reader-stage">
        <ReaderIllustration medium={view.medium} />
        <div class="reader-text">
          <p class="lead">{phone ? t.readHintPhone : t.readHint}</p>
          {/* Only once a card is on the reader: before it, nothing is being read (a review found the spinner turning
              before any card was placed). */}
          <p class="progress" role="status" aria-live="polite" data-testid="reading-progress" data-placed={view.cardPlaced ? 'yes' : 'no'}>
            {view.cardPlaced && <><span class="spinner" aria-hidden="true" /> {t.reading}</>}
          </p>
        </div>
      </div>
    </Frame>
  );
}
