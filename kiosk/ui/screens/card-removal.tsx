// Step 7: "remove your card". The flow goes on when the reader reports the card gone. Here the machine's warning is
// the reminder that the card is still on the reader (the app also sounds it), never a timeout.
import { Frame, ReaderIllustration } from '../components.tsx';
import type { ScreenProps } from '../types.ts';

export function CardRemoval({ view, t, send }: ScreenProps) {
  // A smartphone is lifted off the reader, and told so in its own words.
  const phone = view.medium === 'phone';
  return (
    <Frame view={view} t={t} send={send} title={phone ? t.removeTitlePhone : t.removeTitle} tone={view.warning ? 'alert' : 'normal'}>
      <div class="reader-stage">
        <ReaderIllustration medium={view.medium} lift />
        <div class="reader-text">
          {view.warning ? (
            <p class="reminder" role="alert" data-testid="removal-reminder">{phone ? t.removeReminderPhone : t.removeReminder}</p>
          ) : (
            <p class="lead">{phone ? t.removeHintPhone : t.removeHint}</p>
          )}
          {view.renewal && <p class="notice" data-testid="renewal-soon">{t.renewalSoon(view.renewal.expiresOn)}</p>}
        </div>
      </div>
    </Frame>
  );
}
