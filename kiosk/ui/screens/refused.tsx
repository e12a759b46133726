// The card or the person cannot use the service: the reason and what to do.
import { EndScreen } from '../components.tsx';
import { endMessage } from '../flow.ts';
import type { ScreenProps } from '../types.ts';

export function Refused({ view, t, send }: ScreenProps) {
  return <EndScreen view={view} t={t} send={send} title={t.refusedTitle} message={endMessage(view, t)} />;
}
