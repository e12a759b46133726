// What the booth's screen shows (the touch UI reads it from /api/v1/booth/view): the machine's screen and step, and
// what the person needs to read there, and the faults the operator strip offers. No runtime: the browser bundle takes it.
import type { BoothContext } from '../../machine/booth/booth-machine.ts';
import type { BoothScreen, PhotoChecks } from '../../machine/booth/types.ts';

/** What the booth's screen shows: the machine's screen and step, and what the person needs to read there. */
export interface BoothView {
  screen: BoothScreen;
  step: string | null;
  fee: number;
  inserted: number;
  warning: boolean;
  reason: BoothContext['reason'];
  notice: BoothContext['notice'];
  birthDateWrong: boolean;
  birthDateTriesLeft: number;
  photo: { checks: PhotoChecks; png: string } | null;
  photoTriesLeft: number;
  options: BoothContext['options'];
  application: BoothContext['application'];
  owed: number;
  /** Whose camera takes the photo: the simulated one, or the browser's (the screen grabs a frame when capturing). */
  camera: 'sim' | 'browser';
}

/** The faults an operator or a journey can give the booth's simulated devices, and their cures (booth-faults.ts applies them). */
export const BOOTH_FAULTS = [
  'camera-fails', 'paper-out', 'paper-refill', 'scanner-broken', 'scanner-fixed', 'center-down', 'center-up',
  // The booth's storage (its journal) fails as a full or broken disk would, and works again.
  'storage-error', 'storage-ok',
  // Staff take the booth out of service, and put it back (what the disk missed is written first).
  'out-of-service', 'resume-service',
] as const;
export type BoothFault = (typeof BOOTH_FAULTS)[number];
