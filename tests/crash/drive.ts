// A person buying certificates at a terminal, step by step through the runtime (the way the touch UI and journeys
// drive it), for the crash, fault, soak and leak suites. The driver adapts like a person would: it stops at an end
// screen, and pays the rest in exact coins when the acceptor hands a bill back.
import type { Certificate, Screen, Subtype } from '../../machine/types.ts';
import type { SimClock } from '../../kiosk/clock.ts';
import type { SimTerminal } from '../../kiosk/terminal.ts';

export interface Purchase {
  persona: string;
  /** Wrong PINs typed before the right one (each must be 4 digits and not the card's PIN). */
  wrongPins?: string[];
  /** The PIN typed last; the persona's own PIN when omitted. */
  pin?: string;
  certificate?: Certificate;
  copies: number;
  /** Coins and bills in the order they go in. */
  coins: number[];
  /** Cancel on the payment screen after this many coins (a refund of the escrow). */
  cancelAfterCoins?: number;
  /** The medium chosen on advanced-menu (default the card). */
  medium?: 'card' | 'phone';
  /** Leave the payment screen alone until its timeout (warning, then refund) instead of paying. */
  walkAwayAfterCoins?: number;
  /**
   * Put a new card of the persona's on the reader (the card store makes one as the persona's data says), rather than
   * the card as the last purchase left it: for a journey that locks its PIN and must not lock everyone's after it.
   */
  newCard?: boolean;
}

export const STEPS = [
  'start', 'certificate-service', 'choose-medium', 'accept-terms', 'insert-card', 'select-city', 'pin', 'remove-card',
  'certificate', 'type', 'info', 'copies', 'confirm', 'pay', 'done',
] as const;
export type Step = (typeof STEPS)[number];

const END: ReadonlySet<Screen> = new Set(['refused', 'pin-locked', 'out-of-service', 'print-failed', 'cancelled']);

export interface Outcome {
  /** Where the purchase ended before `ui.done`: an end screen, or 'collect' (certificates out). */
  ended: Screen | 'collect';
  reason: string | null;
  printed: number;
}

/** What a whole purchase does, step by step; `before` runs before each step (the fault matrix injects there). */
export async function drive(
  terminal: SimTerminal, clock: SimClock, p: Purchase,
  before?: (step: Step, coin?: number) => void | Promise<void>,
): Promise<Outcome> {
  const { runtime } = terminal;
  const settle = () => runtime.settled();
  const ended = (): Outcome | null => {
    const screen = runtime.screen;
    const collect = runtime.snapshot.matches({ printing: 'collect' });
    if (!END.has(screen) && !collect) return null;
    return { ended: collect ? 'collect' : screen, reason: runtime.context.reason, printed: runtime.context.printed };
  };
  const step = async (name: Step, act: () => unknown): Promise<Outcome | null> => {
    await before?.(name);
    await settle();
    const early = ended();
    if (early) return early;
    await act();
    await settle();
    return ended();
  };
  const pin = p.pin ?? terminal.data.persona(p.persona).card.pin!;
  const certificate = p.certificate ?? 'juminhyo';
  const sequence: Array<[Step, () => unknown]> = [
    ['start', () => runtime.send({ type: 'ui.start' })],
    ['certificate-service', () => runtime.send({ type: 'ui.certificateService' })],
    ['choose-medium', () => runtime.send({ type: 'ui.chooseMedium', medium: p.medium ?? 'card' })],
    ['accept-terms', () => runtime.send({ type: 'ui.acceptTerms' })],
    ['insert-card', () => terminal.insertCard(p.persona, p.newCard ? { newCard: true } : {})],
    ['select-city', () => runtime.send({ type: 'ui.selectCity', scope: 'residence' })],
    ['pin', async () => {
      for (const wrong of p.wrongPins ?? []) {
        if (!runtime.snapshot.matches({ 'pin-entry': 'entering' })) return;
        runtime.submitPin(wrong);
        await settle();
      }
      if (runtime.snapshot.matches({ 'pin-entry': 'entering' })) runtime.submitPin(pin);
    }],
    ['remove-card', () => terminal.reader.cardPresent && terminal.removeCard()],
    ['certificate', () => runtime.send({ type: 'ui.selectCertificate', certificate })],
    ['type', () => runtime.screen === 'type-select' && runtime.send({ type: 'ui.selectType', subtype: subtypeFor(certificate, runtime.context.holder?.id ?? '') })],
    ['info', () => runtime.screen === 'info-select' && runtime.send({
      type: 'ui.selectInfo',
      options: { householdHead: true, domicile: false, myNumber: false, nationality: false, residenceStatus: false, residenceCardNumber: false },
    })],
    ['copies', () => runtime.screen === 'copies' && runtime.send({ type: 'ui.selectCopies', copies: p.copies })],
    ['confirm', () => runtime.send({ type: 'ui.confirm' })],
  ];
  for (const [name, act] of sequence) {
    const out = await step(name, act);
    if (out) return out;
  }
  // Payment, coin by coin (each is a step of its own for the fault matrix).
  let i = 0;
  for (const yen of p.coins) {
    if (p.cancelAfterCoins === i) break;
    if (p.walkAwayAfterCoins === i) break;
    await before?.('pay', i);
    await settle();
    const early = ended();
    if (early) return early;
    if (runtime.screen !== 'payment') break;
    const r = runtime.insertCash(yen);
    await settle();
    if (!r.accepted && r.reason === 'change-unavailable') {
      // The bill came back: the person pays the rest in exact coins.
      let rest = runtime.view().due - runtime.context.inserted;
      for (const coin of [500, 100, 50, 10]) {
        while (rest >= coin && runtime.screen === 'payment') {
          runtime.insertCash(coin);
          rest -= coin;
          await settle();
        }
      }
    }
    i += 1;
    const out = ended();
    if (out) return out;
  }
  if (runtime.screen === 'payment') {
    if (p.walkAwayAfterCoins !== undefined) {
      clock.advance(150_000); // past the payment screen's idle time and its warning
    } else {
      runtime.send({ type: 'ui.cancel' });
    }
    await settle();
  }
  await before?.('done');
  await settle();
  return ended() ?? { ended: runtime.screen, reason: runtime.context.reason, printed: runtime.context.printed };
}

/** Back to the main menu from wherever the purchase ended (the person takes everything and walks away). */
export async function finish(terminal: SimTerminal): Promise<void> {
  const { runtime } = terminal;
  // Stuck half-way (a choice the screen refused): the person cancels, which every screen before payment offers.
  if (runtime.screen !== 'top' && !runtime.can({ type: 'ui.done' }) && runtime.can({ type: 'ui.cancel' })) {
    runtime.send({ type: 'ui.cancel' });
    await runtime.settled();
  }
  if (runtime.screen !== 'top' && runtime.can({ type: 'ui.done' })) runtime.send({ type: 'ui.done' });
  if (terminal.reader.cardPresent) await terminal.removeCard();
  await runtime.settled();
}

export function subtypeFor(certificate: Certificate, holder: string): Subtype {
  switch (certificate) {
    case 'koseki': return { kind: 'koseki', form: 'zenbu', person: null };
    case 'kazei': return { kind: 'kazei', year: 2026 };
    case 'fuhyo': return { kind: 'fuhyo', person: holder };
    default: return { kind: 'juminhyo', scope: 'household', members: [] };
  }
}

/** Money and paper as the devices and the journal tell them, for conservation checks. */
export function ledger(terminal: SimTerminal, since: { accepted: number; returned: number; paidOut: number } = { accepted: 0, returned: 0, paidOut: 0 }) {
  const c = terminal.cashBox.counters;
  const rs = terminal.runtime.journal.records;
  const sum = (f: (r: (typeof rs)[number]) => number) => rs.reduce((a, r) => a + f(r), 0);
  return {
    inserted: c.accepted - since.accepted,
    returned: c.returned - since.returned + c.paidOut - since.paidOut,
    charged: sum((r) => (r.type === 'cash.out' ? r.charged : 0)),
    owed: sum((r) => (r.type === 'refund.slip' ? r.amount : 0)),
    copies: rs.filter((r) => r.type === 'print.copy').length,
    escrow: terminal.cashBox.escrowTotal,
  };
}
