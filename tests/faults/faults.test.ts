// Every device fault the journey language knows (terminal FAULTS), injected at every step of a purchase: before each
// of the person's steps from the main menu to confirm, before each coin, between the printed copies and on the last
// screen. The machine must always end on a defined screen with the reason the fault explains, come back to the main
// menu, and conserve money: inserted = fees kept for printed copies + change and refunds paid + refund slips owed.
import { afterAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../kiosk/clock.ts';
import { FAULTS, SimTerminal, type Fault } from '../../kiosk/terminal.ts';
import { drive, finish, ledger, type Step } from '../crash/drive.ts';

const T = '2026-11-24T10:00:00+09:00';
const UNIT_FEE = 200; // 住民票の写し in 川崎市
const COPIES = 3;
/** A 100 yen coin, then a 1000 yen bill for 600 yen due: 500 yen change, which an empty changer cannot give. */
const COINS = [100, 1000];

/** Where a fault strikes: before a step of the person's, or between the copies as they print. */
const POINTS = [
  'start', 'certificate-service', 'choose-medium', 'accept-terms', 'insert-card', 'select-city', 'pin', 'remove-card',
  'certificate', 'type', 'info', 'copies', 'confirm', 'coin 1', 'coin 2', 'after copy 1', 'after copy 3', 'done',
] as const;
type Point = (typeof POINTS)[number];

interface Expected { ended: string; reason: string | null; printed: number; owed: number }

/** What each fault does at each point, as the spec says: the rule table of this matrix. */
function expected(f: Fault, p: Point): Expected {
  const at = POINTS.indexOf(p);
  const before = (q: Point) => at < POINTS.indexOf(q);
  const done: Expected = { ended: 'collect', reason: null, printed: COPIES, owed: 0 };
  switch (f) {
    case 'paper-out':
    case 'paper-jam':
    case 'printer-offline': {
      const reason = f === 'printer-offline' ? 'printer-offline' : f;
      // Paid in full, nothing printed: every yen goes back. Mid-job: the unprinted copies' fees go back. After the
      // last copy only the receipt is lost (journaled for staff), the certificates are out.
      if (before('after copy 1')) return { ended: 'print-failed', reason, printed: 0, owed: 0 };
      if (p === 'after copy 1') return { ended: 'print-failed', reason, printed: 1, owed: 0 };
      return done;
    }
    case 'center-down':
      // Before authentication: refused. Authenticated: the issuance fails, everything is refunded.
      if (!before('remove-card')) return before('after copy 1') ? { ended: 'print-failed', reason: 'center-unreachable', printed: 0, owed: 0 } : done;
      return { ended: 'refused', reason: 'center-unreachable', printed: 0, owed: 0 };
    case 'card-garbled':
      // Before the card is placed it strikes the next card read; after the read, the PIN check. Once the PIN is
      // verified the card is done with.
      return before('remove-card') ? { ended: 'refused', reason: 'card-read-error', printed: 0, owed: 0 } : done;
    case 'change-empty':
      // Before payment completes the bill needing change is handed back and the person pays exact; once paid, the
      // change cannot be given and is owed on a refund slip.
      return p === 'after copy 1' || p === 'after copy 3' ? { ...done, owed: 500 } : done;
    case 'printer-hang':
    case 'storage-error':
      // The printer's storage fails at its next document: the same ends as a printer fault, as a printer error (and
      // the terminal goes out of order). After the last copy only the receipt is lost.
      if (before('after copy 1')) return { ended: 'print-failed', reason: 'printer-error', printed: 0, owed: 0 };
      if (p === 'after copy 1') return { ended: 'print-failed', reason: 'printer-error', printed: 1, owed: 0 };
      return done;
    case 'out-of-service':
      // Staff take the terminal out of service: a person already past the main menu finishes; one not yet started
      // is turned away.
      return p === 'start' ? { ended: 'out-of-service', reason: 'out-of-order', printed: 0, owed: 0 } : done;
    case 'printer-online':
    case 'paper-refill':
    case 'change-refill':
    case 'center-up':
    case 'storage-ok':
    case 'resume-service':
      return done; // a repair of nothing that was broken
  }
}

const cells = FAULTS.flatMap((fault) => POINTS.map((point) => ({ fault, point, want: expected(fault, point) })));
const ends = new Map<string, number>();

describe('every fault at every step of a purchase', () => {
  it.each(cells)('$fault at $point → $want.ended $want.reason', async ({ fault, point, want }) => {
    const clock = new SimClock(T);
    // The watchdog gives a hung printer 100 ms here (120 s on a kiosk): the same end, sooner.
    const terminal = new SimTerminal({ clock, printer: 'null', deviceTimeoutMs: 100 });
    const { runtime } = terminal;
    const printed = terminal.printer.record();
    try {
      const copyPoint = /^after copy (\d)$/.exec(point);
      if (copyPoint) {
        // Between copies: the fault strikes as the runtime reports the copy printed, before the next one starts.
        let struck = false;
        runtime.subscribe((s) => {
          if (!struck && s.matches('printing') && s.context.printed === Number(copyPoint[1])) {
            struck = true;
            void terminal.fault(fault);
          }
        });
      }
      const outcome = await drive(terminal, clock, { persona: 'kawasaki-taro', copies: COPIES, coins: COINS }, (step: Step, coin?: number) => {
        const here = step === 'pay' ? `coin ${(coin ?? 0) + 1}` : step;
        if (here === point) return terminal.fault(fault);
      });
      expect(runtime.errors.map((e) => e.message)).toEqual([]);
      expect({ ended: outcome.ended, reason: outcome.reason, printed: outcome.printed }).toEqual({ ended: want.ended, reason: want.reason, printed: want.printed });
      // The person is told about money owed: a refund slip is shown, and journaled.
      if (want.owed) expect(runtime.context.payout?.failed).toBe(true);
      // ... and it comes out of the printer, for the amount owed (the change here: every copy printed).
      await runtime.settled();
      expect(printed.refundSlips.map((s) => ({ amount: s.amount, failed: s.failed.length }))).toEqual(want.owed ? [{ amount: want.owed, failed: 0 }] : []);

      await finish(terminal);
      expect(runtime.screen).toBe('top');
      const m = ledger(terminal);
      expect(m.escrow).toBe(0);
      expect(m.owed).toBe(want.owed);
      expect(m.copies).toBe(want.printed);
      expect(m.charged).toBe(UNIT_FEE * want.printed);
      expect(m.inserted, JSON.stringify(m)).toBe(m.charged + m.returned + m.owed);
      ends.set(`${want.ended} ${want.reason ?? ''}`.trim(), (ends.get(`${want.ended} ${want.reason ?? ''}`.trim()) ?? 0) + 1);
    } finally {
      terminal.stop();
    }
  });
});

afterAll(() => {
  console.log(`faults: ${FAULTS.length} faults × ${POINTS.length} points = ${cells.length} cells; ended: ${[...ends].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
});
