// The photo booth's runtime: its pure machine (machine/booth/) driven by real adapters, as the konbini kiosk's
// runtime drives its own. Commands go to the devices and to J-LIS (the IssuanceCenter the booth is a terminal of);
// their answers come back as events; each screen's idle timeout is armed from the machine's `meta` on the clock.
// The booth trusts its devices' measures (the photo's checks are measured here on the pixels, kiosk/booth/
// photo-checks.ts) and the center's answers; it decides nothing about the form itself.
import { createActor, type Actor, type InspectionEvent, type SnapshotFrom } from 'xstate';
import type { FormRefusal, IssuanceCenter } from '../../center/issuance-center.ts';
import { boothMachine, boothScreenOf } from '../../machine/booth/booth-machine.ts';
export type { BoothView } from './booth-view.ts';
import { BOOTH_REFUSALS, type BoothCommand, type BoothEvent, type BoothRefusal, type BoothScreen, type BoothSettings, type BoothUiEvent } from '../../machine/booth/types.ts';
import type { ApplicationSlip } from '../../printer/document.ts';
import { renderApplicationSlipPdf } from '../../printer/layout/application-slip.ts';
import type { Clock } from '../clock.ts';
import type { CashBox } from '../devices/cash-box.ts';
import { Journal, type JournalFact } from '../journal.ts';
import { DeviceWorkError, describeError } from '../router.ts';
import { TerminalOutOfOrderError, WARNING_SECONDS } from '../runtime.ts';
import { BrowserCamera, type Camera, type QrScanner } from './devices.ts';
import { checkPhoto, photoDigest } from './photo-checks.ts';
import type { BoothView } from './booth-view.ts';
import { encodePng } from './png.ts';

/** Where the booth's slips go: a spool of PDFs (the simulator's printer), which can run out of paper. */
export interface SlipPrinter {
  print(name: string, slip: ApplicationSlip): Promise<void>;
}

/** The simulated slip printer: each slip rendered as a PDF and kept (in memory, for the operator and tests). */
export class SimSlipPrinter implements SlipPrinter {
  readonly printed = new Map<string, Buffer>();
  paperOut = false;

  async print(name: string, slip: ApplicationSlip): Promise<void> {
    if (this.paperOut) throw new Error('out of paper');
    this.printed.set(name, await renderApplicationSlipPdf(slip));
  }
}

export interface BoothRuntimeOptions {
  clock: Clock;
  center: IssuanceCenter;
  cashBox: CashBox;
  scanner: QrScanner;
  camera: Camera;
  printer: SlipPrinter;
  /** The booth's terminal id at the center (its applications carry it). */
  terminalId: string;
  settings?: Partial<BoothSettings>;
  /** Every event and command, for debugging (never a picture, never a birth date). */
  log?: (line: string) => void;
  /**
   * The money journal (kiosk/journal.ts), written before the machine hears of each money fact: a booth killed at any
   * point is settled from it at the next start (booth-recovery.ts). In memory when omitted.
   */
  journal?: Journal;
  /** Every transition, for the model-based test and coverage (as the konbini runtime's `inspect`). */
  inspect?: (e: InspectionEvent) => void;
  /**
   * For a model-based test: the device work the machine asks for (the center, the camera, the printer, the money
   * going back) waits until `releaseDeviceWork()` runs it, so that every screen in between can be observed.
   */
  holdDeviceWork?: boolean;
}

/** The commands whose answer comes back as an event: the ones a model-based test may hold back. */
const ANSWERED: ReadonlySet<BoothCommand['type']> = new Set(['center.checkForm', 'camera.capture', 'center.apply', 'print.slip', 'cash.refund', 'cash.payout']);


export class BoothRuntime {
  readonly actor: Actor<typeof boothMachine>;
  readonly #o: BoothRuntimeOptions;
  #cancelTimer: (() => void) | null = null;
  /** The last photograph, as a PNG data URL for the review screen (forgotten when the session ends). */
  #photoPng: string | null = null;
  #session = 0;
  /** This session's name in the journal: the terminal, the time it began, a counter (unique across restarts). */
  #sessionName = '';
  #work: Promise<void> = Promise.resolve();
  readonly journal: Journal;
  /** Why the booth is out of order (the next person is turned away), or null. */
  #outOfOrder: string | null = null;
  /** Money facts the journal failed to take: written first thing when it takes records again. */
  #unjournaled: Array<{ session: string; at: string; fact: JournalFact }> = [];
  /** Device work held back for a model-based test (holdDeviceWork). */
  #held: BoothCommand[] = [];

  constructor(o: BoothRuntimeOptions) {
    this.#o = o;
    this.journal = o.journal ?? new Journal();
    this.#sessionName = this.#newSessionName();
    this.actor = createActor(boothMachine, { input: { settings: o.settings }, inspect: o.inspect });
    this.actor.on('*', (command) => this.#route(command as BoothCommand));
    o.cashBox.onStorageError((e) => this.takeOutOfService(`the cash box cannot write its state (${describeError(e)})`));
    this.actor.subscribe((s) => this.#armTimer(s));
    this.actor.start();
  }

  get snapshot(): SnapshotFrom<typeof boothMachine> {
    return this.actor.getSnapshot();
  }

  get screen(): BoothScreen {
    return boothScreenOf(this.snapshot.value);
  }

  /** A tap of the person (ui.* events only). */
  send(event: BoothUiEvent): void {
    this.#send(event);
  }

  /** A coin or bill into the acceptor: whether it was taken. */
  insertCash(yen: number): boolean {
    const r = this.#o.cashBox.insert(yen);
    if (r.accepted) {
      // The coin is in escrow already: it is counted whatever the journal says.
      this.#journalOrLog(this.#sessionName, { type: 'cash.in', amount: yen, total: this.#o.cashBox.escrowTotal });
      this.#send({ type: 'cash.inserted', amount: yen, total: this.#o.cashBox.escrowTotal });
    }
    return r.accepted;
  }

  /** Why the booth is out of order, or null when it serves. */
  get outOfOrder(): string | null {
    return this.#outOfOrder;
  }

  /**
   * The booth cannot safely take money (its journal or its cash box's state cannot be written, or staff say so): the
   * next person is turned away until staff put it back in service. A session under way finishes, its money going
   * back or paid as change; the records the journal missed wait in memory.
   */
  takeOutOfService(why: string): void {
    if (this.#outOfOrder) return;
    this.#outOfOrder = why.replace(/\.+$/, '');
    this.#o.log?.(`OUT OF ORDER: ${this.#outOfOrder}. Fix it, then put the booth back in service on the operator strip.`);
    this.#send({ type: 'terminal.outOfOrder' });
  }

  /** Staff put the booth back in service: what the disk missed is written first; throws TerminalOutOfOrderError if it still cannot be. */
  resumeService(): void {
    const was = this.#outOfOrder;
    if (!was) return;
    try {
      this.#o.cashBox.flush();
      this.#flushJournal();
    } catch (e) {
      throw new TerminalOutOfOrderError(`${was}; still: ${describeError(e)}`);
    }
    this.#o.log?.(`back in service (was out of order: ${was})`);
    this.#outOfOrder = null;
    this.#send({ type: 'terminal.inService' });
  }

  /** Journals a fact of money that has moved already: a failing journal takes the booth out of order, the fact waits. */
  #journalOrLog(session: string, fact: JournalFact): void {
    const at = this.#o.clock.now();
    try {
      this.#flushJournal();
      this.journal.append(session, at, fact);
    } catch (e) {
      this.#unjournaled.push({ session, at, fact });
      this.takeOutOfService(`the journal cannot be written (${describeError(e)})`);
    }
  }

  #flushJournal(): void {
    while (this.#unjournaled.length) {
      const { session, at, fact } = this.#unjournaled[0];
      this.journal.append(session, at, fact);
      this.#unjournaled.shift();
    }
  }

  /** The device work held back (holdDeviceWork), oldest first. */
  get heldDeviceWork(): ReadonlyArray<BoothCommand['type']> {
    return this.#held.map((c) => c.type);
  }

  /** Runs the oldest held device work of that kind (or the oldest of all); resolves when it has answered. */
  async releaseDeviceWork(kind?: BoothCommand['type']): Promise<void> {
    const i = kind ? this.#held.findIndex((c) => c.type === kind) : 0;
    if (i < 0 || !this.#held.length) throw new DeviceWorkError(`Releasing ${kind ?? 'device work'} when ${this.#held.map((c) => c.type).join(', ') || 'none'} is waiting is not possible on the ${this.screen} screen.`);
    const [command] = this.#held.splice(i, 1);
    this.#execute(command);
    await this.settled();
  }

  #newSessionName(): string {
    return `${this.#o.terminalId}-${this.#o.clock.nowMs()}-${this.#session}`;
  }

  /** Resolves when the device work started so far has answered (for tests and journeys). */
  async settled(): Promise<void> {
    let before: Promise<void>;
    do {
      before = this.#work;
      await before;
    } while (before !== this.#work);
  }

  view(): BoothView {
    const s = this.snapshot;
    const c = s.context;
    const inner = typeof s.value === 'string' ? (s.value === 'sending' ? 'sending' : null) : stepOf(s.value);
    return {
      screen: this.screen, step: inner === this.screen ? null : inner, fee: c.settings.photoFee, inserted: c.inserted, warning: c.warning, reason: c.reason, notice: c.notice,
      birthDateWrong: c.birthDateWrong, birthDateTriesLeft: c.settings.birthDateTries - c.birthDateTries,
      photo: c.photo && this.#photoPng ? { checks: c.photo.checks, png: this.#photoPng } : null,
      photoTriesLeft: c.settings.photoTries - c.photoTries, options: c.options, application: c.application, owed: c.owed,
      camera: this.#o.camera instanceof BrowserCamera ? 'browser' : 'sim',
    };
  }

  stop(): void {
    this.#cancelTimer?.();
    this.actor.stop();
  }

  #send(event: BoothEvent): void {
    this.#o.log?.(`event ${event.type}`);
    this.actor.send(event);
  }

  /** Device work runs one piece after another; its answer comes back as an event. */
  #track(work: () => Promise<BoothEvent | null>): void {
    const session = this.#session;
    this.#work = this.#work.then(async () => {
      const event = await work();
      // An answer for a session that has ended (a cancel while the center was asked) is dropped.
      if (event && session === this.#session) this.#send(event);
    });
  }

  /** A command the machine emitted: done now, or held back for a test (holdDeviceWork). */
  #route(command: BoothCommand): void {
    this.#o.log?.(`command ${command.type}`);
    if (command.type === 'session.end') this.#held = [];
    if (this.#o.holdDeviceWork && ANSWERED.has(command.type)) this.#held.push(command);
    else this.#execute(command);
  }

  #execute(command: BoothCommand): void {
    const { cashBox, scanner, camera, center, clock, terminalId } = this.#o;
    switch (command.type) {
      case 'cash.accept':
        cashBox.accept(command.due);
        break;
      case 'cash.stop':
        cashBox.stop();
        break;
      case 'cash.refund': {
        const name = this.#sessionName;
        this.#track(async () => {
          const n = cashBox.refundEscrow(`${name}-refund`);
          this.#journalOrLog(name, { type: 'cash.refunded', amount: n });
          return { type: 'cash.refunded', amount: n };
        });
        break;
      }
      case 'cash.payout': {
        const name = this.#sessionName;
        this.#track(async () => {
          const collected = cashBox.collect(`${name}-collect`);
          this.#journalOrLog(name, { type: 'payment.collected', amount: collected, due: command.charged });
          let paid = true;
          if (command.change > 0) {
            this.#journalOrLog(name, { type: 'cash.payout.start', op: `${name}-change`, amount: command.change });
            paid = cashBox.payout(command.change, `${name}-change`).paid;
          }
          this.#journalOrLog(name, { type: 'cash.out', change: paid ? command.change : 0, refunded: 0, charged: command.charged, paid });
          if (command.change <= 0) return null;
          return paid ? { type: 'cash.paidOut', amount: command.change } : { type: 'cash.payoutFailed', amount: command.change };
        });
        break;
      }
      case 'scanner.start':
        scanner.start((text) => this.#send({ type: 'qr.scanned', text: text.slice(0, 512) }));
        break;
      case 'scanner.stop':
        scanner.stop();
        break;
      case 'center.checkForm':
        this.#track(async () => {
          try {
            const a = await center.checkForm({ form: command.form, ...(command.birthDate ? { birthDate: command.birthDate } : {}), at: clock.now(), terminal: terminalId });
            if (a.ok) return { type: 'center.form.ok' };
            return 'wrongBirthDate' in a ? { type: 'center.birthDate.wrong' } : { type: 'center.form.refused', reason: boothRefusal(a.reason) };
          } catch {
            return { type: 'center.unreachable' };
          }
        });
        break;
      case 'camera.capture':
        this.#track(async () => {
          try {
            const photo = await camera.capture();
            const { checks } = checkPhoto(photo);
            this.#photoPng = `data:image/png;base64,${encodePng(photo).toString('base64')}`;
            return { type: 'camera.taken', checks, sha256: photoDigest(photo) };
          } catch {
            return { type: 'camera.failed' };
          }
        });
        break;
      case 'center.apply': {
        const name = this.#sessionName;
        this.#track(async () => {
          try {
            // Said before it goes: after a crash, recovery asks J-LIS whether the form carries an application now.
            // A journal that cannot say it keeps the application from going (the money goes back, staff are told).
            try {
              this.journal.append(name, clock.now(), { type: 'booth.applying', form: command.form });
            } catch (e) {
              this.takeOutOfService(`the journal cannot be written (${describeError(e)})`);
              return { type: 'center.unreachable' };
            }
            const a = await center.applyForCard({ ...command, at: clock.now(), terminal: terminalId });
            if (a.ok) this.#journalOrLog(name, { type: 'booth.applied', form: command.form, application: a.application });
            return a.ok ? { type: 'center.application.done', application: a.application, arrivesOn: a.arrivesOn } : { type: 'center.form.refused', reason: boothRefusal(a.reason) };
          } catch {
            return { type: 'center.unreachable' };
          }
        });
        break;
      }
      case 'print.slip': {
        const c = this.snapshot.context;
        const slip: ApplicationSlip = {
          formId: command.form, application: command.application, appliedAt: clock.now(), arrivesOn: command.arrivesOn,
          certificates: c.options.certificates, braille: c.options.braille, boothId: terminalId, fee: c.settings.photoFee,
        };
        this.#track(async () => {
          try {
            await this.#o.printer.print(`slip-${terminalId}-${command.application}.pdf`, slip);
            return { type: 'print.done' };
          } catch {
            return { type: 'print.failed' };
          }
        });
        break;
      }
      case 'session.end':
        this.#session++;
        this.#sessionName = this.#newSessionName();
        this.#photoPng = null;
        break;
    }
  }

  /** Each screen declares its idle timeout in `meta`; the machine only ever hears `timeout`. */
  #armTimer(s: SnapshotFrom<typeof boothMachine>): void {
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    const metas = Object.values(s.getMeta() as Record<string, { timeout?: number } | undefined>);
    const seconds = s.context.warning ? WARNING_SECONDS : metas.reverse().find((m) => m?.timeout)?.timeout;
    if (!seconds || s.status !== 'active') return;
    this.#cancelTimer = this.#o.clock.setTimer(seconds * 1000, () => {
      this.#cancelTimer = null;
      this.#send({ type: 'timeout' });
    });
  }
}

/**
 * J-LIS's reason as the booth's screen words it: a photograph J-LIS found missing is the photo's refusal; a malformed
 * ID (which the booth never sends: it sends the 23 digits it read) is a form J-LIS does not know.
 */
function boothRefusal(reason: FormRefusal): BoothRefusal {
  if ((BOOTH_REFUSALS as readonly string[]).includes(reason)) return reason as BoothRefusal;
  return reason === 'form-malformed' ? 'form-unknown' : 'photo-rejected';
}

/** The innermost step of a state value ({ session: { photo: 'review' } } → 'review'), or null. */
function stepOf(value: unknown): string | null {
  let v = value;
  let last: string | null = null;
  while (v && typeof v === 'object') {
    const [k, inner] = Object.entries(v as Record<string, unknown>)[0];
    last = k;
    v = inner;
  }
  return typeof v === 'string' ? v : last;
}
