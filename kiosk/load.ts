// `kiosk load`: many kiosks on one issuance center, as a vendor loads its center before a city goes live. A real
// `kiosk center serve` process (its own database and clock) registers K terminals; K headless kiosks in this process
// walk seeded walks against it (kiosk/journeys/walk.ts: the oracles checked after every step) for the time given.
// Every call to the center is timed; every certificate printed is checked back at the center by its verification
// code: the record must name the person whose card was read at that kiosk, and no issuance number may come twice.
// A certificate that fails either is a cross-session document, the failure of 横浜市 and 川崎市 in 2023.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CenterClient } from '../center/center-client.ts';
import { resident } from '../center/registry.ts';
import { openCenterDatabase } from '../center/records/sqlite-records.ts';
import { SqliteTerminals } from '../center/records/sqlite-terminals.ts';
import { TerminalRegistry } from '../center/terminals.ts';
import type { IssuanceCenter } from '../center/issuance-center.ts';
import { loadSampleData } from '../samples/sample-data.ts';
import { oracleChecks } from './journeys/oracles.ts';
import { documentText, runJourney } from './journeys/run.ts';
import { Walker, type Weights } from './journeys/walk.ts';

const BIN = resolve(import.meta.dirname, '..', 'bin', 'kiosk.mjs');
/** The walks' time: a Tuesday morning, inside every service window. */
const AT = '2026-11-24T10:00:00+09:00';
/** A resident who goes on to print, at the kiosk's own time of day (a jump in the clock would leave the center's). */
export const LOAD_WEIGHTS: Weights = {
  wait: 0.02, 'tap:cancel': 0.02, 'tap:back': 0.05, 'tap:copy': 0, 'tap:pin-reset': 0.05, 'tap:domicile-registration': 0.05, fault: 0.05,
  pull: 0.05, hold: 0.05, 'pin:wrong': 0.2, domicile: 0.1, clock: 0,
  // The counter's reservation acts on the center in process only (not over its API yet).
  reserve: 0,
};

export interface LoadOptions {
  kiosks: number;
  centers: number;
  durationS: number;
  seed: number;
  /** Said as the run goes (the center's start, each kiosk's failures). */
  say?: (line: string) => void;
}

export interface LoadReport {
  kiosks: number;
  centers: number;
  seconds: number;
  journeys: number;
  steps: number;
  journeysPerSecond: number;
  stepsPerSecond: number;
  /** Milliseconds a center call took, as the kiosk saw it, by call and for all. */
  latencyMs: Record<string, { calls: number; p50: number; p95: number; p99: number }>;
  /** Certificates printed (and verified at the center), and the sessions the center or kiosk refused. */
  documents: { issued: number; verified: number; refusedSessions: number };
  /** Copies that name another person than the card's, whose record at the center does, or whose number came twice. */
  crossSession: Array<{ kiosk: string; issuanceNumber: string; expected: string; namesThem: boolean; recorded: string | null }>;
  /** Walk stretches that failed (an oracle, or the model's screen), with their seeds. */
  failures: Array<{ kiosk: string; seed: number; stretch: number; message: string }>;
}

const squash = (s: string) => s.replace(/\s+/g, '');
const percentile = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10;
};

/** The center's calls, each timed into `into` (the client's private fields stay its own: calls go to it). */
function timed(client: CenterClient, into: Map<string, number[]>): IssuanceCenter {
  const TIMED = new Set(['challenge', 'authenticate', 'issue', 'recordPrinted', 'registerDomicile', 'resetPin']);
  return new Proxy(client, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof name !== 'string' || !TIMED.has(name) || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          const list = into.get(name) ?? [];
          list.push(performance.now() - t);
          into.set(name, list);
        }
      };
    },
  }) as unknown as IssuanceCenter;
}

/** Starts `kiosk center serve` on a free port with `dir` as its --var; resolves with its URL once it serves. */
async function startCenter(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => done(free));
    });
  });
  const child = spawn(process.execPath, [BIN, 'center', 'serve', '--port', String(port), '--var', dir, '--clock', AT, '--clock-tolerance', '86400'], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let output = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the center did not start in 30 s: ${output.slice(-400)}`)), 30_000);
    const read = (b: Buffer) => {
      output += b.toString();
      const url = /https?:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
      if (url && output.includes('(Ctrl+C to stop)')) {
        clearTimeout(timer);
        done({ url, child });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the center exited (${code}): ${output.slice(-400)}`));
    });
  });
}

export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-load-'));
  const ids = Array.from({ length: o.kiosks }, (_, i) => `L${String(i + 1).padStart(3, '0')}`);
  // The terminals registered in the center's database before it starts: K tokens, in this process only.
  mkdirSync(join(dir, 'center'), { recursive: true });
  const database = openCenterDatabase(join(dir, 'center', 'center.sqlite'));
  const tokens = new Map<string, string>();
  try {
    const registry = new TerminalRegistry(new SqliteTerminals(database));
    for (const id of ids) tokens.set(id, registry.add(id));
  } finally {
    database.db.close();
  }
  const center = await startCenter(dir);
  o.say?.(`center: ${center.url} (kiosk center serve, its database in ${dir}); ${o.kiosks} kiosks walking for ${o.durationS} s`);
  const data = loadSampleData();
  const walker = await Walker.create();
  const latency = new Map<string, number[]>();
  const report: LoadReport = {
    kiosks: o.kiosks, centers: o.centers, seconds: 0, journeys: 0, steps: 0, journeysPerSecond: 0, stepsPerSecond: 0, latencyMs: {},
    documents: { issued: 0, verified: 0, refusedSessions: 0 }, crossSession: [], failures: [],
  };
  /** Each copy printed: at which kiosk, for whom (the card's resident), and whether its text names that person. */
  const printed: Array<{ kiosk: string; issuanceNumber: string; code: string; expected: string; namesThem: boolean }> = [];
  const started = performance.now();
  const deadline = started + o.durationS * 1000;
  try {
    /** Walks of 400 steps planned one after the other for kiosk k (seed N×1000+k, then further on), stretch by stretch. */
    function* walksOf(k: number) {
      for (let round = 0; ; round++) {
        const seed = (o.seed * 1000 + k + round * 1_000_003) >>> 0;
        for (const stretch of walker.plan({ seed, steps: 400, weights: LOAD_WEIGHTS, stretch: 40 })) yield { seed, stretch };
      }
    }
    await Promise.all(ids.map(async (id, k) => {
      const client = timed(new CenterClient({ url: center.url, token: tokens.get(id), terminal: id }), latency);
      for (const { seed, stretch } of walksOf(k)) {
        if (performance.now() > deadline) break;
        // The person whose card was placed last, as the walk's person oracle knows them: each copy must be theirs.
        let person: { id: string; name: string } | null = null;
        const result = await runJourney(walker.journey(seed, stretch), {
          center: client, terminalId: id,
          checks: (w) => {
            const oracles = oracleChecks(w);
            let seen = 0;
            let refused = false;
            return (step) => {
              if (step.kind === 'insert-card') {
                const p = data.persona(step.persona).resident;
                person = p ? resident(data.registry, p) : null;
              }
              const now = w.terminal.runtime.view().screen === 'refused';
              if (now && !refused) report.documents.refusedSessions += 1;
              refused = now;
              for (const c of w.certificates.slice(seen)) {
                printed.push({
                  kiosk: id, issuanceNumber: c.issuanceNumber, code: c.verificationCode, expected: person?.id ?? '?',
                  namesThem: !!person && squash(documentText(c)).includes(squash(person.name)),
                });
              }
              seen = w.certificates.length;
              // Last: an oracle that fails ends the journey, and the copies above are counted first.
              oracles(step);
            };
          },
        });
        report.journeys += 1;
        report.steps += stretch.steps.length;
        if (!result.passed) {
          report.failures.push({ kiosk: id, seed, stretch: stretch.index, message: result.failure!.message });
          o.say?.(`FAIL ${id} (walk --seed ${seed}, stretch ${stretch.index}): ${result.failure!.message}`);
        }
      }
    }));
    report.seconds = (performance.now() - started) / 1000;
    // Every copy printed, checked back at the center by its code; a code twice, or a number at two kiosks, is wrong too.
    const verifier = new CenterClient({ url: center.url });
    const codes = new Set<string>();
    const numbers = new Map<string, string>();
    for (const p of printed) {
      report.documents.issued += 1;
      const record = await verifier.verify(p.code);
      if (record) report.documents.verified += 1;
      const twice = codes.has(p.code) || (numbers.get(p.issuanceNumber) ?? p.kiosk) !== p.kiosk;
      codes.add(p.code);
      numbers.set(p.issuanceNumber, p.kiosk);
      if (!p.namesThem || record?.holder !== p.expected || twice) {
        report.crossSession.push({ kiosk: p.kiosk, issuanceNumber: p.issuanceNumber, expected: p.expected, namesThem: p.namesThem, recorded: record?.holder ?? null });
      }
    }
  } finally {
    center.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  report.journeysPerSecond = Math.round((report.journeys / report.seconds) * 10) / 10;
  report.stepsPerSecond = Math.round(report.steps / report.seconds);
  const all: number[] = [];
  for (const [name, xs] of [...latency].sort()) {
    report.latencyMs[name] = { calls: xs.length, p50: percentile(xs, 50), p95: percentile(xs, 95), p99: percentile(xs, 99) };
    all.push(...xs);
  }
  report.latencyMs.all = { calls: all.length, p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99) };
  return report;
}
