// The faults an operator, a journey or a test can give the booth's simulated devices, and their cures: one list and
// one place that applies them, for the operator strip (POST /api/v1/booth/fault) and the journeys' `booth: { fault }`.
import type { IssuanceCenter } from '../../center/issuance-center.ts';
import { Journal, type JournalFact, type JournalRecord } from '../journal.ts';
import type { BoothRuntime, SimSlipPrinter } from './booth-runtime.ts';
import type { BoothFault } from './booth-view.ts';
export { BOOTH_FAULTS, type BoothFault } from './booth-view.ts';
import type { SimCamera, SimQrScanner } from './devices.ts';

/** The booth's journal, whose writes a `storage-error` fault makes fail (EIO) until `storage-ok`. */
export class BoothJournal extends Journal {
  broken = false;

  override append(session: string, at: string, fact: JournalFact): JournalRecord {
    if (this.broken) throw new Error('EIO: the booth\'s storage failed (scripted by the fault storage-error)');
    return super.append(session, at, fact);
  }
}

export interface BoothHands {
  runtime: BoothRuntime;
  camera: SimCamera;
  scanner: SimQrScanner;
  printer: SimSlipPrinter;
  journal: BoothJournal;
  /** The booth's own link to J-LIS (center-down cuts this one only). */
  center: IssuanceCenter;
}

/** Gives a fault or its cure. `resume-service` throws TerminalOutOfOrderError when the booth still cannot serve. */
export function applyBoothFault(h: BoothHands, fault: BoothFault): void {
  switch (fault) {
    case 'camera-fails': return h.camera.failNext();
    case 'paper-out': case 'paper-refill': h.printer.paperOut = fault === 'paper-out'; return;
    case 'scanner-broken': case 'scanner-fixed': return h.scanner.setBroken(fault === 'scanner-broken');
    case 'center-down': case 'center-up': h.center.online = fault === 'center-up'; return;
    case 'storage-error': case 'storage-ok': h.journal.broken = fault === 'storage-error'; return;
    case 'out-of-service': return h.runtime.takeOutOfService('staff took the booth out of service');
    case 'resume-service': return h.runtime.resumeService();
  }
}
