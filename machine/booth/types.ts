// The photo booth's vocabulary (../shared/spec/photo-booth.md §3): its screens, what it asks its devices and the
// center to do, and what they answer. The same conventions as the konbini machine: events are namespaced by their
// source (ui.*, cash.*, qr.*, camera.*, center.*, print.*, timeout), commands are emitted, timeouts are in `meta`.

/** The screens, in the order of the sheet's steps (1 menu, 2 money, 3 QR code, 4 entries, 5 photo, 6 confirm, 7 send, 8 slip). */
export const BOOTH_SCREENS = ['top', 'payment', 'scan', 'birth-date', 'options', 'photo', 'confirm', 'done', 'refused', 'cancelled', 'out-of-service'] as const;
export type BoothScreen = (typeof BOOTH_SCREENS)[number];

/** Why an application ends without being sent (each has its words and what to do, and the money goes back). */
export const BOOTH_REFUSALS = [
  // J-LIS's answers about the form (center/applications.ts APPLICATION_REFUSALS, less the photo's and form-malformed:
  // the booth sends J-LIS only the 23 digits it read, and a code without them is a notice on the scan screen).
  'form-unknown', 'form-used', 'form-outdated', 'not-resident', 'application-pending',
  // The birth date entered did not match, three times.
  'birth-date-mismatch',
  // The photograph failed its checks on every allowed try.
  'photo-rejected',
  // The center could not be reached (the application is not sent; the money goes back).
  'center-unreachable',
  // The camera or the scanner stopped working mid-session.
  'device-failed',
] as const;
export type BoothRefusal = (typeof BOOTH_REFUSALS)[number];

/** Why a session was cancelled: the person chose to, or left it. */
export type BoothCancel = 'cancelled' | 'timeout';

/**
 * What the booth measured on a photograph (photo-booth.md §6): each check a person can read on screen. Measured on the
 * image by the camera adapter, never assumed.
 */
export interface PhotoChecks {
  /** One face found. */
  face: boolean;
  /** The face is centred and of the right size in the 4.5 × 3.5 frame. */
  centred: boolean;
  /** Neither too dark nor too bright, no strong shadow. */
  lit: boolean;
  /** The background is plain (one colour, no pattern). */
  plainBackground: boolean;
}

export const photoPasses = (c: PhotoChecks | null): boolean => !!c && c.face && c.centred && c.lit && c.plainBackground;

/** The booth's settings (UNCONFIRMED facts, photo-booth.md §9): chosen defaults, each written down in the README. */
export interface BoothSettings {
  /** The photograph's fee in yen (suggested 1,000 yen). */
  photoFee: number;
  /** Photographs a person may take (the first and the retakes). */
  photoTries: number;
  /** Birth dates a person may enter before the form is refused. */
  birthDateTries: number;
}
export const BOOTH_SETTINGS: BoothSettings = { photoFee: 1000, photoTries: 3, birthDateTries: 3 };

export type BoothUiEvent =
  | { type: 'ui.start' }
  | { type: 'ui.enterBirthDate'; birthDate: string }
  | { type: 'ui.setOptions'; certificates: boolean; braille: boolean }
  | { type: 'ui.takePhoto' }
  | { type: 'ui.acceptPhoto' }
  | { type: 'ui.retakePhoto' }
  | { type: 'ui.confirm' }
  | { type: 'ui.back' }
  | { type: 'ui.cancel' }
  | { type: 'ui.done' }
  | { type: 'ui.continue' };

export type BoothDeviceEvent =
  | { type: 'cash.inserted'; amount: number; total: number }
  | { type: 'cash.refunded'; amount: number }
  | { type: 'cash.paidOut'; amount: number }
  | { type: 'cash.payoutFailed'; amount: number }
  /** The scanner read a code: its text (the runtime does not interpret it; the center does). */
  | { type: 'qr.scanned'; text: string }
  | { type: 'camera.taken'; checks: PhotoChecks; sha256: string }
  | { type: 'camera.failed' }
  /** The center knows the form and it can carry an application; with a birth date asked, that it matched. */
  | { type: 'center.form.ok' }
  | { type: 'center.form.refused'; reason: BoothRefusal }
  | { type: 'center.birthDate.wrong' }
  | { type: 'center.application.done'; application: number; arrivesOn: string }
  | { type: 'center.unreachable' }
  | { type: 'print.done' }
  | { type: 'print.failed' }
  /** The runtime cannot safely take money (a journal or disk failure) until staff put it back in service. */
  | { type: 'terminal.outOfOrder' }
  | { type: 'terminal.inService' }
  | { type: 'timeout' };

export type BoothEvent = BoothUiEvent | BoothDeviceEvent;

export type BoothCommand =
  | { type: 'cash.accept'; due: number }
  | { type: 'cash.stop' }
  | { type: 'cash.refund'; amount: number }
  /** The fee kept, the change paid out. */
  | { type: 'cash.payout'; charged: number; change: number }
  | { type: 'scanner.start' }
  | { type: 'scanner.stop' }
  /** Asks J-LIS whether the form can carry an application (and, with `birthDate`, whether it is the person's). */
  | { type: 'center.checkForm'; form: string; birthDate?: string }
  | { type: 'camera.capture' }
  | { type: 'center.apply'; form: string; birthDate: string; certificates: boolean; braille: boolean; photoSha256: string }
  | { type: 'print.slip'; form: string; application: number; arrivesOn: string }
  | { type: 'session.end' };
