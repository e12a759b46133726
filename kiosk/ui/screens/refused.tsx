// The card or the person cannot use the service: the reason and what to do.
import { EndScreen } from '../components.tsx';
import type { RefusalReason } from '../../../machine/types.ts';
import type { ScreenProps } from '../types.ts';

export function Refused({ view, t, send }: ScreenProps) {
  const message = view.reason && view.reason in t.refusal ? t.refusal[view.reason as RefusalReason] : null;
  return <EndScreen view={view} t={t} send={send} title={t.refusedTitle} message={message} />;
}
