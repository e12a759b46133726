// What the crash test checks after a kill and a restart, read from the files alone (the journal, the cash box's
// state, the spool and the center's issuance log): every yen is accounted for, no copy is printed or charged twice,
// and every PDF in the spool has its journal record.
import { issuanceLogLines } from '../../center/records/sqlite-issuance-log.ts';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { JournalRecord } from '../../kiosk/journal.ts';

export interface Audit {
  /** Yen the cash box took in (its audit counter). */
  inserted: number;
  /** Fees kept for printed copies (journal). */
  charged: number;
  /** Escrow handed back and change/refunds paid (the cash box's counters). */
  returned: number;
  /** Owed on refund slips (journal). */
  owed: number;
  copiesPrinted: number;
  pdfs: string[];
  problems: string[];
}

const readLines = (file: string) => existsSync(file)
  ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)
  : [];

export function audit(varDir: string, spoolDir: string, opts: { heldAtStart: number }): Audit {
  const problems: string[] = [];
  const rs = readLines(join(varDir, 'journal.jsonl')) as JournalRecord[];
  const boxFile = join(varDir, 'devices', 'cash-box.json');
  const box = existsSync(boxFile)
    ? JSON.parse(readFileSync(boxFile, 'utf8')) as { tubes: Record<string, number>; vault: number; escrow: number[]; counters: { accepted: number; returned: number; paidOut: number } }
    : { tubes: {}, vault: 0, escrow: [], counters: { accepted: 0, returned: 0, paidOut: 0 } };
  const c = box.counters;

  // Every session that took money is finished, once.
  const sessions = new Map<string, JournalRecord[]>();
  for (const r of rs) sessions.set(r.session, [...(sessions.get(r.session) ?? []), r]);
  for (const [s, list] of sessions) {
    const count = (t: string) => list.filter((r) => r.type === t).length;
    const money = list.some((r) => ['cash.in', 'payment.collected', 'issued', 'print.copy', 'cash.payout.start'].includes(r.type));
    if (money && count('cash.refunded') + count('cash.out') !== 1) problems.push(`session ${s}: ${count('cash.refunded')} escrow refunds and ${count('cash.out')} payouts (one of them expected)`);
    const out = list.find((r) => r.type === 'cash.out');
    if (out?.type === 'cash.out' && out.paid === false && count('refund.slip') !== 1) problems.push(`session ${s}: unpaid payout with ${count('refund.slip')} refund slips`);
    if (count('recovered') > 1) problems.push(`session ${s}: recovered ${count('recovered')} times`);
    // The fee kept is the unit fee of each copy that came out, no more.
    const issued = list.find((r) => r.type === 'issued');
    const printed = list.filter((r) => r.type === 'print.copy').length;
    const charged = out?.type === 'cash.out' ? out.charged : 0;
    const unitFee = issued?.type === 'issued' ? issued.unitFee : 0;
    if (charged !== unitFee * printed) problems.push(`session ${s}: charged ${charged} for ${printed} copies of ${unitFee}`);
  }

  // No copy printed twice; each PDF has its record and each record its PDF.
  const copies = rs.flatMap((r) => (r.type === 'print.copy' ? [r] : []));
  const keys = copies.map((r) => `${r.issuanceNumber}#${r.copy}`);
  if (new Set(keys).size !== keys.length) problems.push(`a copy journaled twice: ${keys.join(', ')}`);
  const pdfs = existsSync(spoolDir) ? readdirSync(spoolDir).filter((f) => /-\d+of\d+\.pdf$/.test(f)).sort() : [];
  const journaled = copies.map((r) => (r.file ? basename(r.file) : '')).sort();
  if (JSON.stringify(pdfs) !== JSON.stringify(journaled)) problems.push(`spool ${JSON.stringify(pdfs)} ≠ journal ${JSON.stringify(journaled)}`);

  // The center issued at most once per paid session, and a copy it was told was printed is one the journal has.
  // The center's issuance log, in its database (opened to write: what a crash left half-written is rolled back first).
  const center = issuanceLogLines(join(varDir, 'center'));
  const issuedNumbers = new Set(center.filter((l) => l.type === 'issued').map((l) => l.issuanceNumber as string));
  const paidSessions = [...sessions.values()].filter((l) => l.some((r) => r.type === 'payment.collected')).length;
  if (issuedNumbers.size > paidSessions) problems.push(`${issuedNumbers.size} issuances for ${paidSessions} paid sessions`);
  const byCode = new Map(center.filter((l) => l.type === 'issued').map((l) => [l.verificationCode as string, `${l.issuanceNumber}#${l.copy}`]));
  for (const l of center.filter((x) => x.type === 'printed')) {
    const key = byCode.get(l.verificationCode as string);
    if (!key || !keys.includes(key)) problems.push(`center recorded ${key ?? 'an unknown code'} printed, the journal did not`);
  }

  // Money: the journal and the cash box agree on what went back, and every yen inserted is kept, returned or owed.
  const charged = rs.reduce((a, r) => a + (r.type === 'cash.out' ? r.charged : 0), 0);
  const owed = rs.reduce((a, r) => a + (r.type === 'refund.slip' ? r.amount : 0), 0);
  const journalReturned = rs.reduce((a, r) => a + (r.type === 'cash.refunded' ? r.amount : r.type === 'cash.out' && r.paid !== false ? r.change + r.refunded : 0), 0);
  const returned = c.returned + c.paidOut;
  if (journalReturned !== returned) problems.push(`journal says ${journalReturned} went back, the cash box ${returned}`);
  if (c.accepted !== charged + returned + owed) problems.push(`inserted ${c.accepted} ≠ kept ${charged} + returned ${returned} + owed ${owed}`);
  // (No state file: the cash box never moved a coin.)
  const held = Object.entries(box.tubes).reduce((a, [d, n]) => a + Number(d) * n, 0) + box.vault;
  if (existsSync(boxFile) && held !== opts.heldAtStart + c.accepted - returned) problems.push(`the cash box holds ${held}, expected ${opts.heldAtStart + c.accepted - returned}`);
  if (box.escrow.length) problems.push(`escrow still holds ${box.escrow.join('+')}`);
  return { inserted: c.accepted, charged, returned, owed, copiesPrinted: copies.length, pdfs, problems };
}
