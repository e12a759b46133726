// Crash recovery, at every kill point. A child process runs a purchase on a terminal with its journal, snapshot, cash
// box and center log on disk and its PDFs in a spool, and is killed with SIGKILL at crash point N (every journal
// write before and after its fsync, every cash box action before and after it moves the coins, every document before
// and after the printer puts it out, every snapshot write). A terminal then starts on the same folders, settles what
// the dead one left, and starts once more (which must find nothing left to settle). The files alone must then show:
// inserted = fees kept for printed copies + change and refunds paid + refund slips owed; no copy printed, journaled or
// charged twice; every PDF in the spool journaled; the center told of no copy the journal does not have.
// Then the same for a crash during recovery itself, at each of its points, for a few representative first kills.
// Two crash points that leave byte-identical files behind (say, after one journal record and before the next
// snapshot) are the same kill for a restart, which reads only the files: each distinct disk state is killed once
// (the trace run digests the files at every point). KIOSK_CRASH_ALL=1 kills at every point all the same.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../kiosk/clock.ts';
import { SimTerminal } from '../../kiosk/terminal.ts';
import { audit } from './audit.ts';
import { SCENARIOS, T } from './scenarios.ts';
import { bundledChild } from '../processes.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'child.ts');
const base = mkdtempSync(join(tmpdir(), 'kiosk-crash-'));

/** The child, bundled once (it starts hundreds of times): tests/processes.ts bundledChild. */
const COMMAND = await bundledChild(CHILD);

interface Run { signal: NodeJS.Signals | null; code: number | null; stdout: string; stderr: string }

function child(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((ok, fail) => {
    const p = spawn(process.execPath, [...COMMAND, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', fail);
    p.on('close', (code, signal) => ok({ code, signal, stdout, stderr }));
  });
}

const ALL = !!process.env.KIOSK_CRASH_ALL;

interface Point { n: number; label: string; disk: string }

/** The crash points of an uninterrupted run, in order, each with a digest of the files at that instant. */
function trace(args: string[]): Point[] {
  const r = spawnSync(process.execPath, [...COMMAND, ...args], { cwd: ROOT, env: { ...process.env, KIOSK_CRASH_TRACE: '1' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`trace of ${args.join(' ')} failed: ${r.stderr}`);
  return [...r.stderr.matchAll(/^crash point (\d+): (.*) #(\w+)$/gm)].map((m) => ({ n: Number(m[1]), label: m[2], disk: m[3] }));
}

/** The points to kill at: the first of each distinct disk state (every point with KIOSK_CRASH_ALL). */
function toKill(points: Point[]): Point[] {
  const seen = new Set<string>();
  return points.filter((p) => ALL || (!seen.has(p.disk) && seen.add(p.disk)));
}

/** A terminal started on the dead one's folders, in this process; then a second start. */
async function restart(varDir: string, spoolDir: string) {
  const first = new SimTerminal({ clock: new SimClock(T), printer: 'spool', spoolDir, varDir });
  await first.runtime.settled();
  const r = {
    recovered: first.runtime.recovered, resumed: first.runtime.resumed, screen: first.runtime.screen,
    errors: first.runtime.errors.map((e) => e.message), escrow: first.cashBox.escrowTotal,
  };
  first.stop();
  const second = new SimTerminal({ clock: new SimClock(T), printer: 'spool', spoolDir, varDir });
  const again = second.runtime.recovered;
  second.stop();
  return { ...r, again };
}

const traces = Object.fromEntries(Object.keys(SCENARIOS).map((s) => [s, trace(['drive', join(base, `trace-${s}`, 'var'), join(base, `trace-${s}`, 'spool'), s])]));
// Every scenario is the same journey up to its first coin: those points are killed once, in the first scenario.
const prefix = traces.paid.findIndex((p) => p.label.startsWith('cash box'));
const plan = Object.entries(traces).flatMap(([scenario, points]) =>
  toKill(points).filter(({ n }) => scenario === 'paid' || n > prefix).map(({ n, label }) => ({ scenario, n, label })));
const figures = { killed: 0, settled: 0, resumed: 0, refunded: 0, slips: 0, recoveredCopies: 0 };

describe.concurrent('a kill at every crash point of a purchase, then a restart', () => {
  it('has the same journey up to the first coin in every scenario', () => {
    const labels = (s: string) => traces[s].slice(0, prefix).map((p) => p.label);
    for (const s of Object.keys(traces)) expect(labels(s)).toEqual(labels('paid'));
    expect(prefix).toBeGreaterThan(10);
  });

  it.each(plan)('$scenario: kill at point $n ($label)', async ({ scenario, n, label }) => {
    const dir = join(base, `${scenario}-${n}`);
    const varDir = join(dir, 'var');
    const spoolDir = join(dir, 'spool');
    const run = await child(['drive', varDir, spoolDir, scenario], { KIOSK_CRASH_AT: String(n) });
    expect(run.signal, run.stderr).toBe('SIGKILL');
    expect(run.stderr).toContain(`killed at ${label}`);
    figures.killed += 1;

    const r = await restart(varDir, spoolDir);
    expect(r.errors).toEqual([]);
    expect(r.escrow).toBe(0);
    expect(r.again).toEqual([]); // a second start has nothing left to settle
    if (r.recovered.length) {
      figures.settled += 1;
      expect(r.screen).toBe('top');
    } else {
      expect(['top', 'government-menu', 'advanced-menu']).toContain(r.screen);
      if (r.resumed && r.resumed !== 'top') figures.resumed += 1;
    }
    const a = audit(varDir, spoolDir, { heldAtStart: SCENARIOS[scenario].heldAtStart });
    expect(a.problems).toEqual([]);
    figures.refunded += r.recovered.reduce((x, s) => x + s.returned, 0);
    figures.slips += r.recovered.filter((s) => s.owed > 0).length;
    figures.recoveredCopies += readFileSync(join(varDir, 'journal.jsonl'), 'utf8').split('\n')
      .filter((l) => l.includes('"print.copy"') && l.includes('"recovered":true')).length;
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});

/** First kills where recovery has the most to do: mid-payment, after the collect, mid-printing, mid-payout. */
const NESTED: Array<{ scenario: string; label: string }> = [
  { scenario: 'paid', label: 'cash box collect (done)' },
  { scenario: 'paid', label: 'printer juminhyo 2 (out)' },
  { scenario: 'paid', label: 'cash box payout (done)' },
  { scenario: 'slip', label: 'journal print.failed (written)' },
];
const nestedFigures = { firstKills: 0, recoveryKills: 0 };

describe.concurrent('a kill during recovery, at each of its crash points', () => {
  it.each(NESTED)('$scenario: first kill at $label', async ({ scenario, label }) => {
    const n = traces[scenario].find((p) => p.label === label)?.n ?? 0;
    expect(n).toBeGreaterThan(0);
    const dir = join(base, `nested-${scenario}-${n}`);
    const first = await child(['drive', join(dir, 'var'), join(dir, 'spool'), scenario], { KIOSK_CRASH_AT: String(n) });
    expect(first.signal).toBe('SIGKILL');
    nestedFigures.firstKills += 1;
    // The recovery's own points, traced on a copy of what the first kill left.
    const traced = join(base, `nested-${scenario}-${n}-trace`);
    cpSync(dir, traced, { recursive: true });
    const points = toKill(trace(['recover', join(traced, 'var'), join(traced, 'spool')]));
    expect(points.some((p) => p.label.startsWith('journal recovered'))).toBe(true);
    for (const { n: k, label: at } of points) {
      const copy = join(base, `nested-${scenario}-${n}-${k}`);
      cpSync(dir, copy, { recursive: true });
      const varDir = join(copy, 'var');
      const spoolDir = join(copy, 'spool');
      const rec = await child(['recover', varDir, spoolDir], { KIOSK_CRASH_AT: String(k) });
      expect(rec.signal, rec.stderr).toBe('SIGKILL');
      expect(rec.stderr).toContain(`killed at ${at}`);
      nestedFigures.recoveryKills += 1;
      const r = await restart(varDir, spoolDir);
      expect(r.errors).toEqual([]);
      expect(r.again).toEqual([]);
      expect(r.screen).toBe('top');
      expect(audit(varDir, spoolDir, { heldAtStart: SCENARIOS[scenario].heldAtStart }).problems, `recovery killed at point ${k}`).toEqual([]);
      rmSync(copy, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('recovery runs under the lock of the terminal\'s folders', () => {
  it('a recovery started beside a live kiosk is refused and changes nothing; once the kiosk is killed, it settles', async () => {
    const dir = join(base, 'locked');
    const varDir = join(dir, 'var');
    const spoolDir = join(dir, 'spool');
    const live = spawn(process.execPath, [...COMMAND, 'hold', varDir, spoolDir], { cwd: ROOT });
    await new Promise<void>((ok, fail) => {
      live.stdout.on('data', (d) => String(d).includes('holding') && ok());
      live.on('exit', (code) => fail(new Error(`the live kiosk exited with ${code}`)));
    });
    const files = () => ['journal.jsonl', 'devices/cash-box.json', 'snapshot.json'].map((f) => readFileSync(join(varDir, f), 'utf8')).join('\n');
    const before = files();
    const refused = await child(['recover', varDir, spoolDir], {});
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/FolderLockedError: .*var is in use by kiosk terminal K01 \(pid \d+/);
    expect(files()).toBe(before);
    live.kill('SIGKILL');
    await new Promise((ok) => live.once('close', ok));
    const settled = await child(['recover', varDir, spoolDir], {});
    expect(settled.code, settled.stderr).toBe(0);
    const r = JSON.parse(settled.stdout.trim().split('\n').at(-1)!);
    expect(r.recovered).toEqual([expect.objectContaining({ inserted: 100, returned: 100 })]);
  }, 60_000);
});

afterAll(() => {
  console.log(
    `crash: killed at ${figures.killed} points over ${Object.keys(SCENARIOS).length} purchases (crash points: ${Object.entries(traces).map(([s, l]) => `${s} ${l.length}`).join(', ')}; ` +
    `${ALL ? 'every point' : 'each distinct disk state once'}; the ${prefix} points before the first coin in one purchase only); ${figures.settled} restarts settled money (${figures.refunded} yen paid back, ` +
    `${figures.slips} refund slips, ${figures.recoveredCopies} copies found printed from the spool), ${figures.resumed} resumed a menu; ` +
    `recovery itself killed at ${nestedFigures.recoveryKills} points after ${nestedFigures.firstKills} first kills`,
  );
  rmSync(base, { recursive: true, force: true });
});
