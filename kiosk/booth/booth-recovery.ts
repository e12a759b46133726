// A photo booth killed mid-session is settled from its journal and its cash box before it serves anyone again, as
// the konbini kiosk is (kiosk/recovery.ts). The rule is the machine's: the fee is kept only for an application J-LIS
// has; every other yen inserted goes back. Which case a kill left is read from the journal:
// - the change (or the fee) taken already: the payout is finished (the cash box's operations are idempotent under
//   their keys, so a payout the kill interrupted is not paid twice);
// - `booth.applied`: J-LIS has the application: the fee is collected and the change paid;
// - `booth.applying` without its answer: J-LIS is asked whether the form carries an application now (`form-used`);
//   if it does, as above; if it does not, or J-LIS cannot say, the money goes back (a resident never pays for an
//   application that may not exist; the booth's owner bears that doubt);
// - anything else: the escrow goes back.
import type { IssuanceCenter } from '../../center/issuance-center.ts';
import type { CashBox } from '../devices/cash-box.ts';
import type { Journal, JournalRecord } from '../journal.ts';

export interface BoothRecovery {
  session: string;
  inserted: number;
  charged: number;
  returned: number;
  owed: number;
  /** What decided it, for staff. */
  because: 'applied' | 'applied (J-LIS says so)' | 'not applied' | 'unknown: J-LIS unreachable' | 'already paid out';
}

export async function recoverBooth(o: { journal: Journal; cashBox: CashBox; center: IssuanceCenter; fee: number; terminalId: string; now: () => string }): Promise<BoothRecovery[]> {
  const bySession = new Map<string, JournalRecord[]>();
  for (const r of o.journal.takePrevious()) bySession.set(r.session, [...(bySession.get(r.session) ?? []), r]);
  const out: BoothRecovery[] = [];
  for (const [session, records] of bySession) {
    const has = (type: JournalRecord['type']) => records.find((r) => r.type === type);
    // A coin taken just before the kill may have missed its record: the escrow says what is there.
    const inserted = Math.max(o.cashBox.escrowTotal, records.filter((r): r is Extract<JournalRecord, { type: 'cash.in' }> => r.type === 'cash.in').reduce((n, r) => Math.max(n, r.total), 0));
    let because: BoothRecovery['because'];
    let applied = !!has('payment.collected') || !!has('booth.applied');
    if (has('payment.collected')) because = 'already paid out';
    else if (applied) because = 'applied';
    else {
      const intent = has('booth.applying') as Extract<JournalRecord, { type: 'booth.applying' }> | undefined;
      because = 'not applied';
      if (intent) {
        try {
          const a = await o.center.checkForm({ form: intent.form, at: o.now(), terminal: o.terminalId });
          applied = !a.ok && 'reason' in a && a.reason === 'form-used';
          because = applied ? 'applied (J-LIS says so)' : 'not applied';
        } catch {
          because = 'unknown: J-LIS unreachable';
        }
      }
    }
    let charged = 0;
    let returned = 0;
    let owed = 0;
    if (applied) {
      charged = Math.min(o.fee, inserted);
      o.cashBox.collect(`${session}-collect`);
      if (!has('payment.collected')) o.journal.append(session, o.now(), { type: 'payment.collected', amount: inserted, due: o.fee, recovered: true });
      const change = inserted - charged;
      if (change > 0) {
        if (!has('cash.payout.start')) o.journal.append(session, o.now(), { type: 'cash.payout.start', op: `${session}-change`, amount: change });
        const paid = o.cashBox.payout(change, `${session}-change`).paid;
        if (paid) returned = change;
        else owed = change;
      }
      o.journal.append(session, o.now(), { type: 'cash.out', change: returned, refunded: 0, charged, paid: owed === 0, recovered: true });
    } else {
      returned = o.cashBox.refundEscrow(`${session}-refund`);
      owed = inserted - returned;
      o.journal.append(session, o.now(), { type: 'cash.refunded', amount: returned, recovered: true });
    }
    o.journal.append(session, o.now(), { type: 'recovered', inserted, charged, change: applied ? returned : 0, refunded: applied ? 0 : returned, owed, printed: 0, copies: 0, receipt: false });
    out.push({ session, inserted, charged, returned, owed, because });
  }
  // Coins in the escrow of a session the kill cut before its first record: they go back.
  if (o.cashBox.escrowTotal > 0) {
    const session = `${o.terminalId}-unrecorded-${Date.parse(o.now())}`;
    const inserted = o.cashBox.escrowTotal;
    const returned = o.cashBox.refundEscrow(`${session}-refund`);
    o.journal.append(session, o.now(), { type: 'cash.refunded', amount: returned, recovered: true });
    out.push({ session, inserted, charged: 0, returned, owed: inserted - returned, because: 'not applied' });
  }
  return out;
}
