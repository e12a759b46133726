// What the booth's screen shows (the touch UI reads it from /api/v1/booth/view): the machine's screen and step, and
// what the person needs to read there. Types only: the browser bundle takes it without the runtime.
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
