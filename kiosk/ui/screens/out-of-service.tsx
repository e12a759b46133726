// Outside hours, the year-end closure or a city's maintenance window.
import { EndScreen } from '../components.tsx';
import type { OutOfServiceReason } from '../../../machine/types.ts';
import type { ScreenProps } from '../types.ts';

export function OutOfService({ view, t, send }: ScreenProps) {
  const message = view.reason && view.reason in t.outOfService ? t.outOfService[view.reason as OutOfServiceReason] : null;
  return <EndScreen view={view} t={t} send={send} title={t.outOfServiceTitle} message={message} />;
}
