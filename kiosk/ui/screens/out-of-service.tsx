// Outside hours, the year-end closure or a city's maintenance window.
import { EndScreen } from '../components.tsx';
import { endMessage } from '../flow.ts';
import type { ScreenProps } from '../types.ts';

export function OutOfService({ view, t, send }: ScreenProps) {
  return <EndScreen view={view} t={t} send={send} title={t.outOfServiceTitle} message={endMessage(view, t)} />;
}
