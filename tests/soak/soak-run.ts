// The soak: thousands of headless journeys in one process, the way a kiosk runs for days, measuring what a leak would
// grow: the heap after a full GC, the active handles, the open file descriptors. Used by `npm run soak` (10,000
// journeys) and, shorter, by tests/soak/soak.test.ts in CI.
//
// Phase 1, one long-lived terminal: journeys of every kind in turn (purchases of several certificates, copies and
// coin mixes; wrong PINs, locked cards, refusals at the card and at the center, cancel with refund, walking away,
// no card, printer and change and center faults), its journal, snapshot, cash box and center log on disk (tmpfs when
// there is one: fsync speed is not what is measured). Staff refill paper and change every 100 journeys, and the
// clock goes back to the morning when a day of timeouts has passed.
// The center is another system, and its issuance log is its database: SimCenter keeps every issued copy in memory
// (about 0.6 KB each, 3.8 MB over 10,000 journeys), which is growth by design and not the kiosk's. So that the figures
// are the kiosk's, the long-lived terminal's center is a new SimCenter every 1,000 journeys (CENTER_SPAN).
// Phase 2, terminals that come and go: each started on its own var folder, one journey, stopped: every file and
// handle must be let go.
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimCenter } from '../../center/sim-center.ts';
import type { CenterClock, IssuanceCenter } from '../../center/issuance-center.ts';
import { SimClock } from '../../kiosk/clock.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { SimTerminal, type Fault } from '../../kiosk/terminal.ts';
import type { Certificate } from '../../machine/types.ts';
import { drive, finish, type Purchase } from '../crash/drive.ts';

const T = '2026-11-24T09:00:00+09:00';
const CENTER_SPAN = 1000;

/** A center that a new SimCenter takes over from, between two sessions (see above); on the terminal's clock. */
class RotatingCenter implements IssuanceCenter {
  #center: IssuanceCenter;
  constructor(readonly clock: CenterClock) {
    this.#center = this.#fresh();
  }
  #fresh(): IssuanceCenter {
    const d = loadSampleData();
    return new SimCenter({ municipalities: d.municipalities, registry: d.registry, personas: d.personas, ca: d.ca, clock: this.clock }).connectLocal('K01');
  }
  rotate(): void {
    const online = this.#center.online;
    this.#center = this.#fresh();
    this.#center.online = online;
  }
  get online() { return this.#center.online; }
  set online(v: boolean) { this.#center.online = v; }
  challenge: IssuanceCenter['challenge'] = () => this.#center.challenge();
  authenticate: IssuanceCenter['authenticate'] = (a) => this.#center.authenticate(a);
  issue: IssuanceCenter['issue'] = (a) => this.#center.issue(a);
  recordPrinted: IssuanceCenter['recordPrinted'] = (a) => this.#center.recordPrinted(a);
  verify: IssuanceCenter['verify'] = (c) => this.#center.verify(c);
  registerDomicile: IssuanceCenter['registerDomicile'] = (a) => this.#center.registerDomicile(a);
  resetPin: IssuanceCenter['resetPin'] = (a) => this.#center.resetPin(a);
  checkForm: IssuanceCenter['checkForm'] = (a) => this.#center.checkForm(a);
  applyForCard: IssuanceCenter['applyForCard'] = (a) => this.#center.applyForCard(a);
}

/** `restoreTries`: staff give the card its PIN tries back afterwards (the card remembers a lock, as a real one does). */
interface Kind { name: string; purchase: Purchase; fault?: Fault; repair?: Fault; language?: 'en'; restoreTries?: boolean }

const buy = (persona: string, certificate: Certificate, copies: number, coins: number[]): Purchase => ({ persona, certificate, copies, coins });

/** The journeys the soak cycles through. */
export const KINDS: Kind[] = [
  { name: 'juminhyo, change', purchase: buy('kawasaki-taro', 'juminhyo', 2, [100, 500]) },
  { name: 'juminhyo ×3, exact', purchase: buy('kawasaki-hanako', 'juminhyo', 3, [500, 100]) },
  { name: 'inkan, bill', purchase: buy('kawasaki-taro', 'inkan', 1, [1000]) },
  { name: 'kazei', purchase: buy('kawasaki-taro', 'kazei', 1, [100, 100]) },
  { name: 'rare kanji', purchase: buy('takasaki-yoshiko', 'juminhyo', 1, [50, 50, 100]) },
  { name: 'foreign resident, English', purchase: buy('silva-ana', 'juminhyo', 1, [10, 10, 10, 10, 10, 50, 100]), language: 'en' },
  { name: 'wrong PIN, then right', purchase: { ...buy('yokohama-resident', 'juminhyo', 1, [500]), wrongPins: ['7319'] } },
  // A card remembers its lock: staff give kawasaki-taro's card its tries back afterwards, so that the other purchases
  // with it go on; one-try-left gets a new card each time (made with its one try).
  { name: 'locked by three wrong', purchase: { ...buy('kawasaki-taro', 'juminhyo', 1, [500]), wrongPins: ['7319', '5826', '9157'] }, restoreTries: true },
  { name: 'last try wrong', purchase: { ...buy('one-try-left', 'juminhyo', 1, [500]), wrongPins: ['7319'], newCard: true } },
  { name: 'PIN already locked', purchase: buy('pin-locked', 'juminhyo', 1, [500]) },
  { name: 'expired card', purchase: buy('expired', 'juminhyo', 1, [500]) },
  { name: 'old 住基カード', purchase: buy('juki-card', 'juminhyo', 1, [500]) },
  { name: 'revoked at the center', purchase: buy('revoked', 'juminhyo', 1, [500]) },
  { name: 'adult ward', purchase: buy('adult-ward', 'juminhyo', 1, [500]) },
  { name: 'cancel with refund', purchase: { ...buy('bunkyo-resident', 'juminhyo', 2, [100, 100, 50]), cancelAfterCoins: 2 } },
  { name: 'walks away at payment', purchase: { ...buy('new-arrival', 'juminhyo', 1, [100, 500]), walkAwayAfterCoins: 1 } },
  { name: 'paper out', purchase: buy('kawasaki-hanako', 'juminhyo', 2, [500]), fault: 'paper-out', repair: 'paper-refill' },
  { name: 'printer offline', purchase: buy('kawasaki-taro', 'inkan', 1, [500]), fault: 'printer-offline', repair: 'printer-online' },
  { name: 'change empty', purchase: buy('kawasaki-taro', 'juminhyo', 1, [1000, 100, 100]), fault: 'change-empty' },
  { name: 'center down', purchase: buy('kawasaki-taro', 'juminhyo', 1, [500]), fault: 'center-down', repair: 'center-up' },
  { name: 'garbled card', purchase: buy('silva-ana', 'juminhyo', 1, [500]), fault: 'card-garbled' },
  { name: 'smartphone', purchase: { ...buy('smartphone', 'juminhyo', 1, [500]), medium: 'phone' } },
  { name: 'smartphone on the card reader', purchase: buy('smartphone', 'juminhyo', 1, [500]) },
];

export interface Sample { heapMB: number; handles: number; fds: number; files: string[]; handleKinds: string[] }
export interface SoakFigures {
  journeys: number;
  terminals: number;
  seconds: number;
  /** After warming up (caches filled), before the measured journeys; after them; after the terminal stopped. */
  start: Sample;
  end: Sample;
  stopped: Sample;
  /** Before anything was created (the process's own handles and files). */
  baseline: Sample;
  /** Files open at the end that were not before anything was created. */
  leftOpen: string[];
  peakHeapMB: number;
  ended: Record<string, number>;
  money: { inserted: number; kept: number; returned: number; owed: number };
}

const handles = () => (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles().map((h) => h.constructor?.name ?? typeof h);
/** Open file descriptors and what each is (a file's path; pipes, sockets and event fds by kind). */
function openFiles(): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return []; // the folder listing's own fd, gone already
    }
  });
}

async function sample(): Promise<Sample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc: the heap is measured after a full collection');
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setImmediate(r));
    gc();
  }
  const files = openFiles();
  const kinds = handles();
  return { heapMB: process.memoryUsage().heapUsed / 2 ** 20, handles: kinds.length, handleKinds: kinds, fds: files.length, files };
}

async function journey(t: SimTerminal, clock: SimClock, kind: Kind): Promise<string> {
  if (kind.language) t.runtime.send({ type: 'ui.setLanguage', language: kind.language });
  if (kind.fault && kind.fault !== 'change-empty' && kind.fault !== 'card-garbled') t.fault(kind.fault);
  const outcome = await drive(t, clock, kind.purchase, (step) => {
    if (step === 'insert-card' && kind.fault === 'card-garbled') t.fault('card-garbled');
    if (step === 'confirm' && kind.fault === 'change-empty') t.fault('change-empty');
  });
  if (kind.repair) t.fault(kind.repair);
  await finish(t);
  if (kind.restoreTries) t.restoreCardTries(kind.purchase.persona);
  if (t.runtime.screen !== 'top') throw new Error(`${kind.name}: left on ${t.runtime.screen}`);
  return outcome.ended === 'collect' ? 'collect' : `${outcome.ended}${outcome.reason ? ` ${outcome.reason}` : ''}`;
}

export async function soak(options: { journeys: number; terminals: number; progress?: (line: string) => void }): Promise<SoakFigures> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'kiosk-soak-'));
  const baseline = await sample();
  const started = performance.now();
  const ended: Record<string, number> = {};
  const clock = new SimClock(T);
  const center = new RotatingCenter(clock);
  const t = new SimTerminal({ clock, printer: 'null', varDir: join(dir, 'var'), center });
  const staff = () => {
    t.printer.setPaper(500);
    t.cashBox.setTubes({ 1000: 20, 500: 20, 100: 50, 50: 20, 10: 50 });
    if (clock.nowMs() - Date.parse(T) > 8 * 3600_000) clock.set(T);
  };
  // Warm-up: the caches fill and the JIT settles before the start figures are taken.
  const warmup = Math.min(1000, Math.max(KINDS.length * 3, Math.floor(options.journeys / 10)));
  for (let i = 0; i < warmup; i++) {
    if (i % 100 === 0) staff();
    await journey(t, clock, KINDS[i % KINDS.length]);
  }
  center.rotate();
  const start = await sample();
  // Money, journey by journey: the cash box's counters and the journal records each journey added.
  const since = t.cashBox.counters;
  const money = { inserted: 0, kept: 0, returned: 0, owed: 0 };
  let lastSeq = t.runtime.journal.records.at(-1)?.seq ?? 0;
  let peak = start.heapMB;
  for (let i = 0; i < options.journeys; i++) {
    if (i % 100 === 0) staff();
    const kind = KINDS[(i + warmup) % KINDS.length];
    const end = await journey(t, clock, kind);
    ended[end] = (ended[end] ?? 0) + 1;
    for (const r of t.runtime.journal.records) {
      if (r.seq <= lastSeq) continue;
      if (r.type === 'cash.out') money.kept += r.charged;
      if (r.type === 'refund.slip') money.owed += r.amount;
      lastSeq = r.seq;
    }
    if ((i + 1) % CENTER_SPAN === 0) {
      center.rotate();
      const s = await sample();
      peak = Math.max(peak, s.heapMB);
      options.progress?.(`${i + 1} journeys: heap ${s.heapMB.toFixed(1)} MB, ${s.handles} handles, ${s.fds} fds`);
    }
  }
  if (t.runtime.errors.length) throw new Error(`device errors: ${t.runtime.errors.map((e) => e.message).join('; ')}`);
  const c = t.cashBox.counters;
  money.inserted = c.accepted - since.accepted;
  money.returned = c.returned - since.returned + c.paidOut - since.paidOut;
  const end = await sample();
  peak = Math.max(peak, end.heapMB);
  t.stop();

  // Phase 2: terminals that come and go, each with its own files.
  for (let i = 0; i < options.terminals; i++) {
    const c = new SimClock(T);
    const x = new SimTerminal({ clock: c, printer: 'null', varDir: join(dir, `t${i}`) });
    await journey(x, c, KINDS[i % KINDS.length]);
    x.stop();
    rmSync(join(dir, `t${i}`), { recursive: true, force: true });
  }
  const stopped = await sample();
  rmSync(dir, { recursive: true, force: true });
  return {
    journeys: options.journeys, terminals: options.terminals, seconds: (performance.now() - started) / 1000,
    start, end, stopped, baseline, peakHeapMB: peak, ended,
    leftOpen: stopped.files.filter((f) => !baseline.files.includes(f)),
    money,
  };
}

/** Files left open that are not the printer's font (which it opens once per process and reads glyphs from on demand). */
export function leaked(leftOpen: string[]): string[] {
  return leftOpen.filter((f) => !/\.(ttf|otf|ttc)$/.test(f));
}
