// Step 7: "remove your card". The flow goes on when the reader reports the card gone. Here the machine's warning is
// the reminder that the card is still on the reader (the app also sounds it), never a timeout.
import { Frame, ReaderIllustration } from '../components.tsx';
import type { ScreenProps } from '../types.ts';

export function CardRemoval({ view, t, send }: ScreenProps) {
  return (
    <Frame view={view} t={t} send={send} title={t.removeTitle} tone={view.warning ? 'alert' : 'normal'}>
      <div class="reader-stage">
        <ReaderIllustration medium={view.medium} lift />
        <div class="reader-text">
          {view.warning ? (
            <p class="reminder" role="alert" data-testid="removal-reminder">{t.removeReminder}</p>
          ) : (
            <p class="lead">{t.removeHint}</p>
          )}
          {view.renewal && <p class="notice" data-testid="renewal-soon">{t.renewalSoon(view.renewal.expiresOn)}</p>}
        </div>
      </div>
    </Frame>
  );
}
