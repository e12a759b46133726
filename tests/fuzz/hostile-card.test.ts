// What this proves (issue 8, "hostile input"): whatever a card answers — random bytes, cut or padded data, odd
// status words (61xx, 6Cxx, 63Cx, 6A82, 6982, 6400, 6F00, any 16 bits), a token EF of garbage, a certificate with a
// wrong DER length, cut short, re-tagged or with a byte flipped, READ BINARY answers longer or shorter than asked, a
// card that says 61xx forever, no answer or a card pulled at any APDU — the kiosk's card handling
//   - always settles (each step is raced against a 2 s timer: a hang is a failure, not a slow pass);
//   - never throws anything but the documented errors: CardTerminal.read() resolves to ok / unsupported-card /
//     card-read-error / card-removed, verifyPin() and sign() reject only with CardStatusError,
//     CardCommunicationError or CardRemovedError (the runtime maps those to card-read-error);
//   - never gets a usable card out of a broken token or certificate, and never authenticates at the center with a
//     certificate other than the card's own;
//   - never sends the PIN while reading, or after a failed read (checked on the recorded APDUs);
//   - through the PC/SC reader's own 61xx/6Cxx handling (PcscReader over a scripted pcsclite binding), ends a card
//     that keeps answering 61xx in card-read-error instead of looping, and still reads a T=0 card that chains its
//     answers with 61xx / asks for the right Le with 6Cxx;
//   - through the whole runtime (SimTerminal), ends on the refused screen with card-read-error and an empty
//     runtime.errors, for hostile sessions and for the virtual card's own fault hooks (garbled, mute).
// Seeds are fixed (FUZZ_SEED overrides; FUZZ_RUNS scales the run counts; FUZZ_STATS=1 prints how runs ended);
// fast-check prints the seed and the shrunk counterexample of a failure, to replay with FUZZ_SEED.
import { EventEmitter } from 'node:events';
import { Module, createRequire } from 'node:module';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimCenter } from '../../center/sim-center.ts';
import { SimClock } from '../../kiosk/clock.ts';
import { CardTerminal, NoCardSessionError, type CardReadOutcome } from '../../kiosk/card-terminal.ts';
import type { CardReader } from '../../reader/reader.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { SimTerminal } from '../../kiosk/terminal.ts';
import { acceptsToken, cardProblem } from '../../machine/rules/eligibility.ts';
import type { CardSummary } from '../../machine/types.ts';
import { CardStatusError } from '../../reader/ap-channel.ts';
import { JpkiToken } from '../../reader/jpki-ap.ts';
import { PcscReader } from '../../reader/pcsc-reader.ts';
import { CardCommunicationError, CardRemovedError } from '../../reader/session.ts';
import { SimReader } from '../../reader/sim-reader.ts';
import { RecordingSession } from '../../reader/testing/recording-session.ts';
import type { VirtualMyNumberCard } from '../../reader/virtual-card.ts';
import {
  HostileSession,
  certificateChange,
  certificateDamage,
  hostilePlan,
  statusWord,
  tokenOf,
  type HostilePlan,
} from './hostile-session.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const runs = (n: number): number => Math.max(1, Math.round(n * Number(process.env.FUZZ_RUNS ?? 1)));
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: runs(numRuns), interruptAfterTimeLimit: 90_000 });
/** The per-test budget: generous, so a slow machine never fails a green run (fast-check's report names the seed). */
const TEST_MS = 180_000;

const CLOCK = '2026-11-24T10:00:00+09:00';
const NOW = Date.parse(CLOCK);
const PERSONA = 'kawasaki-taro';
const data = loadSampleData();
const PIN = data.persona(PERSONA).card.pin!;
const HOLDER = '川崎 太郎';

/** How runs ended, per property: printed with FUZZ_STATS=1, to see that the properties are not vacuous. */
const tallies = new Map<string, Map<string, number>>();
const tally = (property: string, result: string): void => {
  const t = tallies.get(property) ?? new Map<string, number>();
  t.set(result, (t.get(result) ?? 0) + 1);
  tallies.set(property, t);
};
afterAll(() => {
  if (process.env.FUZZ_STATS) for (const [p, t] of tallies) console.log(p, Object.fromEntries([...t].sort((a, b) => b[1] - a[1])));
});

/** A hang is a failure: each step of the kiosk must settle within this. */
const GUARD_MS = 2000;

async function settles<T>(what: string, work: () => T | Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${GUARD_MS} ms (a hang)`)), GUARD_MS);
  });
  try {
    return await Promise.race([new Promise<T>((resolve) => resolve(work())), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Like settles(), but a rejection is a result too (a hang still fails). */
async function attempt<T>(what: string, work: () => T | Promise<T>): Promise<{ value: T } | { error: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${GUARD_MS} ms (a hang)`)), GUARD_MS);
  });
  const work$ = new Promise<T>((resolve) => resolve(work())).then((value) => ({ value }), (error: unknown) => ({ error }));
  try {
    return await Promise.race([work$, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** What verifyPin() and sign() may reject with; anything else (a TypeError, a RangeError…) is a bug. */
const DOCUMENTED = [CardStatusError, CardCommunicationError, CardRemovedError] as const;
function expectDocumented(error: unknown, what: string): void {
  if (DOCUMENTED.some((type) => error instanceof type)) return;
  const e = error as Error;
  throw new Error(`${what} threw an undocumented ${e?.name ?? typeof error}: ${e?.message ?? String(error)}`, { cause: error });
}

const READ_FAILURES = ['unsupported-card', 'card-read-error', 'card-removed', 'no-user-certificate'] as const;

/** An ok outcome carries a summary the machine can judge: a token, a parsed certificate's serial and dates, tries left. */
function expectValidSummary(card: CardSummary): void {
  expect(typeof card.token).toBe('string');
  expect(card.certificate).not.toBeNull();
  expect(card.certificate!.serial).toMatch(/^[0-9A-F]+$/);
  for (const t of [card.certificate!.notBefore, card.certificate!.notAfter]) expect(Number.isNaN(Date.parse(t))).toBe(false);
  // An empty VERIFY answers 63Cx (0–15 tries), 6983 (0) or 9000 (the PIN's 3 tries).
  expect(Number.isInteger(card.triesLeft) && card.triesLeft >= 0 && card.triesLeft <= 15).toBe(true);
}

/** VERIFY commands that carry data: the PIN. The empty VERIFY (`00 20 00 80`) only asks for the tries left. */
const pinVerifies = (sent: string[]): number[] => sent.flatMap((hex, i) => (hex.startsWith('0020') && hex.length > 8 ? [i] : []));

/** Whether a plan changes the answer to APDU `i` (or any APDU before `end`, with `touchesBefore`). */
const touches = (plan: HostilePlan, i: number): boolean => plan.answers.some((m) => m.at === i) || (plan.stuck61 !== undefined && plan.stuck61.from <= i);
const touchesBefore = (plan: HostilePlan, end: number): boolean => plan.answers.some((m) => m.at < end) || (plan.stuck61 !== undefined && plan.stuck61.from < end);
/** Token and certificate as the card has them (or changed in ways that leave them what they were). */
const contentsIntact = (plan: HostilePlan): boolean =>
  (plan.token === undefined || tokenOf(plan.token) === JpkiToken.MY_NUMBER_CARD) && (plan.certificate === undefined || certificateDamage(plan.certificate) === 'intact');

interface Rig {
  terminal: CardTerminal;
  sessions: Array<{ hostile: HostileSession; recording: RecordingSession }>;
}

/** A CardTerminal on a sim reader holding a fresh card of the persona; every session it opens is hostile and recorded. */
function rig(plan: HostilePlan): Rig {
  const reader = new SimReader();
  reader.insert(data.makeCard(PERSONA, NOW));
  const sessions: Rig['sessions'] = [];
  const adapter: CardReader = {
    name: reader.name,
    get cardPresent() {
      return reader.cardPresent;
    },
    connect() {
      const hostile = new HostileSession(reader.connect(), plan, baseline.certificate);
      const recording = new RecordingSession(hostile);
      sessions.push({ hostile, recording });
      return recording;
    },
    on: (event, listener) => reader.on(event, listener),
    onExchange: (listener) => reader.onExchange(listener),
    onApdu: (observer) => reader.onApdu(observer),
    async open() {
      return this;
    },
    close: () => undefined,
  };
  return { terminal: new CardTerminal(adapter), sessions };
}

let baseline: { summary: CardSummary; certificate: Buffer; readApdus: number; allApdus: number };
const center = new SimCenter({
  municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock: { now: () => CLOCK, nowMs: () => Date.parse(CLOCK) },
}).connectLocal('K01');

beforeAll(async () => {
  // The card as it is, read and used with no mutation: the reference every property compares with.
  const clean = rig({ answers: [] });
  // The certificate is only known after this read; the clean plan never uses it.
  baseline = { summary: null!, certificate: Buffer.alloc(0), readApdus: 0, allApdus: 0 };
  const outcome = await clean.terminal.read();
  if (!outcome.ok) throw new Error(`the persona's clean card did not read: ${outcome.reason}`);
  const readApdus = clean.sessions[0]!.recording.sent.length;
  expect(await clean.terminal.verifyPin(PIN)).toEqual({ result: 'ok' });
  const { certificate } = await clean.terminal.sign(Buffer.from('baseline'));
  baseline = { summary: outcome.card, certificate, readApdus, allApdus: clean.sessions[0]!.recording.sent.length };
  expect(baseline.readApdus).toBe(14); // SELECT AP, token, 8 certificate reads (1,571 bytes), SELECT PIN EF, empty VERIFY (+ SELECT EF 0006/000A)
});

describe('the JPKI client and CardTerminal against a hostile session', () => {
  it('reading: settles, ends in a documented outcome, gets nothing usable from a broken token or certificate, never sends the PIN', async () => {
    await fc.assert(
      fc.asyncProperty(hostilePlan({ maxAt: baseline.readApdus + 1, certificateLength: baseline.certificate.length }), async (plan) => {
        const { terminal, sessions } = rig(plan);
        const outcome: CardReadOutcome = await settles('CardTerminal.read()', () => terminal.read());
        expect(sessions).toHaveLength(1);
        const { hostile, recording } = sessions[0]!;
        // Reading never sends the PIN: the only VERIFY is the empty one that asks for the tries left.
        expect(pinVerifies(recording.sent)).toEqual([]);

        if (outcome.ok) {
          expectValidSummary(outcome.card);
          // A certificate whose framing is broken never yields a summary.
          if (plan.certificate) expect(certificateDamage(plan.certificate)).not.toBe('broken');
          // A token EF that does not hold JPKIAPICCTOKEN2 (plus padding) is never taken for a My Number Card: the
          // machine refuses the card (unsupported-card).
          if (plan.token !== undefined && tokenOf(plan.token) !== JpkiToken.MY_NUMBER_CARD && !touches(plan, 2)) {
            expect(acceptsToken('card', outcome.card.token)).toBe(false);
            expect(cardProblem(outcome.card, 'card', CLOCK)).toBe('unsupported-card');
          }
          // Whatever the mutation, a token taken for a My Number Card is what the card's answer said.
          const tokenAnswer = hostile.delivered[2];
          if (acceptsToken('card', outcome.card.token)) expect(tokenAnswer && 'data' in tokenAnswer && tokenOf(tokenAnswer.data)).toBe(JpkiToken.MY_NUMBER_CARD);
        } else {
          expect(READ_FAILURES).toContain(outcome.reason);
          // card-removed only when the card was pulled; unsupported-card only when SELECT of the JPKI AP said 6A82.
          if (outcome.reason === 'card-removed') expect(hostile.delivered.some((d) => 'error' in d && d.error === 'card-removed')).toBe(true);
          if (outcome.reason === 'unsupported-card') expect(hostile.delivered[0]).toMatchObject({ sw: 0x6a82 });
          // no-user-certificate only when the card said 6A82 (file not found) on the way to its certificate.
          if (outcome.reason === 'no-user-certificate') expect(hostile.delivered.some((d) => 'sw' in d && d.sw === 0x6a82)).toBe(true);
          // After a failed read there is no session to send a PIN on: nothing goes to the card.
          const sent = recording.sent.length;
          expect(() => terminal.verifyPin(PIN)).toThrow(NoCardSessionError);
          await expect(terminal.sign(Buffer.from('challenge'))).rejects.toThrow(NoCardSessionError);
          expect(recording.sent).toHaveLength(sent);
          expect(sessions).toHaveLength(1);
        }

        // Control: a plan that leaves every read APDU alone reads exactly what the clean card gives.
        if (!touchesBefore(plan, baseline.readApdus) && contentsIntact(plan)) {
          expect(outcome).toEqual({ ok: true, card: baseline.summary });
          tally('read', 'control');
        }
        tally('read', outcome.ok ? (acceptsToken('card', outcome.card.token) ? 'ok' : 'ok, token refused') : outcome.reason);
      }),
      params(300),
    );
  }, TEST_MS);

  it('read, PIN, signature, center: only documented errors, the PIN at most once and only after a good read, and no foreign certificate authenticates', async () => {
    await fc.assert(
      fc.asyncProperty(hostilePlan({ maxAt: baseline.allApdus + 1, certificateLength: baseline.certificate.length }), async (plan) => {
        const { terminal, sessions } = rig(plan);
        const read = await settles('CardTerminal.read()', () => terminal.read());
        const { recording } = sessions[0]!;
        const readSent = recording.sent.length;
        let authenticated = false;
        if (read.ok) {
          const verified = await attempt('CardTerminal.verifyPin()', () => terminal.verifyPin(PIN));
          if ('error' in verified) expectDocumented(verified.error, 'verifyPin()');
          else {
            const v = verified.value;
            if (v.result === 'wrong') expect(Number.isInteger(v.triesLeft) && v.triesLeft >= 1 && v.triesLeft <= 15).toBe(true);
            else expect(['ok', 'locked']).toContain(v.result);
            if (v.result === 'ok') {
              const challenge = await center.challenge();
              const signed = await attempt('CardTerminal.sign()', () => terminal.sign(challenge));
              if ('error' in signed) expectDocumented(signed.error, 'sign()');
              else {
                const { certificate, signature } = signed.value;
                const r = await center.authenticate({ certificate, challenge, signature, scope: 'residence', city: null, at: CLOCK });
                if (r.ok) {
                  authenticated = true;
                  // The center takes only the card's own certificate, signed by the card's own key.
                  expect(certificate.equals(baseline.certificate)).toBe(true);
                  expect(r.holder.name).toBe(HOLDER);
                }
              }
            }
          }
        }
        // The PIN goes to the card at most once, and only after a read that succeeded.
        const pins = pinVerifies(recording.sent);
        expect(pins.length).toBeLessThanOrEqual(1);
        if (pins.length) {
          expect(read.ok).toBe(true);
          expect(pins[0]).toBeGreaterThanOrEqual(readSent);
        }
        // Control: with no mutation at all, the person is authenticated.
        if (plan.answers.length === 0 && !plan.stuck61 && contentsIntact(plan)) expect(authenticated).toBe(true);
        tally('session', authenticated ? 'authenticated' : read.ok ? (pins.length ? 'PIN sent, not authenticated' : 'read, no PIN') : `read failed: ${read.reason}`);
      }),
      params(250),
    );
  }, TEST_MS);
});

// ---------------------------------------------------------------------------------------------------------------
// PcscReader: its own 61xx (GET RESPONSE) and 6Cxx (resend with the right Le) handling, over a scripted pcsclite
// binding put in require's cache, so the real PcscReader runs with no pcscd.

/** How the card behind the scripted reader answers. */
interface RawPlan {
  /** An honest card: answers at once, chains its data T=0 style (61xx, then GET RESPONSE), or first asks for the right Le (6Cxx). */
  style: 'direct' | 't0-chained' | 'le-correction';
  /** Raw answers replaced at the client's APDU `at` (GET RESPONSE and resends are the reader's, not counted). */
  answers: Array<{ at: number; bytes: Uint8Array }>;
  /** From the client's APDU `from` on, `61 sw2` to everything, GET RESPONSE included: the loop a reader must not follow forever. */
  stuck61?: { from: number; sw2: number };
  /** From `from` on, `6C sw2` to everything, the resend included. */
  stuck6C?: { from: number; sw2: number };
  /** GET RESPONSE pieces come with `skew` garbage bytes more (> 0) or lose their last -skew bytes (< 0). */
  skew?: number;
}

const PRESENT = 0x20;

/** The part of a pcsclite reader PcscReader uses, answering from a virtual card through a RawPlan. */
class ScriptedPcscReader extends EventEmitter {
  readonly name = 'Scripted PC/SC reader 00';
  readonly SCARD_STATE_PRESENT = PRESENT;
  readonly SCARD_STATE_EMPTY = 0x10;
  readonly SCARD_SHARE_SHARED = 2;
  readonly SCARD_PROTOCOL_T0 = 1;
  readonly SCARD_PROTOCOL_T1 = 2;
  readonly SCARD_LEAVE_CARD = 0;
  state = PRESENT;
  connected = false;
  /** Raw commands as the reader sent them, GET RESPONSE and resends included. */
  readonly raw: Buffer[] = [];
  #next = 0;
  #resendOf: number | null = null;
  #pending: { data: Buffer; sw: Buffer } | null = null;
  #stuck61 = false;

  constructor(readonly card: VirtualMyNumberCard, readonly plan: RawPlan) {
    super();
  }

  connect(_options: unknown, cb: (err: Error | null, protocol: number) => void): void {
    this.connected = true;
    setImmediate(() => cb(null, this.SCARD_PROTOCOL_T1));
  }

  disconnect(_disposition: number, cb: (err: Error | null) => void): void {
    this.connected = false;
    setImmediate(() => cb(null));
  }

  transmit(data: Buffer, _resLen: number, _protocol: number, cb: (err: Error | null, data: Buffer) => void): void {
    this.raw.push(Buffer.from(data));
    const answer = this.#answer(Buffer.from(data));
    setImmediate(() => cb(null, answer));
  }

  close(): void {
    setImmediate(() => this.emit('end'));
  }

  #answer(bytes: Buffer): Buffer {
    const { plan } = this;
    if (bytes[0] === 0x00 && bytes[1] === 0xc0) {
      // GET RESPONSE, sent by the reader after 61xx.
      if (this.#stuck61) return Buffer.from([0x61, plan.stuck61!.sw2]);
      const pending = this.#pending;
      if (!pending) return Buffer.from(this.card.transmit(bytes));
      const le = bytes.length === 5 ? bytes[4] || 256 : 256;
      const piece = pending.data.subarray(0, le);
      const rest = pending.data.subarray(piece.length);
      const skew = plan.skew ?? 0;
      const handed = skew >= 0 ? Buffer.concat([piece, Buffer.alloc(skew, 0xa5)]) : piece.subarray(0, Math.max(0, piece.length + skew));
      if (rest.length === 0) {
        this.#pending = null;
        return Buffer.concat([handed, pending.sw]);
      }
      this.#pending = { data: rest, sw: pending.sw };
      return Buffer.concat([handed, Buffer.from([0x61, rest.length >= 256 ? 0 : rest.length])]);
    }
    const resend = this.#resendOf !== null;
    const at = resend ? this.#resendOf! : this.#next++;
    this.#resendOf = null;
    if (plan.stuck61 && at >= plan.stuck61.from) {
      this.#stuck61 = true;
      return Buffer.from([0x61, plan.stuck61.sw2]);
    }
    if (plan.stuck6C && at >= plan.stuck6C.from) {
      this.#resendOf = at;
      return Buffer.from([0x6c, plan.stuck6C.sw2]);
    }
    const replaced = resend ? undefined : plan.answers.find((a) => a.at === at);
    if (replaced) return Buffer.from(replaced.bytes);
    const real = Buffer.from(this.card.transmit(bytes));
    const dataLength = real.length - 2;
    if (plan.style === 'le-correction' && !resend && bytes[1] === 0xb0 && dataLength > 0) {
      this.#resendOf = at;
      return Buffer.from([0x6c, dataLength & 0xff]);
    }
    if (plan.style === 't0-chained' && dataLength > 0) {
      this.#pending = { data: real.subarray(0, dataLength), sw: real.subarray(dataLength) };
      return Buffer.from([0x61, dataLength >= 256 ? 0 : dataLength]);
    }
    return real;
  }
}

class ScriptedPcscContext extends EventEmitter {
  close(): void {}
}

const requireHere = createRequire(import.meta.url);
const pcscliteId = requireHere.resolve('pcsclite');
let realPcsclite: NodeJS.Module | undefined;
/** The reader the next PcscReader.open() finds. */
let nextScripted: ScriptedPcscReader | null = null;

beforeAll(() => {
  realPcsclite = requireHere.cache[pcscliteId];
  const binding = new Module(pcscliteId);
  binding.filename = pcscliteId;
  binding.loaded = true;
  binding.exports = () => {
    const context = new ScriptedPcscContext();
    const reader = nextScripted;
    if (reader) {
      setImmediate(() => {
        context.emit('reader', reader);
        setImmediate(() => reader.emit('status', { state: PRESENT, atr: reader.card.atr }));
      });
    }
    return context;
  };
  requireHere.cache[pcscliteId] = binding;
});

afterAll(() => {
  if (realPcsclite) requireHere.cache[pcscliteId] = realPcsclite;
  else delete requireHere.cache[pcscliteId];
});

/** CardTerminal.read() through a real PcscReader whose pcsclite reader answers from a fresh card by `plan`. */
async function readThroughPcsc(plan: RawPlan): Promise<{ outcome: CardReadOutcome; sent: string[]; scripted: ScriptedPcscReader }> {
  const card = data.makeCard(PERSONA, NOW);
  card.powerOn();
  const scripted = new ScriptedPcscReader(card, plan);
  nextScripted = scripted;
  const pcsc = new PcscReader({ name: 'Scripted', waitMs: 1000 });
  await pcsc.open();
  const sessions: RecordingSession[] = [];
  const adapter: CardReader = {
    name: pcsc.name,
    get cardPresent() {
      return pcsc.cardPresent;
    },
    connect() {
      const recording = new RecordingSession(pcsc.connect());
      sessions.push(recording);
      return recording;
    },
    on: (event, listener) => pcsc.on(event, listener),
    onExchange: (listener) => pcsc.onExchange(listener),
    onApdu: (observer) => pcsc.onApdu(observer),
    async open() {
      return this;
    },
    close: () => undefined,
  };
  try {
    const outcome = await settles('CardTerminal.read() through PcscReader', () => new CardTerminal(adapter).read());
    return { outcome, sent: sessions.flatMap((s) => s.sent), scripted };
  } finally {
    pcsc.close();
  }
}

const stuck = (maxAt: number) => fc.record({ from: fc.integer({ min: 0, max: maxAt }), sw2: fc.integer({ min: 0, max: 0xff }) });

const rawPlan = (maxAt: number): fc.Arbitrary<RawPlan> =>
  fc.record({
    style: fc.constantFrom('direct' as const, 't0-chained' as const, 'le-correction' as const),
    answers: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: maxAt }),
        // At least the status word: a shorter answer takes PcscReader's 1 s removal check (see the example below).
        bytes: fc.oneof(
          fc.uint8Array({ minLength: 2, maxLength: 300 }),
          statusWord.map((sw) => Buffer.from([sw >> 8, sw & 0xff])),
        ),
      }),
      { maxLength: 2 },
    ),
    stuck61: fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: stuck(maxAt), weight: 1 }),
    stuck6C: fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, { arbitrary: stuck(maxAt), weight: 1 }),
    skew: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.integer({ min: -8, max: 8 }), weight: 1 }),
  });

describe('PcscReader (61xx / 6Cxx handling) under CardTerminal against a hostile card', () => {
  it('settles in a documented outcome; an honest T=0 or 6Cxx card reads as the clean card; a card stuck on 61xx or 6Cxx is a read error', async () => {
    await fc.assert(
      fc.asyncProperty(rawPlan(baseline.readApdus + 1), async (plan) => {
        const { outcome, sent } = await readThroughPcsc(plan);
        expect(pinVerifies(sent)).toEqual([]);
        if (outcome.ok) expectValidSummary(outcome.card);
        else expect(READ_FAILURES).toContain(outcome.reason);
        const hostile = plan.answers.length > 0 || plan.stuck61 !== undefined || plan.stuck6C !== undefined || (plan.skew ?? 0) !== 0;
        // Control: the three honest ways of answering all read the same card.
        if (!hostile) expect(outcome).toEqual({ ok: true, card: baseline.summary });
        const stuckFrom = Math.min(plan.stuck61?.from ?? Infinity, plan.stuck6C?.from ?? Infinity);
        if (stuckFrom < baseline.readApdus && !plan.answers.some((a) => a.at < stuckFrom)) expect(outcome).toEqual({ ok: false, reason: 'card-read-error' });
        tally('pcsc', !hostile ? `control (${plan.style})` : outcome.ok ? 'ok' : outcome.reason);
      }),
      params(200),
    );
  }, TEST_MS);

  it('an answer shorter than a status word is a read error (after PcscReader has checked for 1 s that the card was not pulled)', async () => {
    const { outcome } = await readThroughPcsc({ style: 'direct', answers: [{ at: 4, bytes: Buffer.from([0x90]) }] });
    expect(outcome).toEqual({ ok: false, reason: 'card-read-error' });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The whole runtime: a SimTerminal whose sim reader hands out hostile sessions (its connect() is wrapped in the test;
// nothing in the runtime or terminal changes), driven like a person at the kiosk.

function hostileTerminal(plan: HostilePlan): { terminal: SimTerminal; sessions: HostileSession[] } {
  const terminal = new SimTerminal({ clock: new SimClock(CLOCK), printer: 'null' });
  const reader = terminal.reader as SimReader;
  const connect = reader.connect.bind(reader);
  const sessions: HostileSession[] = [];
  reader.connect = () => {
    const session = new HostileSession(connect(), plan, baseline.certificate);
    sessions.push(session);
    return session;
  };
  return { terminal, sessions };
}

/** Top screen → card-reading, then the persona's card on the reader; resolves when the read has been judged. */
async function insertAtCardReading(terminal: SimTerminal): Promise<void> {
  const { runtime } = terminal;
  for (const type of ['ui.start', 'ui.certificateService'] as const) runtime.send({ type });
  runtime.send({ type: 'ui.chooseMedium', medium: 'card' });
  runtime.send({ type: 'ui.acceptTerms' });
  expect(runtime.screen).toBe('card-reading');
  await terminal.insertCard(PERSONA);
  await settles('the runtime after the card read', () => runtime.settled());
}

/** Read faults that leave nothing to judge the card by: the runtime must end in card-read-error. */
const hardReadFault = (readApdus: number, certificateLength: number): fc.Arbitrary<HostilePlan> => {
  const anyRead = fc.integer({ min: 0, max: readApdus - 1 });
  // APDUs 4 … readApdus-3 are the certificate's READ BINARY commands (its header, then 256-byte pieces).
  const certificateRead = fc.integer({ min: 4, max: readApdus - 3 });
  return fc.oneof(
    anyRead.map((at) => ({ answers: [{ at, kind: 'no-answer' as const }] })),
    fc.tuple(anyRead, fc.uint8Array({ maxLength: 1 })).map(([at, bytes]) => ({ answers: [{ at, kind: 'replace' as const, bytes }] })),
    // Any refusal of any command but the empty VERIFY (whose 63Cx / 6983 are tries left); 6A82 to the AP's SELECT is
    // a card without JPKI (unsupported-card), and 6A82 to the certificate EF's SELECT (the 4th APDU) a card without
    // its certificate (no-user-certificate): both are left out here.
    fc
      .tuple(fc.integer({ min: 0, max: readApdus - 2 }), statusWord.filter((sw) => sw !== 0x9000))
      .filter(([at, sw]) => !((at === 0 || at === 3) && sw === 0x6a82))
      .map(([at, sw]) => ({ answers: [{ at, kind: 'status' as const, sw, keepData: false }] })),
    fc.tuple(anyRead, fc.integer({ min: 0, max: 0xff })).map(([from, sw2]) => ({ answers: [], stuck61: { from, sw2 } })),
    fc.tuple(certificateRead, fc.integer({ min: 0, max: 3 })).map(([at, keep]) => ({ answers: [{ at, kind: 'cut-data' as const, keep }] })),
    fc.tuple(certificateRead, fc.uint8Array({ minLength: 1, maxLength: 40 })).map(([at, extra]) => ({ answers: [{ at, kind: 'extra-data' as const, extra }] })),
    certificateChange(certificateLength)
      .filter((c) => certificateDamage(c) === 'broken')
      .map((certificate) => ({ answers: [], certificate })),
  );
};

describe('the runtime (SimTerminal) with a hostile card', () => {
  it('a read that yields nothing usable ends on the refused screen with card-read-error, and runtime.errors stays empty', async () => {
    await fc.assert(
      fc.asyncProperty(hardReadFault(baseline.readApdus, baseline.certificate.length), async (plan) => {
        const { terminal, sessions } = hostileTerminal(plan);
        try {
          await insertAtCardReading(terminal);
          const { runtime } = terminal;
          expect(sessions).toHaveLength(1);
          expect({ screen: runtime.screen, reason: runtime.context.reason, errors: runtime.errors.map((e) => `${e.name}: ${e.message}`) })
            .toEqual({ screen: 'refused', reason: 'card-read-error', errors: [] });
        } finally {
          terminal.stop();
        }
      }),
      params(100),
    );
  }, TEST_MS);

  it('any hostile plan, through read, PIN and authentication: the runtime settles, raises no error, and only the real holder gets through', async () => {
    const ENDS = ['refused', 'pin-entry', 'pin-locked', 'card-removal'];
    await fc.assert(
      fc.asyncProperty(hostilePlan({ maxAt: baseline.allApdus + 1, certificateLength: baseline.certificate.length }), async (plan) => {
        const { terminal } = hostileTerminal(plan);
        const { runtime } = terminal;
        try {
          await insertAtCardReading(terminal);
          if (runtime.screen === 'city-select') {
            runtime.send({ type: 'ui.selectCity', scope: 'residence' });
            runtime.submitPin(PIN);
            await settles('the runtime after the PIN', () => runtime.settled());
          }
          expect(runtime.errors.map((e) => `${e.name}: ${e.message}`)).toEqual([]);
          expect(ENDS).toContain(runtime.screen);
          if (runtime.screen === 'card-removal') expect(runtime.context.holder?.name).toBe(HOLDER);
          if (runtime.screen === 'refused') expect(typeof runtime.context.reason).toBe('string');
          tally('runtime', runtime.screen === 'refused' ? `refused: ${runtime.context.reason}` : runtime.screen);
        } finally {
          terminal.stop();
        }
      }),
      params(150),
    );
  }, TEST_MS);

  it.each([
    ['garbled', 'read'],
    ['mute', 'read'],
    ['garbled', 'PIN check'],
    ['mute', 'PIN check'],
  ] as const)('the virtual card’s own fault hook (%s, at the %s) ends in card-read-error with no runtime error', async (fault, phase) => {
    const terminal = new SimTerminal({ clock: new SimClock(CLOCK), printer: 'null' });
    const { runtime } = terminal;
    try {
      const failNext = (): void => void (fault === 'garbled' ? terminal.fault('card-garbled') : terminal.card!.failNext('mute'));
      if (phase === 'read') {
        for (const type of ['ui.start', 'ui.certificateService'] as const) runtime.send({ type });
        runtime.send({ type: 'ui.chooseMedium', medium: 'card' });
        await terminal.insertCard(PERSONA);
        failNext(); // the card is on the reader before the read starts, as in journeys/32-card-read-error.yaml
        runtime.send({ type: 'ui.acceptTerms' });
        await settles('the runtime after the card read', () => runtime.settled());
      } else {
        await insertAtCardReading(terminal);
        expect(runtime.screen).toBe('city-select');
        runtime.send({ type: 'ui.selectCity', scope: 'residence' });
        failNext();
        runtime.submitPin(PIN);
        await settles('the runtime after the PIN', () => runtime.settled());
      }
      expect({ screen: runtime.screen, reason: runtime.context.reason, errors: runtime.errors }).toEqual({ screen: 'refused', reason: 'card-read-error', errors: [] });
    } finally {
      terminal.stop();
    }
  });
});
