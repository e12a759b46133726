// What every screen component receives. Screens are pure functions of these props: they read the view and call
// `send`; they hold at most transient input (PIN digits, a prefecture being chosen) in their own component state.
import type { ClientMessage, DeviceStatus } from '../protocol.ts';
import type { UiInput } from '../../machine/ui-input.ts';
import type { KioskView } from '../view.ts';
import type { Hello } from './connection.ts';
import type { Strings } from './i18n/index.ts';

export type Send = (message: ClientMessage) => void;

export interface ScreenProps {
  view: KioskView;
  t: Strings;
  send: Send;
  hello: Hello | null;
  devices: DeviceStatus | null;
}

/** A tap on the kiosk: a UI event without a time (the server stamps it). */
export const tap = (send: Send, event: UiInput) => () => send({ type: 'event', event });

export type { KioskView, DeviceStatus, UiInput, Hello };
