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
          <p class="progress" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true" /> {t.reading}
          </p>
        </div>
      </div>
    </Frame>
  );
}
