// The session was cancelled: by the person, by inactivity, or because payment did not complete in time.
import { EndScreen } from '../components.tsx';
import type { CancelReason } from '../../../machine/types.ts';
import type { ScreenProps } from '../types.ts';

export function Cancelled({ view, t, send }: ScreenProps) {
  const message = view.reason && view.reason in t.cancelled ? t.cancelled[view.reason as CancelReason] : t.cancelled.cancelled;
  return <EndScreen view={view} t={t} send={send} title={t.cancelledTitle} message={message} />;
}
