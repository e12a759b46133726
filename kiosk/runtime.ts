// The kiosk runtime: runs the pure machine, routes its commands to the devices, turns device results and time
// into events, journals every money and print fact before the machine hears of it, and keeps the PIN out of
// the machine. The UI, the operator panel and headless journeys all drive a terminal through this one class.
import { renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createActor, type Actor, type InspectionEvent, type SnapshotFrom } from 'xstate';
import { kioskMachine, screenOf, type KioskContext } from '../machine/kiosk-machine.ts';
import type { KioskCommand, KioskEvent, UiEvent } from '../machine/events.ts';
import type { Screen } from '../machine/types.ts';
import { settlement } from '../machine/rules/money.ts';
import { CenterUnreachableError, type Issuance, type IssuanceCenter } from '../center/issuance-center.ts';
import type { IssuedCertificate, Receipt } from '../printer/document.ts';
import { PrinterFaultError } from '../printer/errors.ts';
import { CardRemovedError } from '../reader/session.ts';
import { CardTerminal, ReadCancelledError, type ReaderAdapter } from './card-terminal.ts';
import type { Clock } from './clock.ts';
import type { SimCashBox } from './devices/cash-box.ts';
import { PinPad } from './devices/pin-pad.ts';
import { Journal, type JournalFact } from './journal.ts';
import { viewOf, type KioskView } from './view.ts';

export interface PrinterDevice {
  printCertificate(cert: IssuedCertificate): Promise<{ path: string | null; sha256: string | null }>;
  printReceipt(receipt: Receipt): Promise<{ path: string | null }>;
  status(): { paper: number; jammed: boolean; online: boolean; sheetsPrinted: number };
}

export interface RuntimeOptions {
  clock: Clock;
  reader: ReaderAdapter;
  center: IssuanceCenter;
  printer: PrinterDevice;
  cashBox: SimCashBox;
  journal?: Journal;
  /** Where the machine snapshot is persisted after every step (for crash recovery); none when omitted. */
  stateDir?: string;
  storeName?: string;
  terminalId?: string;
  inspect?: (e: InspectionEvent) => void;
  log?: (line: string) => void;
  /**
   * Model-based tests step the devices one result at a time: device work that answers with an event waits in a
   * queue until `releaseDeviceWork()` runs it, so that every intermediate screen can be observed.
   */
  holdDeviceWork?: boolean;
}

/** Commands whose device work answers with an event (the others act at once and answer nothing). */
const ANSWERED: ReadonlySet<KioskCommand['type']> = new Set(['reader.readCard', 'reader.verifyPin', 'center.authenticate', 'cash.refund', 'print.start', 'cash.payout']);

/** UI events as a screen sends them: the runtime stamps the time on those whose rules need it. */
type WithoutTime<E> = E extends unknown ? Omit<E, 'at'> : never;
export type UiInput = WithoutTime<UiEvent>;

export class KioskStateError extends Error {
  constructor(what: string, screen: string) {
    super(`${what} is not possible on the ${screen} screen.`);
    this.name = 'KioskStateError';
  }
}

/** Seconds the timeout warning stays before the screen's timeout acts. */
export const WARNING_SECONDS = 30;

export class KioskRuntime {
  readonly actor: Actor<typeof kioskMachine>;
  readonly journal: Journal;
  readonly terminal: CardTerminal;
  readonly pinPad = new PinPad();
  session = randomUUID();
  readonly #o: RuntimeOptions;
  readonly #pending = new Set<Promise<void>>();
  readonly #listeners = new Set<(s: SnapshotFrom<typeof kioskMachine>) => void>();
  readonly #errors: Error[] = [];
  #timerKey = '';
  #cancelTimer: (() => void) | null = null;
  /** Yen inserted in this session, as the cash box counted it (for the settlement after printing). */
  #inserted = 0;
  /** The issuance being printed, for a refund slip. */
  #issuance: string | null = null;
  /** The center's one-time session for the authenticated person (never in the machine or its snapshot). */
  #centerSession: string | null = null;
  /** Device work held back for a model-based test (holdDeviceWork). */
  #held: KioskCommand[] = [];
  #offReader: Array<() => void> = [];

  constructor(options: RuntimeOptions) {
    this.#o = options;
    this.journal = options.journal ?? new Journal();
    this.terminal = new CardTerminal(options.reader);
    this.actor = createActor(kioskMachine, { input: {}, inspect: options.inspect });
    this.actor.on('*', (command) => this.#route(command as KioskCommand));
    this.actor.subscribe((s) => this.#changed(s));
    this.#offReader.push(options.reader.on('removed', () => {
      this.terminal.forget();
      this.#send({ type: 'card.removed' });
    }));
  }

  start(): this {
    this.actor.start();
    return this;
  }

  stop(): void {
    this.#cancelTimer?.();
    this.terminal.cancelWait();
    for (const off of this.#offReader) off();
    this.actor.stop();
  }

  get snapshot(): SnapshotFrom<typeof kioskMachine> {
    return this.actor.getSnapshot();
  }

  get context(): KioskContext {
    return this.snapshot.context;
  }

  get screen(): Screen {
    return screenOf(this.snapshot.value);
  }


  /** Errors a device raised that no event could express; a journey fails on any. */
  get errors(): readonly Error[] {
    return this.#errors;
  }

  subscribe(listener: (s: SnapshotFrom<typeof kioskMachine>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A tap or choice from the person. Activity re-arms the screen's idle timer. */
  send(input: UiInput): void {
    this.#timerKey = '';
    this.#send(this.#stamp(input));
  }

  /** Whether a tap or choice would do anything on the current screen. */
  can(input: UiInput): boolean {
    return this.snapshot.can(this.#stamp(input));
  }

  view(): KioskView {
    return viewOf(this.snapshot);
  }

  #stamp(input: UiInput): UiEvent {
    return (input.type === 'ui.start' || input.type === 'ui.selectCertificate' ? { ...input, at: this.#o.clock.now() } : input) as UiEvent;
  }

  /** The PIN pad's Enter: the digits go to the pad, the machine only hears that a PIN was submitted. */
  submitPin(digits: string): void {
    if (!this.snapshot.matches({ 'pin-entry': 'entering' })) throw new KioskStateError('Entering a PIN', this.screen);
    this.pinPad.enter(digits);
    this.#timerKey = '';
    this.#send({ type: 'pin.submitted' });
  }

  /** A coin or bill put into the acceptor. Returns whether it was taken. */
  insertCash(yen: number): { accepted: boolean; reason?: string } {
    const result = this.#o.cashBox.insert(yen);
    if (result.accepted) {
      this.#inserted = result.total;
      this.#journal({ type: 'cash.in', amount: yen, total: result.total });
      this.#timerKey = '';
      this.#send({ type: 'cash.inserted', amount: yen, total: result.total });
      return { accepted: true };
    }
    if (result.reason !== 'not-accepting') {
      this.#journal({ type: 'cash.rejected', amount: yen, reason: result.reason });
      this.#send({ type: 'cash.rejected', amount: yen, reason: result.reason });
    }
    return { accepted: false, reason: result.reason };
  }

  /** Resolves when no device work is under way (a wait for a card that is not there does not count). */
  async settled(): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (this.#pending.size === 0) return;
      await Promise.allSettled([...this.#pending]);
    }
  }

  #send(event: KioskEvent): void {
    this.#o.log?.(`event ${event.type} on ${this.screen}`);
    this.actor.send(event);
  }

  #journal(fact: JournalFact): void {
    this.journal.append(this.session, this.#o.clock.now(), fact);
  }

  #track(work: () => Promise<void>): void {
    const p = work().catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      this.#errors.push(err);
      this.#o.log?.(`device error: ${err.name}: ${err.message}`);
    });
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  #changed(s: SnapshotFrom<typeof kioskMachine>): void {
    this.#persist();
    this.#armTimer(s);
    for (const l of this.#listeners) l(s);
  }

  #persist(): void {
    if (!this.#o.stateDir) return;
    mkdirSync(this.#o.stateDir, { recursive: true });
    const file = join(this.#o.stateDir, 'snapshot.json');
    writeFileSync(file + '.tmp', JSON.stringify(this.actor.getPersistedSnapshot()));
    renameSync(file + '.tmp', file);
  }

  /** Each screen declares its idle timeout in `meta`; the machine only ever hears `timeout`. */
  #armTimer(s: SnapshotFrom<typeof kioskMachine>): void {
    const key = JSON.stringify(s.value) + (s.context.warning ? ':warning' : '');
    if (key === this.#timerKey) return;
    this.#timerKey = key;
    this.#cancelTimer?.();
    const meta = s.getMeta() as Record<string, { timeout?: number } | undefined>;
    const seconds = s.context.warning ? WARNING_SECONDS : meta[`kiosk.${screenOf(s.value)}`]?.timeout;
    this.#cancelTimer = seconds ? this.#o.clock.setTimer(seconds * 1000, () => {
      this.#timerKey = '';
      this.#send({ type: 'timeout' });
    }) : null;
  }

  /** The device work held back (holdDeviceWork), oldest first. */
  get heldDeviceWork(): ReadonlyArray<KioskCommand['type']> {
    return this.#held.map((c) => c.type);
  }

  /** Runs the oldest held device work; resolves when it has answered. */
  async releaseDeviceWork(expected?: KioskCommand['type']): Promise<void> {
    const command = this.#held.shift();
    if (!command) throw new KioskStateError(`Releasing device work (${expected ?? 'any'}) when none is waiting`, this.screen);
    if (expected && command.type !== expected) throw new KioskStateError(`Releasing ${expected} when ${command.type} is waiting`, this.screen);
    this.#execute(command);
    await this.settled();
  }

  #route(command: KioskCommand): void {
    this.#o.log?.(`command ${command.type}`);
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
        this.terminal.waitForCard().then(
          () => this.#track(async () => {
            const outcome = await this.terminal.read();
            this.#send(outcome.ok ? { type: 'card.read.done', card: outcome.card, at: clock.now() } : { type: 'card.read.failed', reason: outcome.reason });
          }),
          (e) => {
            if (!(e instanceof ReadCancelledError)) this.#errors.push(e);
          },
        );
        return;
      case 'reader.cancelRead':
        this.terminal.cancelWait();
        return;
      case 'reader.verifyPin':
        return this.#track(async () => {
          const pin = this.pinPad.take();
          if (pin === null) throw new KioskStateError('A PIN check with no PIN entered', this.screen);
          try {
            const r = await this.terminal.verifyPin(pin);
            this.#send(r.result === 'ok' ? { type: 'card.pin.ok' } : r.result === 'locked' ? { type: 'card.pin.locked' } : { type: 'card.pin.wrong', triesLeft: r.triesLeft });
          } catch (e) {
            // A removed card is reported by the reader itself; anything else is a broken card.
            if (!(e instanceof CardRemovedError)) this.#send({ type: 'card.read.failed', reason: 'card-read-error' });
          }
        });
      case 'center.authenticate':
        return this.#track(async () => {
          try {
            const challenge = await center.challenge();
            const { certificate, signature } = await this.terminal.sign(challenge);
            const r = await center.authenticate({ certificate, challenge, signature, scope: command.scope, city: command.city, at: clock.now() });
            if (r.ok) {
              // The session token stays here, out of the machine: only this session can ask for this person's documents.
              this.#centerSession = r.session;
              this.#send({ type: 'center.auth.done', holder: r.holder, city: r.city, at: clock.now() });
            } else {
              this.#o.log?.(`center refused authentication: ${r.cause}`);
              this.#send({ type: 'center.auth.refused', reason: r.reason, cause: r.cause });
            }
          } catch (e) {
            if (e instanceof CenterUnreachableError) this.#send({ type: 'center.unreachable' });
            else if (!(e instanceof CardRemovedError)) this.#send({ type: 'center.auth.refused', reason: 'card-read-error' });
          } finally {
            this.terminal.forget();
          }
        });
      case 'cash.accept':
        this.#inserted = cashBox.escrowTotal;
        cashBox.accept(command.due);
        return;
      case 'cash.stop':
        cashBox.stop();
        return;
      case 'cash.refund':
        return this.#track(async () => {
          const amount = cashBox.refundEscrow();
          this.#inserted = 0;
          this.#journal({ type: 'cash.refunded', amount });
          this.#send({ type: 'cash.refunded', amount });
        });
      case 'print.start':
        return this.#track(() => this.#print(command));
      case 'cash.payout':
        return this.#track(async () => this.#payOut(command));
      case 'session.end':
        this.terminal.cancelWait();
        this.terminal.forget();
        this.pinPad.wipe();
        cashBox.stop();
        this.#inserted = 0;
        this.#issuance = null;
        this.#centerSession = null;
        this.session = randomUUID();
        return;
    }
  }

  async #print(command: Extract<KioskCommand, { type: 'print.start' }>): Promise<void> {
    const { center, cashBox, printer, clock } = this.#o;
    const { request } = command;
    this.#inserted = cashBox.collect();
    this.#journal({ type: 'payment.collected', amount: this.#inserted, due: request.unitFee * request.copies });
    let issued: Issuance;
    try {
      const session = this.#centerSession ?? '';
      this.#centerSession = null;
      issued = await center.issue({ session, holder: command.holder, request, at: clock.now(), terminal: this.#o.terminalId ?? 'K01' });
    } catch (e) {
      // Nothing printed: the whole payment goes back. A refusal here means the kiosk and the center disagree on a
      // rule, which is a bug worth an error as well as a refund.
      const reason = e instanceof CenterUnreachableError ? 'center-unreachable' : 'issuance-refused';
      this.#journal({ type: 'print.failed', issuanceNumber: null, reason, printed: 0 });
      this.#send({ type: 'print.failed', reason, printed: 0 });
      if (!(e instanceof CenterUnreachableError)) throw e;
      return;
    }
    this.#issuance = issued.issuanceNumber;
    this.#journal({ type: 'issued', issuanceNumber: issued.issuanceNumber, certificate: issued.certificates[0]?.title ?? '', copies: request.copies, unitFee: request.unitFee });
    let printed = 0;
    for (const cert of issued.certificates) {
      try {
        const doc = await printer.printCertificate(cert);
        printed += 1;
        // The log learns the printed file's digest, so that `kiosk verify FILE.pdf` spots a changed copy. A lost
        // answer only weakens that check (the code still verifies), so it never stops the printing.
        if (doc.sha256) await center.recordPrinted({ verificationCode: cert.verificationCode, pdfSha256: doc.sha256 }).catch((e) => this.#o.log?.(`center did not take the digest: ${(e as Error).message}`));
        this.#journal({ type: 'print.copy', issuanceNumber: cert.issuanceNumber, copy: cert.copyIndex, of: cert.copies, file: doc.path });
        this.#send({ type: 'print.progress', printed, total: request.copies });
      } catch (e) {
        if (!(e instanceof PrinterFaultError)) throw e;
        const reason = e.fault === 'offline' ? 'printer-offline' : e.fault;
        this.#journal({ type: 'print.failed', issuanceNumber: issued.issuanceNumber, reason, printed });
        this.#send({ type: 'print.failed', reason, printed });
        return;
      }
    }
    const s = settlement({ inserted: this.#inserted, unitFee: request.unitFee, copies: request.copies, printed });
    const receipt: Receipt = {
      issuanceNumber: issued.issuanceNumber, issuedAt: clock.now(), storeName: this.#o.storeName ?? 'シミュレーター店（テスト）',
      terminalId: this.#o.terminalId ?? 'K01',
      lines: [{ title: issued.certificates[0].title, copies: request.copies, unitFee: request.unitFee, printed }],
      charged: s.charged, inserted: this.#inserted, change: s.change, refunded: s.refunded,
    };
    try {
      const doc = await printer.printReceipt(receipt);
      this.#journal({ type: 'print.receipt', issuanceNumber: issued.issuanceNumber, file: doc.path });
    } catch (e) {
      // The certificates are out and paid for; a missing receipt is noted for staff, not charged to the person.
      if (!(e instanceof PrinterFaultError)) throw e;
      this.#journal({ type: 'print.failed', issuanceNumber: issued.issuanceNumber, reason: `receipt:${e.fault}`, printed });
    }
    this.#send({ type: 'print.done', printed });
  }

  #payOut({ amount, change, refunded, charged }: Extract<KioskCommand, { type: 'cash.payout' }>): void {
    const paid = this.#o.cashBox.payout(amount);
    this.#journal({ type: 'cash.out', change, refunded, charged });
    if (!paid.paid) {
      // The tubes cannot pay: a refund slip records what the store owes, so no yen is lost.
      this.#journal({ type: 'refund.slip', amount, issuanceNumber: this.#issuance });
      this.#send({ type: 'cash.payoutFailed', amount });
      return;
    }
    this.#send({ type: 'cash.paidOut', amount });
  }
}

