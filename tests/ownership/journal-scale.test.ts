// Files that grow are bounded: a kiosk whose journal holds a million records (years of service) starts in bounded
// memory and seconds, and still settles the one session a crash left unfinished; a complete last record without its
// newline is kept, not cut off. Through a real `kiosk start`; memory is the process's peak resident set (VmHWM).
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { T, startKiosk, type KioskProcess } from './kiosk-process.ts';

const running: KioskProcess[] = [];
afterAll(async () => {
  for (const k of running) await k.stop();
});

/** A settled purchase's seven records (what a day of sales writes, many times over). */
function sale(session: string, n: number, seq: number): string {
  const number = `K01-20261124-${String(n).padStart(6, '0')}`;
  const facts = [
    { type: 'cash.in', amount: 1000, total: 1000 },
    { type: 'payment.collected', amount: 1000, due: 200, unitFee: 200, copies: 1 },
    { type: 'issued', issuanceNumber: number, certificate: '住民票の写し', copies: 1, unitFee: 200 },
    { type: 'print.copy.start', issuanceNumber: number, copy: 1, of: 1, name: `${number}-juminhyo-1of1` },
    { type: 'print.copy', issuanceNumber: number, copy: 1, of: 1, file: null },
    { type: 'cash.payout.start', op: `${session}/payout`, amount: 800 },
    { type: 'cash.out', change: 800, refunded: 0, charged: 200, paid: true },
  ];
  return facts.map((f, i) => JSON.stringify({ seq: seq + i, at: `${T.slice(0, 19)}.000+09:00`, session, ...f })).join('\n') + '\n';
}

const peakKb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

describe('a journal of years', () => {
  it('a million records: the kiosk starts in bounded memory and settles the one unfinished session among them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-journal-million-'));
    const varDir = join(dir, 'var');
    mkdirSync(join(varDir, 'devices'), { recursive: true });
    const fd = openSync(join(varDir, 'journal.jsonl'), 'w');
    let seq = 1;
    const SALES = 142_858; // × 7 records
    let chunk = '';
    for (let n = 1; n <= SALES; n++) {
      chunk += sale(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, n, seq);
      seq += 7;
      if (n === SALES / 2) chunk += JSON.stringify({ seq: seq++, at: T, session: 'died-mid-payment', type: 'cash.in', amount: 500, total: 500 }) + '\n';
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
    closeSync(fd);
    expect(seq - 1).toBeGreaterThanOrEqual(1_000_000);
    // The coins of the unfinished session are still in the cash box's escrow.
    writeFileSync(join(varDir, 'devices', 'cash-box.json'), JSON.stringify({
      tubes: { 1000: 20, 500: 20, 100: 50, 50: 20, 10: 50 }, vault: 0, escrow: [500], counters: { accepted: 500, returned: 0, paidOut: 0 }, ops: [],
    }));

    const started = Date.now();
    const k = await startKiosk(['--var', varDir, '--spool', join(dir, 'spool'), '--clock', T, '--printer', 'null']);
    running.push(k);
    const seconds = (Date.now() - started) / 1000;
    const mb = peakKb(k.child.pid!) / 1024;
    console.log(`journal of ${seq - 1} records (${(readFileSync(join(varDir, 'journal.jsonl')).length / 2 ** 20).toFixed(0)} MiB): ready in ${seconds.toFixed(1)} s, peak ${mb.toFixed(0)} MB`);
    // Before: 850 MB for 181 MiB of journal, and no start at all for 728 MiB. The whole file is never held.
    expect(mb).toBeLessThan(320);
    await k.waitFor('recovered after a crash: session died-mid-payment: 500 yen inserted, nothing issued, 500 yen returned');
    expect(k.out().match(/recovered after a crash/g)).toHaveLength(1);
    await k.stop();
  }, 120_000);

  it('a complete last record without its newline is kept (and settled), the next record starting on a line of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-journal-tail-'));
    const varDir = join(dir, 'var');
    mkdirSync(join(varDir, 'devices'), { recursive: true });
    writeFileSync(join(varDir, 'journal.jsonl'), JSON.stringify({ seq: 1, at: T, session: 's1', type: 'cash.in', amount: 100, total: 100 }));
    writeFileSync(join(varDir, 'devices', 'cash-box.json'), JSON.stringify({
      tubes: { 1000: 20, 500: 20, 100: 50, 50: 20, 10: 50 }, vault: 0, escrow: [100], counters: { accepted: 100, returned: 0, paidOut: 0 }, ops: [],
    }));
    const k = await startKiosk(['--var', varDir, '--spool', join(dir, 'spool'), '--clock', T, '--printer', 'null']);
    running.push(k);
    await k.stop();
    const lines = readFileSync(join(varDir, 'journal.jsonl'), 'utf8').split('\n');
    expect(lines[0]).toBe(JSON.stringify({ seq: 1, at: T, session: 's1', type: 'cash.in', amount: 100, total: 100 }));
    expect(lines.slice(1, -1).map((l) => JSON.parse(l).type)).toEqual(['cash.refunded', 'recovered']);
    expect(JSON.parse(lines[1]).seq).toBe(2);
  }, 60_000);
});
