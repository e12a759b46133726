// The PIN is locked (3 wrong tries, now or before): where and when to reset it, and what to bring.
import { EndScreen } from '../components.tsx';
import type { ScreenProps } from '../types.ts';

export function PinLocked({ view, t, send }: ScreenProps) {
  return (
    <EndScreen view={view} t={t} send={send} title={t.pinLockedTitle} message={{ title: t.pinLockedText, action: t.resetWhere }}>
      <ul class="office-hours" data-testid="reset-hours">
        {t.resetHours.map((h) => <li>{h}</li>)}
      </ul>
      <p class="end-todo" data-testid="reset-bring">{t.resetBring}</p>
    </EndScreen>
  );
}
