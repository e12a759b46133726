// Crash recovery: before a restarted kiosk serves anyone, every session the journal shows unfinished (money taken,
// no final `cash.refunded` / `cash.out`) is settled from what the journal and the devices say. The rules, and why
// every kill point is decidable, are in kiosk/README.md ("Crash recovery"). In short:
// - cash still in escrow is handed back; cash collected is kept only for copies the journal (or the printer's own
//   output) shows printed; the rest (unprinted copies' fees and change) is paid out, or owed on a refund slip;
// - nothing is printed or issued again: a copy that did not come out is refunded, never reprinted;
// - every cash box action has an idempotency key derived from the session, so an action that was under way when the
//   kiosk died is asked again under the same key and happens at most once.
import { settlement } from '../machine/rules/money.ts';
import type { CashBox } from './devices/cash-box.ts';
import { MONEY_FACTS, type Journal, type JournalFact, type JournalRecord } from './journal.ts';

/** The cash box's idempotency key for a session's one collect, one escrow refund and one payout. */
export const cashOp = (session: string, op: 'collect' | 'refund' | 'payout') => `${session}/${op}`;

export interface RecoveredSession {
  session: string;
  /** Yen the person had put in (in escrow or collected). */
  inserted: number;
  /** Fees kept for copies that came out. */
  charged: number;
  /** Yen handed back now (escrow, change and unprinted copies' fees), or already before the crash. */
  returned: number;
  /** Yen owed on a refund slip (the tubes could not pay). */
  owed: number;
  printed: number;
  copies: number;
}

export interface RecoveryOptions {
  journal: Journal;
  cashBox: CashBox;
  /** Every record the journal held at start. */
  records: JournalRecord[];
  /** The session the persisted snapshot was in (its cash may be in escrow with nothing journaled yet). */
  lastSession: string | null;
  now: () => string;
  /** Where the printer put out the document of this name (its spool file), or null: not printed, or unknown. */
  printed?: (name: string) => string | null;
  log?: (line: string) => void;
}

/**
 * What the restarted kiosk tells the person who was at it (the touch screen's main menu) and the operator: the
 * certificates that came out, the yen handed back, the yen owed on a refund slip. Null when no money was involved.
 */
export interface RecoveryNotice {
  printed: number;
  copies: number;
  returned: number;
  owed: number;
}

export function recoveryNotice(sessions: readonly RecoveredSession[]): RecoveryNotice | null {
  const withMoney = sessions.filter((s) => s.inserted > 0);
  if (!withMoney.length) return null;
  const sum = (k: keyof RecoveryNotice) => withMoney.reduce((a, s) => a + s[k], 0);
  return { printed: sum('printed'), copies: sum('copies'), returned: sum('returned'), owed: sum('owed') };
}

export function recover(o: RecoveryOptions): RecoveredSession[] {
  const bySession = new Map<string, JournalRecord[]>();
  for (const r of o.records) {
    let list = bySession.get(r.session);
    if (!list) bySession.set(r.session, (list = []));
    list.push(r);
  }
  const out: RecoveredSession[] = [];
  for (const [session, rs] of bySession) {
    if (rs.some((r) => MONEY_FACTS.has(r.type)) && !finished(rs)) out.push(settle(o, session, rs));
    else if (rs.some((r) => r.type === 'cash.out' && r.paid === false) && !rs.some((r) => r.type === 'refund.slip')) {
      // Killed between "the tubes could not pay" and the refund slip: the slip is written now.
      const out0 = rs.findLast((r) => r.type === 'cash.out')!;
      const amount = out0.type === 'cash.out' ? out0.change + out0.refunded : 0;
      o.journal.append(session, o.now(), { type: 'refund.slip', amount, issuanceNumber: issuanceOf(rs), recovered: true });
    }
  }
  // Cash in escrow that no unfinished session accounts for: the crash came between the coin and its journal record.
  if (o.cashBox.escrowTotal > 0) {
    const session = o.lastSession ?? `recovery-${o.now()}`;
    out.push(settle(o, session, bySession.get(session) ?? []));
  }
  for (const s of out) {
    o.log?.(`recovered session ${s.session}: inserted ${s.inserted}, charged ${s.charged} for ${s.printed}/${s.copies} copies, returned ${s.returned}, owed ${s.owed}`);
  }
  return out;
}

function finished(rs: JournalRecord[]): boolean {
  return rs.some((r) => r.type === 'cash.refunded' || r.type === 'cash.out' || r.type === 'recovered');
}

function issuanceOf(rs: JournalRecord[]): string | null {
  const issued = rs.find((r) => r.type === 'issued');
  return issued?.type === 'issued' ? issued.issuanceNumber : null;
}

function settle(o: RecoveryOptions, session: string, rs: JournalRecord[]): RecoveredSession {
  const { journal, cashBox } = o;
  const write = (fact: JournalFact) => journal.append(session, o.now(), fact);
  const find = <T extends JournalRecord['type']>(type: T) => rs.find((r) => r.type === type) as Extract<JournalRecord, { type: T }> | undefined;

  // 1. Was the payment collected? The journal says so, or else the cash box remembers the collect's key.
  let collected = find('payment.collected');
  if (!collected) {
    const amount = cashBox.outcome(cashOp(session, 'collect'));
    if (amount !== null) collected = write({ type: 'payment.collected', amount, due: null, recovered: true }) as unknown as typeof collected;
  }
  if (!collected) {
    // Not paid in full (or killed before the collect): the very coins in escrow go back. The key makes a refund
    // that was already done (and not yet journaled) answer its amount instead of happening again.
    const amount = cashBox.refundEscrow(cashOp(session, 'refund'));
    write({ type: 'cash.refunded', amount, recovered: true });
    const r = { session, inserted: amount, charged: 0, returned: amount, owed: 0, printed: 0, copies: 0 };
    write({ type: 'recovered', inserted: amount, charged: 0, change: 0, refunded: amount, owed: 0, printed: 0, copies: 0, receipt: false });
    return r;
  }

  // 2. What came out of the printer: each copy journaled as printed, and each copy whose intent was journaled and
  // whose document the printer shows (the kill came between the sheet and its record). Nothing is printed again.
  const issued = find('issued');
  const inserted = collected.amount;
  const copies = issued?.copies ?? collected.copies ?? 0;
  const unitFee = issued?.unitFee ?? collected.unitFee ?? 0;
  const printedCopies = new Set(rs.flatMap((r) => (r.type === 'print.copy' ? [r.copy] : [])));
  for (const r of rs) {
    if (r.type !== 'print.copy.start' || printedCopies.has(r.copy)) continue;
    const file = o.printed?.(r.name) ?? null;
    if (file === null) continue;
    write({ type: 'print.copy', issuanceNumber: r.issuanceNumber, copy: r.copy, of: r.of, file, recovered: true });
    printedCopies.add(r.copy);
  }
  const printed = printedCopies.size;
  if (issued && printed < copies && !rs.some((r) => r.type === 'print.failed')) {
    write({ type: 'print.failed', issuanceNumber: issued.issuanceNumber, reason: 'kiosk-restarted', printed });
  } else if (!issued && !rs.some((r) => r.type === 'print.failed')) {
    write({ type: 'print.failed', issuanceNumber: null, reason: 'kiosk-restarted', printed: 0 });
  }

  // 3. Pay back what is not kept. Without an issuance nothing was printed: everything goes back.
  const due = collected.due ?? (issued ? unitFee * copies : inserted);
  const s = issued
    ? settlement({ inserted, unitFee, copies, printed })
    : { charged: 0, change: Math.max(0, inserted - due), refunded: Math.min(inserted, due), payout: inserted };
  const op = cashOp(session, 'payout');
  const started = find('cash.payout.start');
  if (started && started.amount !== s.payout) {
    o.log?.(`recovery: the payout under way (${started.amount}) differs from the journal's settlement (${s.payout}); the journal's is paid`);
  }
  // A payout done under the key before the crash answers what it paid; otherwise it is paid now, at most once.
  let returned = cashBox.outcome(op);
  if (returned === null) {
    if (!started) write({ type: 'cash.payout.start', op, amount: s.payout });
    if (cashBox.payout(s.payout, op).paid) returned = s.payout;
  }
  const paid = returned !== null;
  write({ type: 'cash.out', change: s.change, refunded: s.refunded, charged: s.charged, paid, recovered: true });
  const owed = paid ? 0 : s.payout;
  if (!paid) write({ type: 'refund.slip', amount: owed, issuanceNumber: issued?.issuanceNumber ?? null, recovered: true });
  const receipt = rs.some((r) => r.type === 'print.receipt');
  write({ type: 'recovered', inserted, charged: s.charged, change: s.change, refunded: s.refunded, owed, printed, copies, receipt });
  return { session, inserted, charged: s.charged, returned: returned ?? 0, owed, printed, copies };
}
