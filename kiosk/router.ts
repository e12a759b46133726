// The router of the diagram: each command the machine emits goes to its device (the card terminal, the center, the
// cash box, the printer) and its outcome comes back to the machine as an event. It holds what one person's device
// work needs between commands (the center's one-time session, the issuance being printed, the PIN pad) and
// nothing of the machine's. Facts go to the journal before the machine hears of them, through the runtime (its
// host), which owns the journal's ordering, the out-of-order state and the tracking of work under way.
import { defectOn } from '../center/defects.ts';
import type { KioskCommand, KioskEvent } from '../machine/events.ts';
import type { PrintFailure, ResettablePin } from '../machine/types.ts';
import { settlement } from '../machine/rules/money.ts';
import { CenterUnreachableError, IssuanceRefusedError, type Issuance, type IssuanceCenter } from '../center/issuance-center.ts';
import type { Receipt, RefundSlip } from '../printer/document.ts';
import { PrinterFaultError } from '../printer/errors.ts';
import type { Printer } from '../printer/printer.ts';
import { certificateFileName } from '../printer/sinks.ts';
import { CardRemovedError } from '../reader/session.ts';
import { ReadCancelledError, type CardTerminal } from './card-terminal.ts';
import type { Clock } from './clock.ts';
import type { CashBox } from './devices/cash-box.ts';
import type { PinPad } from './devices/pin-pad.ts';
import type { JournalFact } from './journal.ts';
import { cashOp } from './recovery.ts';

/** What the router needs of the runtime that hosts it. */
export interface RouterHost {
  /** The person's session (journal records and cash-box operations are keyed by it). */
  readonly session: string;
  readonly screen: string;
  send(event: KioskEvent): void;
  /** Journals a fact; throws when the journal cannot take it (the router then must not act on it). */
  journal(fact: JournalFact): void;
  /** Journals a fact of money that has already moved: a failure takes the terminal out of order instead. */
  journalOrLog(fact: JournalFact): void;
  outOfOrder(why: string): void;
  /** Device work under way (the runtime's settled() waits for it). */
  track(work: () => Promise<void>): void;
  /** An error no event can express (a journey fails on any). */
  error(e: Error): void;
  log(line: string): void;
  settled(): Promise<void>;
}

export interface RouterOptions {
  clock: Clock;
  center: IssuanceCenter;
  printer: Printer;
  cashBox: CashBox;
  terminal: CardTerminal;
  pinPad: PinPad;
  /** The new PIN of a JPKI reset, typed twice. */
  newPinPads: { first: PinPad; again: PinPad };
  storeName?: string;
  terminalId?: string;
  /** Hold device work that answers with an event until a test releases it (the model-based test's control). */
  holdDeviceWork?: boolean;
  /** The watchdog's time for the center's issuance and for each document (default 120 s). */
  deviceTimeoutMs?: number;
}

/** Device work that did not answer within the watchdog's time. */
export class DeviceTimeoutError extends Error {
  override readonly name = 'DeviceTimeoutError';
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${Math.round(ms / 1000)} s`);
  }
}

/** The store a receipt and a refund slip name when the terminal is given none. */
const STORE_NAME = 'シミュレーター店（テスト）';

/** Issuance refusals that time explains (the service closed, or a maintenance window began, since authentication). */
const TIMELY_REFUSALS: ReadonlySet<string> = new Set(['service-closed', 'maintenance', 'session-unknown']);

/** Commands whose device work answers with an event (the others act at once and answer nothing). */
const ANSWERED: ReadonlySet<KioskCommand['type']> = new Set(['reader.readCard', 'reader.verifyPin', 'reader.resetPin', 'center.authenticate', 'center.registerDomicile', 'cash.refund', 'print.start', 'cash.payout']);

/** An error in a line for staff: its kind and message, never a stack. */
export const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 300);

/** The runtime was asked for device work that is not waiting (a test's release out of turn). */
export class DeviceWorkError extends Error {
  override readonly name = 'DeviceWorkError';
}

export class DeviceRouter {
  readonly #o: RouterOptions;
  readonly #host: RouterHost;
  /** The issuance being printed, for a refund slip. */
  #issuance: string | null = null;
  /** What this person paid for and what came out, for a refund slip: the certificate, its fee, copies and printed. */
  #printing: { title: string; unitFee: number; copies: number; printed: number } | null = null;
  /** The center's one-time session for the authenticated person (never in the machine or its snapshot). */
  #centerSession: string | null = null;
  /** Device work held back for a model-based test (holdDeviceWork). */
  #held: KioskCommand[] = [];

  constructor(options: RouterOptions, host: RouterHost) {
    this.#o = options;
    this.#host = host;
  }

  /** The device work held back (holdDeviceWork), oldest first. */
  get heldDeviceWork(): ReadonlyArray<KioskCommand['type']> {
    return this.#held.map((c) => c.type);
  }

  /** Runs the oldest held device work; resolves when it has answered. */
  async releaseDeviceWork(expected?: KioskCommand['type']): Promise<void> {
    const command = this.#held.shift();
    if (!command) throw new DeviceWorkError(`Releasing device work (${expected ?? 'any'}) when none is waiting is not possible on the ${this.#host.screen} screen.`);
    if (expected && command.type !== expected) throw new DeviceWorkError(`Releasing ${expected} when ${command.type} is waiting is not possible on the ${this.#host.screen} screen.`);
    this.#execute(command);
    await this.#host.settled();
  }

  /** A command the machine emitted: done now, or held back for a test (holdDeviceWork). */
  route(command: KioskCommand): void {
    this.#host.log(`command ${command.type}`);
    if (command.type === 'session.end') this.#held = [];
    if (this.#o.holdDeviceWork && ANSWERED.has(command.type)) {
      this.#held.push(command);
      return;
    }
    this.#execute(command);
  }

  #execute(command: KioskCommand): void {
    const { center, cashBox, clock } = this.#o;
    switch (command.type) {
      case 'reader.readCard':
        this.#o.terminal.waitForCard().then(
          () => this.#host.track(async () => {
            this.#host.send({ type: 'card.placed' });
            const outcome = await this.#o.terminal.read();
            this.#host.send(outcome.ok ? { type: 'card.read.done', card: outcome.card, at: clock.now() } : { type: 'card.read.failed', reason: outcome.reason });
          }),
          (e) => {
            if (!(e instanceof ReadCancelledError)) this.#host.error(e);
          },
        );
        return;
      case 'reader.cancelRead':
        this.#o.terminal.cancelWait();
        return;
      case 'reader.verifyPin':
        return this.#host.track(async () => {
          if (!this.#o.pinPad.holding) throw new DeviceWorkError(`A PIN check with no PIN entered is not possible on the ${this.#host.screen} screen.`);
          try {
            // The pad wipes its buffer as soon as the VERIFY has the digits.
            const r = (await this.#o.pinPad.use((pin) => this.#o.terminal.verifyPin(pin, command.pin)))!;
            this.#host.send(r.result === 'ok' ? { type: 'card.pin.ok' } : r.result === 'locked' ? { type: 'card.pin.locked' } : { type: 'card.pin.wrong', triesLeft: r.triesLeft });
          } catch (e) {
            // A removed card is reported by the reader itself; anything else is a broken card.
            if (!(e instanceof CardRemovedError)) this.#host.send({ type: 'card.read.failed', reason: 'card-read-error' });
          }
        });
      case 'reader.resetPin':
        return this.#host.track(() => this.#resetPin(command.pin));
      case 'center.authenticate':
        return this.#host.track(async () => {
          try {
            const challenge = await center.challenge();
            const { certificate, signature } = await this.#o.terminal.sign(challenge);
            const r = await center.authenticate({ certificate, challenge, signature, scope: command.scope, city: command.city, at: clock.now() });
            if (r.ok) {
              // The session token stays here, out of the machine: only this session can ask for this person's documents.
              this.#centerSession = r.session;
              this.#host.send({ type: 'center.auth.done', holder: r.holder, city: r.city, at: clock.now() });
            } else {
              this.#host.log(`center refused authentication: ${r.cause}`);
              this.#host.send({ type: 'center.auth.refused', reason: r.reason, cause: r.cause });
            }
          } catch (e) {
            if (e instanceof CenterUnreachableError) this.#host.send({ type: 'center.unreachable' });
            else if (!(e instanceof CardRemovedError)) this.#host.send({ type: 'center.auth.refused', reason: 'card-read-error' });
          } finally {
            this.#o.terminal.forget();
          }
        });
      case 'center.registerDomicile':
        return this.#host.track(async () => {
          // The session authenticated for the 本籍地 is used once, for the registration.
          const session = this.#centerSession ?? '';
          this.#centerSession = null;
          try {
            const r = await center.registerDomicile({ session, at: clock.now(), terminal: this.#o.terminalId ?? 'K01' });
            this.#host.send({ type: 'center.registration.done', city: r.city, usableFrom: r.usableFrom });
          } catch (e) {
            if (!(e instanceof CenterUnreachableError)) this.#host.log(`center refused the registration: ${(e as Error).message}`);
            this.#host.send({ type: 'center.unreachable' });
          }
        });
      case 'cash.accept':
        cashBox.accept(command.due);
        return;
      case 'cash.stop':
        cashBox.stop();
        return;
      case 'cash.refund':
        return this.#host.track(async () => {
          const amount = cashBox.refundEscrow(cashOp(this.#host.session, 'refund'));
          this.#host.journalOrLog({ type: 'cash.refunded', amount });
          this.#host.send({ type: 'cash.refunded', amount });
        });
      case 'print.start':
        return this.#host.track(() => this.#print(command));
      case 'cash.payout':
        return this.#host.track(() => this.#payOut(command));
      case 'session.end':
        this.#o.terminal.cancelWait();
        this.#o.terminal.forget();
        this.#o.pinPad.wipe();
        this.#o.newPinPads.first.wipe();
        this.#o.newPinPads.again.wipe();
        cashBox.stop();
        this.#issuance = null;
        this.#printing = null;
        this.#centerSession = null;
        return;
    }
  }

  /**
   * A JPKI reset at the kiosk: the new PIN's two entries compared (a mismatch writes nothing and asks again), the
   * center asked with the other PIN's signature (it checks the reservation and uses it), then the card written. The
   * pads are wiped whatever happens.
   */
  async #resetPin(pin: ResettablePin): Promise<void> {
    const { first, again } = this.#o.newPinPads;
    if (!first.sameAs(again)) {
      // Nothing written; the card session stays for the next pair of entries.
      first.wipe();
      again.wipe();
      this.#host.send({ type: 'pin.mismatch' });
      return;
    }
    const { center, clock, terminal } = this.#o;
    try {
      if (!terminal.issuerWrite) {
        this.#host.log('PIN reset: this reader\'s card cannot be written by the kiosk');
        this.#host.send({ type: 'card.read.failed', reason: 'card-read-error' });
        return;
      }
      const challenge = await center.challenge();
      const { certificate, proof } = await terminal.proveForReset(pin, challenge);
      const r = await center.resetPin({ pin, certificate, proof, challenge, at: clock.now(), terminal: this.#o.terminalId ?? 'K01' });
      if (!r.ok) {
        this.#host.log(`center refused the PIN reset: ${r.cause}`);
        this.#host.send({ type: 'center.auth.refused', reason: r.reason, cause: r.cause });
        return;
      }
      await first.use(async (value) => terminal.issuerWrite!(pin, value));
      this.#host.send({ type: 'card.pin.reset' });
    } catch (e) {
      if (e instanceof CenterUnreachableError) this.#host.send({ type: 'center.unreachable' });
      else if (!(e instanceof CardRemovedError)) {
        this.#host.log(`PIN reset failed: ${(e as Error).name}`);
        this.#host.send({ type: 'card.read.failed', reason: 'card-read-error' });
      }
    } finally {
      first.wipe();
      again.wipe();
      terminal.forget();
    }
  }

  /**
   * Collect, issue, print each copy, print the receipt. Whatever fails on the way to paper, the machine hears
   * print.failed with the copies that came out, and the money is settled as for any failure: a fault the printer
   * names (paper, jam, offline) keeps the terminal in service; anything else (the spool, the disk, the journal, a
   * printer or center that never answers, caught by the watchdog) is a printer error and takes it out of order.
   */
  async #print(command: Extract<KioskCommand, { type: 'print.start' }>): Promise<void> {
    const { center, cashBox, printer, clock } = this.#o;
    const { request } = command;
    let printed = 0;
    let inserted = 0;
    let issued: Issuance | null = null;
    const fail = (reason: PrintFailure, why?: unknown) => {
      // The defect pack (center/defects.ts): the failure is logged and nobody acts on it; the copies count as printed.
      if (defectOn('adachi-unheeded-error')) {
        this.#host.log(`printing failed (${reason}); not acted on`);
        return this.#host.send({ type: 'print.done', printed: request.copies });
      }
      if (why !== undefined && reason === 'printer-error') this.#host.outOfOrder(`printing failed: ${describeError(why)}`);
      this.#host.journalOrLog({ type: 'print.failed', issuanceNumber: issued?.issuanceNumber ?? null, reason, printed });
      this.#host.send({ type: 'print.failed', reason, printed });
    };
    try {
      // The collect's key lets recovery ask the cash box whether it happened when the kill came before this record.
      inserted = cashBox.collect(cashOp(this.#host.session, 'collect'));
      this.#host.journal({ type: 'payment.collected', amount: inserted, due: request.unitFee * request.copies, unitFee: request.unitFee, copies: request.copies });
    } catch (e) {
      return fail('printer-error', e);
    }
    try {
      const session = this.#centerSession ?? '';
      this.#centerSession = null;
      issued = await this.#watched('the issuance center', center.issue({ session, holder: command.holder, request, at: clock.now(), terminal: this.#o.terminalId ?? 'K01' }));
    } catch (e) {
      // Nothing printed: the whole payment goes back. A refusal that time does not explain means the kiosk and the
      // center disagree on a rule, which is a bug worth an error as well as a refund.
      if (e instanceof CenterUnreachableError) {
        this.#host.log(`center: ${(e as Error).message}`);
        return fail('center-unreachable');
      }
      if (e instanceof IssuanceRefusedError) {
        fail('issuance-refused');
        if (TIMELY_REFUSALS.has(e.refusal)) this.#host.log(`center refused the issuance: ${e.refusal}`);
        else this.#host.error(e);
        return;
      }
      return fail('printer-error', e);
    }
    this.#issuance = issued.issuanceNumber;
    this.#printing = { title: issued.certificates[0]?.title ?? '', unitFee: request.unitFee, copies: request.copies, printed: 0 };
    try {
      this.#host.journal({ type: 'issued', issuanceNumber: issued.issuanceNumber, certificate: issued.certificates[0]?.title ?? '', copies: request.copies, unitFee: request.unitFee });
      for (const cert of issued.certificates) {
        // Write-ahead: recovery finds this intent and asks the printer whether the copy came out before the kill.
        this.#host.journal({ type: 'print.copy.start', issuanceNumber: cert.issuanceNumber, copy: cert.copyIndex, of: cert.copies, name: certificateFileName(cert) });
        const doc = await this.#watched(`printing copy ${cert.copyIndex} of ${cert.copies}`, printer.printCertificate(cert));
        printed += 1;
        this.#printing.printed = printed;
        this.#host.journal({ type: 'print.copy', issuanceNumber: cert.issuanceNumber, copy: cert.copyIndex, of: cert.copies, file: doc.path });
        // The log learns the printed file's digest, so that `kiosk verify FILE.pdf` spots a changed copy. A lost
        // answer only weakens that check (the code still verifies), so it never stops the printing.
        if (doc.sha256) {
          await this.#watched('the issuance center', center.recordPrinted({ verificationCode: cert.verificationCode, pdfSha256: doc.sha256 }))
            .catch((e) => this.#host.log(`center did not take the digest: ${describeError(e)}`));
        }
        this.#host.send({ type: 'print.progress', printed, total: request.copies });
      }
    } catch (e) {
      if (e instanceof PrinterFaultError) return fail(e.fault === 'offline' ? 'printer-offline' : e.fault);
      return fail('printer-error', e);
    }
    const s = settlement({ inserted, unitFee: request.unitFee, copies: request.copies, printed });
    const receipt: Receipt = {
      issuanceNumber: issued.issuanceNumber, issuedAt: clock.now(), storeName: this.#o.storeName ?? STORE_NAME,
      terminalId: this.#o.terminalId ?? 'K01',
      lines: [{ title: issued.certificates[0].title, copies: request.copies, unitFee: request.unitFee, printed }],
      charged: s.charged, inserted, change: s.change, refunded: s.refunded,
    };
    try {
      const doc = await this.#watched('printing the receipt', printer.printReceipt(receipt));
      this.#host.journal({ type: 'print.receipt', issuanceNumber: issued.issuanceNumber, file: doc.path });
    } catch (e) {
      // The certificates are out and paid for; a missing receipt is noted for staff, not charged to the person.
      const why = e instanceof PrinterFaultError ? e.fault : 'printer-error';
      if (!(e instanceof PrinterFaultError)) this.#host.outOfOrder(`printing the receipt failed: ${describeError(e)}`);
      this.#host.journalOrLog({ type: 'print.failed', issuanceNumber: issued.issuanceNumber, reason: `receipt:${why}`, printed });
    }
    this.#host.send({ type: 'print.done', printed });
  }

  async #payOut({ amount, change, refunded, charged }: Extract<KioskCommand, { type: 'cash.payout' }>): Promise<void> {
    // Write-ahead with an idempotency key: a payout the kill interrupted is asked again under the same key and the
    // cash box pays it at most once. The money goes back even when the journal cannot take the records.
    const op = cashOp(this.#host.session, 'payout');
    this.#host.journalOrLog({ type: 'cash.payout.start', op, amount });
    let paid: boolean;
    try {
      paid = this.#o.cashBox.payout(amount, op).paid;
    } catch (e) {
      this.#host.outOfOrder(`the cash box failed: ${describeError(e)}`);
      paid = false;
    }
    this.#host.journalOrLog({ type: 'cash.out', change, refunded, charged, paid });
    if (!paid) {
      // The tubes cannot pay: a refund slip records what the store owes, so no yen is lost.
      this.#host.journalOrLog({ type: 'refund.slip', amount, issuanceNumber: this.#issuance });
      await this.#printRefundSlip(amount);
      this.#host.send({ type: 'cash.payoutFailed', amount });
      return;
    }
    this.#host.send({ type: 'cash.paidOut', amount });
  }

  /**
   * The slip the store pays at the counter: the copies paid for and not printed, and change the tubes could not pay.
   * Journaled before (refund.slip), so a slip the printer cannot put out is still owed: staff see why, and the
   * person is told by the screen; the printer's failure never stops the session.
   */
  async #printRefundSlip(amount: number): Promise<void> {
    const p = this.#printing;
    const slip: RefundSlip = {
      issuanceNumber: this.#issuance, issuedAt: this.#o.clock.now(), storeName: this.#o.storeName ?? STORE_NAME, terminalId: this.#o.terminalId ?? 'K01', amount,
      failed: p && p.printed < p.copies
        ? [{ title: p.title, unitFee: p.unitFee, copies: p.copies, failedCopies: Array.from({ length: p.copies - p.printed }, (_, i) => p.printed + i + 1) }]
        : [],
    };
    try {
      const doc = await this.#watched('printing the refund slip', this.#o.printer.printRefundSlip(slip));
      this.#host.journalOrLog({ type: 'print.refundSlip', issuanceNumber: this.#issuance, amount, file: doc.path });
    } catch (e) {
      const why = e instanceof PrinterFaultError ? e.fault : 'printer-error';
      if (!(e instanceof PrinterFaultError)) this.#host.outOfOrder(`printing the refund slip failed: ${describeError(e)}`);
      this.#host.journalOrLog({ type: 'print.failed', issuanceNumber: this.#issuance, reason: `refund-slip:${why}`, printed: p?.printed ?? 0 });
    }
  }

  /** `work`, or a DeviceTimeoutError once the watchdog's time has passed (the work is left to end on its own). */
  async #watched<T>(what: string, work: Promise<T>): Promise<T> {
    const ms = this.#o.deviceTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeviceTimeoutError(what, ms)), ms);
      timer.unref?.();
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
