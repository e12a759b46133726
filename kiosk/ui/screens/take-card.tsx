// The session is over and the card (or phone) is still on the reader: the one reminder a real machine never leaves
// out. Its picture, its words and the chime (main.tsx) stay until the reader reports the card gone; there is nothing
// to tap, so the next person cannot start over someone else's card.
import { Frame, ReaderIllustration } from '../components.tsx';
import type { ScreenProps } from '../types.ts';

export function TakeCard({ view, t, send }: ScreenProps) {
  const phone = view.medium === 'phone';
  return (
    <Frame view={view} t={t} send={send} title={phone ? t.removeTitlePhone : t.removeTitle} tone="alert">
      <div class="reader-stage">
        <ReaderIllustration medium={view.medium} lift />
        <div class="reader-text">
          <p class="reminder" role="alert" data-testid="take-card-reminder">{phone ? t.removeReminderPhone : t.removeReminder}</p>
        </div>
      </div>
    </Frame>
  );
}
