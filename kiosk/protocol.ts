// What travels on the WebSocket between the kiosk server and its screens (the touch screen and any operator
// panel watching the same terminal). Plain JSON; a PIN only ever travels screen → server, once, in a `pin`
// message, and is never echoed, logged or broadcast.
import type { CenterAnswer } from '../machine/types.ts';
import type { UiInput } from '../machine/ui-input.ts';
import type { HomeCity, KioskView } from './view.ts';
import type { RecoveryNotice } from './recovery.ts';

/** Faults an operator or a journey can script (and their cures). */
export const FAULTS = [
  'paper-out', 'paper-jam', 'printer-offline', 'printer-online', 'paper-refill', 'center-down', 'center-up',
  'change-empty', 'change-refill', 'card-garbled', 'storage-error', 'storage-ok', 'printer-hang', 'out-of-service', 'resume-service',
] as const;
export type Fault = (typeof FAULTS)[number];

export type ClientMessage =
  | { type: 'event'; event: UiInput }
  | { type: 'pin'; digits: string }
  | { type: 'operator'; action: 'insert-card'; persona: string }
  | { type: 'operator'; action: 'remove-card' }
  // The card store: a new card for the persona (the next insert-card puts it on the reader), or its PIN counters
  // given back (the stand-in for the ward office's reset, recorded as an operator action).
  | { type: 'operator'; action: 'new-card'; persona: string }
  | { type: 'operator'; action: 'restore-tries'; persona: string }
  | { type: 'operator'; action: 'insert-cash'; yen: number }
  | { type: 'operator'; action: 'fault'; fault: Fault }
  // The clock (a kiosk started with `kiosk start`, or any server given a clock that can be steered).
  | { type: 'operator'; action: 'clock-set'; time: string }
  | { type: 'operator'; action: 'clock-advance'; seconds: number }
  | { type: 'operator'; action: 'clock-rate'; rate: number }
  // The center's answer to the next request: normal, or a chosen failure (center/scripted-center.ts).
  | { type: 'operator'; action: 'center-next'; answer: CenterAnswer };

export interface DeviceStatus {
  clock: string;
  /** card: the kind of card on the reader; cardId: its id in the card store (e.g. kawasaki-taro-1); pins: its counters. */
  reader: {
    name: string; cardPresent: boolean; card: string | null; cardId?: string | null;
    pins?: { auth?: number; sign?: number; cardInfo?: number } | null;
  };
  cash: { accepting: boolean; escrow: number; tubes: Record<string, number> };
  printer: { paper: number; jammed: boolean; online: boolean; sheetsPrinted: number };
  centerOnline: boolean;
  /** The center's answer waiting for the next request ('normal' when none was chosen). */
  centerNext?: CenterAnswer;
  /** Spooled PDFs of the current session, newest last, as URLs under /spool/. */
  documents: string[];
  /** How many times faster than real time the clock runs (1 unless the operator sped it up). */
  clockRate?: number;
  /** When the current screen's idle timer fires (ISO, the clock's time), where the server can tell; the timeout
   *  warning counts down to it. */
  timeoutAt?: string | null;
  /** Whether the operator can set, advance or speed up this server's clock. */
  clockControl?: boolean;
  /** A purchase a crash interrupted, settled at restart: shown on the main menu until the next session starts. */
  recovery?: RecoveryNotice | null;
  /** Why the terminal is out of order (the spool, the disk, the journal failed), for staff; null when in service. */
  outOfOrder?: string | null;
}

/** GET answers with the terminal's journal records (money and print facts; never a PIN), oldest first (control API). */
export const JOURNAL_PATH = '/api/v1/journal';
/** GET answers with the names of the printed PDFs in the spool folder, each served at /spool/NAME (control API). */
export const SPOOL_LIST_PATH = '/api/v1/spool';

export type ServerMessage =
  | {
    type: 'hello';
    personas: Array<{ id: string; label: string; kind: string }>;
    municipalities: Array<{ code: string; name: string; prefecture: string; participating: boolean }>;
    /** The municipality the kiosk stands in, with where its residents reset a locked PIN. */
    home: HomeCity;
  }
  /**
   * rev counts the views this server has sent (each distinct change once): a screen that renders it lets a
   * driver (the browser journey runner) wait until the page shows a change that stays on the same screen.
   */
  | { type: 'view'; view: KioskView; devices: DeviceStatus; rev: number }
  | { type: 'error'; message: string };
