// The simulated issuance center: it authenticates a card by its user-authentication certificate and a signature
// over a one-time challenge, tells the kiosk who the holder is, and issues certificates with a verification code
// that a receiving organization can check later. Like the real center it trusts nothing the kiosk decided: an
// issuance needs the one-time session of an authentication, and every rule is checked again.
//
// It trusts no terminal either. Every call comes through a terminal's connection (connectLocal in process; the HTTP
// server's, for a terminal whose key signed the call), and what a terminal asked for is its own: a challenge
// or a session used by another terminal is refused and burned, a copy's printed digest is taken once and from the
// terminal that printed it. Time is the center's own: the kiosk's `at` is a claim, refused when it is off by more
// than the tolerance, and every rule (validity, revocation, the holder, service hours, maintenance, tax years), every
// expiry and the issuance's date are decided by the center's clock.
import { defectOn } from './defects.ts';
import { caCertificate } from './x509/test-ca.ts';
import { ApplicationRefused, CardApplications } from './applications.ts';
import { X509Certificate, randomBytes, randomInt, randomUUID, verify, createHash } from 'node:crypto';
import { cardProblem } from '../machine/rules/eligibility.ts';
import { serviceClosure } from '../machine/rules/hours.ts';
import { japanTime } from '../machine/rules/japan-time.ts';
import { afterBusinessDays } from '../machine/rules/card-life.ts';
import type { Municipality } from '../machine/types.ts';
import type { TestCa } from './x509/test-ca.ts';
import { buildCertificates } from './documents.ts';
import { requestProblem } from './decisions.ts';
import {
  CenterClockSkewError, CenterUnreachableError, IssuanceRefusedError, PrintedRefusedError,
  type AuthCause, type AuthRequest, type AuthResult, type CenterClock, type Issuance, type IssuanceCenter, type IssuanceRecord, type IssueRequest, type PinResetRequest, type RegistrationRequest,
  type CardApplicationRequest, type FormAnswer, type FormCheckRequest,
} from './issuance-center.ts';
import { IssuanceLog } from './issuance-log.ts';
import type { IssuanceStore } from './issuance-store.ts';
import { TerminalRegistry } from './terminals.ts';
import { hasStatus, holderFacts, householdOfResident, serialFor, type Persona, type Registry, type Resident, type RevocationReason } from './registry.ts';
import { CardLife, registryFor, residentNow } from './card-life.ts';
import type { CenterRecords, CertificateRow, CounterAction, RevocationCause } from './records/center-records.ts';
import { SqliteCenterRecords } from './records/sqlite-records.ts';
import { SqliteIssuanceLog } from './records/sqlite-issuance-log.ts';
import { SqliteTerminals } from './records/sqlite-terminals.ts';
import { MemoryCenterRecords } from './records/memory-records.ts';
import type { RefusalReason } from '../machine/types.ts';

export interface SimCenterOptions {
  municipalities: Municipality[];
  registry: Registry;
  /** The cards J-LIS has issued, each tied to its resident by the certificate serial. */
  personas: Persona[];
  /** The JPKI user-authentication CA: the only issuer the center trusts. */
  ca: TestCa;
  /** The center's own clock: every decision, expiry and issuance date is by it (the kiosk's Clock fits). */
  clock: CenterClock;
  /** How far a terminal's claimed time may be from the center's before the call is refused (default 5 minutes). */
  clockToleranceMs?: number;
  /**
   * The issuance log as JSON lines (issuance-log.ts); in memory when omitted. With `recordsFile` the log is kept in
   * that database instead, and this file, a log kept before, is imported into it once and renamed `.imported`.
   */
  logFile?: string;
  /**
   * The terminal register as `terminals.json` (terminals.ts); in memory when omitted. With `recordsFile` the register
   * is kept in that database instead, and this file, a register kept before, is imported into it once and deleted.
   */
  terminalsFile?: string;
  /**
   * The records of cards' lives and the issuance log (`<center dir>/center.sqlite`, records/sqlite-records.ts and
   * sqlite-issuance-log.ts); in memory when omitted (memory-records.ts, and the log as `logFile` says).
   */
  recordsFile?: string;
  /** Records already open (several centers of one test sharing them); recordsFile is then ignored. */
  records?: CenterRecords;
  /** The JPKI signature CA's certificate: the center registers the signature certificates it issued too. */
  signCa?: Buffer;
}

/** The center as one terminal sees it: an IssuanceCenter whose every call is that terminal's. */
export interface CenterConnection extends IssuanceCenter {
  readonly terminal: string;
}

export const CLOCK_TOLERANCE_MS = 5 * 60_000;
/** How long a challenge may wait for its signature, and an authenticated session for its issuance (center time). */
const CHALLENGE_TTL_MS = 5 * 60_000;
const SESSION_TTL_MS = 30 * 60_000;
/**
 * Bounds on what the center remembers for kiosks that never came back (a soak must not grow it), per terminal: a
 * terminal that floods the center with challenges evicts only its own oldest ones, never another terminal's.
 */
export const MAX_PENDING_PER_TERMINAL = 64;

const REASON: Record<AuthCause, RefusalReason> = {
  'challenge-unknown': 'card-read-error',
  'certificate-malformed': 'unsupported-card',
  'foreign-ca': 'unsupported-card',
  'certificate-expired': 'certificate-expired',
  'certificate-not-yet-valid': 'certificate-not-yet-valid',
  'revoked-lost': 'certificate-revoked',
  'revoked-moved-out': 'certificate-revoked',
  'revoked-deceased': 'certificate-revoked',
  // Whether a real kiosk tells these apart is UNCONFIRMED (card-life.md §5.5); each has its own screen here, so that
  // the resident learns what to do (cancel the suspension; use the new card).
  'revoked-replaced': 'card-replaced',
  'certificate-on-hold': 'card-suspended',
  'card-abolished': 'card-replaced',
  // The kiosk shows an expired card as an expired certificate (card-life.md §6.3: the certificates end with the card).
  'card-expired': 'certificate-expired',
  // Moved in, not yet continued at the new city's counter: as a person who filed a 転出, until the 継続利用.
  'continuation-pending': 'moved-out',
  'signature-invalid': 'card-read-error',
  'unknown-certificate': 'not-registered',
  'city-not-participating': 'city-not-participating',
  'not-registered': 'not-registered',
  'domicile-not-registered': 'domicile-not-registered',
  // The kiosk turns people away itself when the service is closed; the center refusing too is defence in depth.
  'service-closed': 'center-unreachable',
  'no-reset-reservation': 'no-reset-reservation',
  // Revoked or expired certificates are re-issued at the counter, not reset (card-life.md §3.3).
  'sign-certificate-unusable': 'certificate-revoked',
  'proof-mismatch': 'card-read-error',
};

/** Whether `signature` is the certificate's key's PKCS#1 v1.5 signature over SHA-256 of `data`. */
function signedBy(cert: X509Certificate, data: Buffer, signature: Buffer): boolean {
  try {
    return verify('sha256', data, cert.publicKey, signature);
  } catch {
    return false;
  }
}

/** How long a reservation made in the JPKI 暗証番号リセット app stays usable at a kiosk (card-life.md §3.3). */
export const RESET_RESERVATION_MS = 24 * 3_600_000;

/** The newest reservation of a reset of `pin` on a card that is still open: within its 24 hours and not used. */
export function openReservation(actions: CounterAction[], pin: string, nowMs: number): CounterAction | null {
  const used = new Set(actions.filter((a) => a.action === 'reset-pin' && a.detail.reservation !== undefined).map((a) => a.detail.reservation));
  const open = actions.filter((a) => a.action === 'reserve-pin-reset' && a.detail.pin === pin && !used.has(a.id) && Date.parse(a.at) + RESET_RESERVATION_MS > nowMs);
  return open.at(-1) ?? null;
}

const REVOKED: Record<RevocationReason, AuthCause> = { lost: 'revoked-lost', 'moved-out': 'revoked-moved-out', deceased: 'revoked-deceased' };
/** Why a certificate the counter revoked is refused. */
const REVOKED_BY: Record<RevocationCause, AuthCause> = {
  lost: 'revoked-lost', moved: 'revoked-moved-out', deceased: 'revoked-deceased', returned: 'card-abolished',
  'suspension-cancelled': 'revoked-replaced', renewed: 'revoked-replaced', reissued: 'revoked-replaced',
  'address-changed': 'revoked-replaced', 'name-changed': 'revoked-replaced',
  'late-move-in': 'card-abolished', 'not-continued': 'card-abolished',
};

const refused = (cause: AuthCause): AuthResult => ({ ok: false, reason: REASON[cause], cause });

interface Session {
  resident: string;
  city: string;
  expires: number;
  /** The user-authentication certificate that opened it (a 本籍地 registration is tied to it). */
  serial: string;
  /** The card it belongs to, when the center has a row for its certificate. */
  card: string | null;
}

/** Business days a 本籍地 city takes to approve a 利用登録 (1-3, konbini-service-facts S18). */
export const DOMICILE_APPROVAL_DAYS = 2;

/** What the center holds for each terminal (pending challenges, open sessions), bounded per terminal. */
class PerTerminal<V> {
  readonly #byTerminal = new Map<string, Map<string, V>>();

  remember(terminal: string, key: string, value: V): void {
    let own = this.#byTerminal.get(terminal);
    if (!own) this.#byTerminal.set(terminal, (own = new Map()));
    own.set(key, value);
    if (own.size > MAX_PENDING_PER_TERMINAL) own.delete(own.keys().next().value!);
  }

  /** Takes `key` out, whichever terminal holds it (so that a stolen one is burned by the attempt). */
  take(terminal: string, key: string): { owner: string; value: V } | null {
    const own = this.#byTerminal.get(terminal);
    const mine = own?.get(key);
    if (own && mine !== undefined) return { owner: terminal, value: this.#drop(terminal, own, key, mine) };
    for (const [owner, theirs] of this.#byTerminal) {
      const value = theirs.get(key);
      if (value !== undefined) return { owner, value: this.#drop(owner, theirs, key, value) };
    }
    return null;
  }

  count(terminal: string): number {
    return this.#byTerminal.get(terminal)?.size ?? 0;
  }

  #drop(terminal: string, map: Map<string, V>, key: string, value: V): V {
    map.delete(key);
    if (!map.size) this.#byTerminal.delete(terminal);
    return value;
  }
}

export class SimCenter {
  readonly ca: TestCa;
  readonly registry: Registry;
  readonly log: IssuanceStore;
  readonly terminals: TerminalRegistry;
  /** What happened to cards since J-LIS made them: counters' and the call center's actions (card-life.ts). */
  readonly life: CardLife;
  /** The application forms J-LIS printed, the applications on them and the cards made of them (applications.ts). */
  readonly applications: CardApplications;
  readonly clock: CenterClock;
  readonly clockToleranceMs: number;
  readonly #cities: Map<string, Municipality>;
  /** Certificate serial (hex) → the card's persona. */
  readonly #cards = new Map<string, Persona>();
  readonly #personas = new Map<string, Persona>();
  readonly #challenges = new PerTerminal<number>();
  readonly #sessions = new PerTerminal<Session>();
  readonly #caSubject: string;
  /** The center's own state: false, and it serves nobody (HTTP 503; in process CenterUnreachableError). */
  online = true;
  /** For the defect pack only: the person of the newest authenticated session, and of the last record built. */
  #newest: string | null = null;
  #lastBuilt: string | null = null;

  constructor(options: SimCenterOptions) {
    this.ca = options.ca;
    this.#caSubject = caCertificate(options.ca.certificate).subject;
    this.registry = options.registry;
    this.clock = options.clock;
    this.clockToleranceMs = options.clockToleranceMs ?? CLOCK_TOLERANCE_MS;
    // One database for the records and the issuance log when the center keeps its records in a file (a log kept as
    // JSON lines before is imported into it); the JSON lines (or memory) otherwise.
    // The terminal register too (a terminals.json of before imported into it).
    let records = options.records;
    if (!records && options.recordsFile) {
      const { database, log } = SqliteIssuanceLog.open(options.recordsFile, { importFrom: options.logFile, now: () => this.clock.now() });
      try {
        this.terminals = new TerminalRegistry(new SqliteTerminals(database, { importFrom: options.terminalsFile }));
      } catch (e) {
        database.db.close();
        throw e;
      }
      records = new SqliteCenterRecords(database);
      this.log = log;
    } else {
      this.terminals = new TerminalRegistry(options.terminalsFile ?? null);
      this.log = new IssuanceLog(options.logFile ?? null);
    }
    this.life = new CardLife({
      records: records ?? new MemoryCenterRecords(), clock: this.clock,
      trusted: [options.ca.certificate, ...(options.signCa ? [options.signCa] : [])],
    });
    this.applications = new CardApplications({ records: this.life.records, registry: this.registry, clock: this.clock });
    this.#cities = new Map(options.municipalities.map((m) => [m.code, m]));
    for (const p of options.personas) {
      this.#cards.set(serialFor(p.id).toString(16), p);
      this.#personas.set(p.id, p);
    }
  }

  get municipalities(): Municipality[] {
    return [...this.#cities.values()];
  }

  /**
   * The center for a terminal in this process (the kiosk's default), registered in memory if it is not already. Its
   * `online` flag is that terminal's link (what a journey's `fault: center-down` cuts); each call gives a new link.
   */
  connectLocal(terminalId: string): CenterConnection {
    this.terminals.addLocal(terminalId);
    return this.#connect(terminalId);
  }

  /** The center for a terminal its caller has authenticated (the HTTP server, by the call's signature). */
  connectAs(terminalId: string): CenterConnection {
    if (!this.terminals.has(terminalId)) throw new Error(`terminal ${terminalId} is not registered at this center`);
    return this.#connect(terminalId);
  }

  /** Lets go of the records' file (the center serves nobody after this). */
  close(): void {
    this.online = false;
    this.life.records.close();
  }

  /** What a receiving organization sees when it checks a printed code (open to anyone who has the code). */
  async verify(code: string): Promise<IssuanceRecord | null> {
    return this.log.find(code);
  }

  /**
   * The resident as the center knows them now: the registry's record with what counters changed since (a move out,
   * a death, an address), or undefined.
   */
  resident(id: string): Resident | undefined {
    return residentNow(this.registry, this.life.records, id, this.clock.nowMs());
  }

  /** Open challenges and sessions of a terminal (what the per-terminal bounds keep small). */
  pending(terminalId: string): { challenges: number; sessions: number } {
    return { challenges: this.#challenges.count(terminalId), sessions: this.#sessions.count(terminalId) };
  }

  #connect(terminal: string): CenterConnection {
    const link: CenterConnection = {
      terminal,
      online: true,
      challenge: async () => {
        this.#reachable(link);
        return this.#challenge(terminal);
      },
      authenticate: async (args) => {
        this.#reachable(link);
        return this.#authenticate(terminal, args);
      },
      issue: async (args) => {
        this.#reachable(link);
        return this.#issue(terminal, args);
      },
      recordPrinted: async (args) => {
        this.#reachable(link);
        this.#recordPrinted(terminal, args);
      },
      verify: async (code) => {
        this.#reachable(link);
        return this.verify(code);
      },
      registerDomicile: async (args) => {
        this.#reachable(link);
        return this.#registerDomicile(terminal, args);
      },
      resetPin: async (args) => {
        this.#reachable(link);
        return this.#resetPin(terminal, args);
      },
      checkForm: async (args) => {
        this.#reachable(link);
        return this.#checkForm(terminal, args);
      },
      applyForCard: async (args) => {
        this.#reachable(link);
        return this.#applyForCard(terminal, args);
      },
    };
    return link;
  }

  /** A booth's question about a form (applications.ts): by the center's records and clock, the booth's word for nothing. */
  #checkForm(terminal: string, args: FormCheckRequest): FormAnswer {
    this.#checkClock(args.at);
    if (args.terminal !== terminal) throw new IssuanceRefusedError('terminal-mismatch', `the request names terminal ${args.terminal}, but this call is terminal ${terminal}'s`);
    try {
      if (args.birthDate === undefined) {
        this.applications.check(args.form);
        return { ok: true };
      }
      return this.applications.birthDateMatches(args.form, args.birthDate) ? { ok: true } : { ok: false, wrongBirthDate: true };
    } catch (e) {
      if (e instanceof ApplicationRefused) return { ok: false, reason: e.reason };
      throw e;
    }
  }

  #applyForCard(terminal: string, args: CardApplicationRequest): Awaited<ReturnType<IssuanceCenter['applyForCard']>> {
    this.#checkClock(args.at);
    if (args.terminal !== terminal) throw new IssuanceRefusedError('terminal-mismatch', `the request names terminal ${args.terminal}, but this call is terminal ${terminal}'s`);
    try {
      const a = this.applications.apply({
        form: args.form, route: 'booth', by: terminal, birthDate: args.birthDate, certificates: args.certificates, braille: args.braille, photoSha256: args.photoSha256,
      });
      return { ok: true, application: a.id, arrivesOn: japanTime(this.applications.arrivesAt(a)).date };
    } catch (e) {
      if (e instanceof ApplicationRefused) return { ok: false, reason: e.reason };
      throw e;
    }
  }

  /** A one-time challenge for the card to sign (usable once, by this terminal, within 5 minutes). */
  #challenge(terminal: string): Buffer {
    const c = randomBytes(32);
    this.#challenges.remember(terminal, c.toString('hex'), this.clock.nowMs() + CHALLENGE_TTL_MS);
    return c;
  }

  #authenticate(terminal: string, args: AuthRequest): AuthResult {
    this.#checkClock(args.at);
    const now = this.clock.now();
    const opened = this.#takeChallenge(terminal, args.challenge, now);
    if (opened) return refused(opened);
    const known = this.#cardBehind(args.certificate, now);
    if ('cause' in known) return refused(known.cause);
    // The signature proves the card holds the key and that its PIN was just verified.
    if (!signedBy(known.cert, args.challenge, args.signature)) return refused('signature-invalid');
    const { resident, serial, kept } = known;
    // A resident who moved in to another city is its resident (card-life.ts registryFor).
    const registry = registryFor(this.registry, this.life.records, resident);
    const code = args.scope === 'domicile' ? args.city ?? '' : householdOfResident(registry, resident).city;
    const city = this.#cities.get(code);
    if (!city) return refused(args.scope === 'domicile' ? 'domicile-not-registered' : 'city-not-participating');
    const session = randomUUID();
    this.#newest = resident.id;
    this.#sessions.remember(terminal, session, { resident: resident.id, city: city.code, expires: this.clock.nowMs() + SESSION_TTL_MS, serial, card: kept?.card ?? null });
    return { ok: true, holder: holderFacts(registry, resident), city, session };
  }

  /** A challenge of this terminal's, taken out wherever it is (one tried by another terminal is burned for its owner too). */
  #takeChallenge(terminal: string, challenge: Buffer, now: string): AuthCause | null {
    const pending = this.#challenges.take(terminal, challenge.toString('hex'));
    if (!pending || pending.owner !== terminal || pending.value < this.clock.nowMs()) return 'challenge-unknown';
    return serviceClosure(now) ? 'service-closed' : null;
  }

  /**
   * The card and resident behind a user-authentication certificate, as the center knows them now, or why the center
   * does not serve it: not JPKI's, out of its dates, on hold, revoked, replaced, its card abolished or not usable
   * before the next day, nobody behind it, or its holder dead.
   */
  #cardBehind(der: Buffer, now: string): { cert: X509Certificate; serial: string; kept: CertificateRow | null; resident: Resident } | { cause: AuthCause } {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(der);
    } catch {
      return { cause: 'certificate-malformed' };
    }
    if (cert.issuer !== this.#caSubject || !cert.verify(this.ca.publicKey)) return { cause: 'foreign-ca' };
    const serial = BigInt('0x' + cert.serialNumber).toString(16);
    const validity = cardProblem(
      { token: 'JPKIAPICCTOKEN2', certificate: { serial, notBefore: iso(cert.validFrom), notAfter: iso(cert.validTo) }, triesLeft: 3 },
      'card', now,
    );
    if (validity === 'certificate-expired' || validity === 'certificate-not-yet-valid') return { cause: validity };
    // A certificate the counter issued, or one whose status changed, has its row; a card's first ones J-LIS knows by
    // their serial.
    const kept = this.life.records.certificate(serial);
    const card = kept ? this.#personas.get(kept.persona) : this.#cards.get(serial);
    const revocation = card && this.registry.revocations.get(card.id);
    if (revocation) return { cause: REVOKED[revocation.reason] };
    if (kept?.status === 'hold') return { cause: 'certificate-on-hold' };
    if (kept?.status === 'revoked') return { cause: REVOKED_BY[kept.reason ?? 'lost'] };
    const cardRow = kept ? this.life.cardNow(kept.card) : null;
    if (cardRow?.status === 'suspended') return { cause: 'certificate-on-hold' };
    if (cardRow?.status === 'abolished') return { cause: 'card-abolished' };
    if (cardRow?.continueBy) return { cause: 'continuation-pending' };
    // The next-day rule: after a PIN change, a renewal or a suspension cancelled, usable from the next 0:00.
    if (cardRow?.usableFrom && Date.parse(cardRow.usableFrom) > this.clock.nowMs()) return { cause: 'certificate-not-yet-valid' };
    const resident = card?.resident ? this.resident(card.resident) : undefined;
    if (!resident) return { cause: 'unknown-certificate' };
    if (hasStatus(resident, 'deceased')) return { cause: 'revoked-deceased' };
    // The card's own expiry (card-life.md §6.1): a certificate that says otherwise does not outlive it.
    if (card && Date.parse(this.life.cardExpires(card, resident, kept?.card ?? null, { serial, notBefore: iso(cert.validFrom) })) < this.clock.nowMs()) return { cause: 'card-expired' };
    return { cert, serial, kept, resident };
  }

  /** 暗証番号リセット at a kiosk (IssuanceCenter.resetPin). */
  #resetPin(terminal: string, args: PinResetRequest): { ok: true } | { ok: false; reason: RefusalReason; cause: AuthCause } {
    this.#checkClock(args.at);
    if (args.terminal !== terminal) throw new IssuanceRefusedError('terminal-mismatch', `the request names terminal ${args.terminal}, but this call is terminal ${terminal}'s`);
    const now = this.clock.now();
    const no = (cause: AuthCause) => ({ ok: false as const, reason: REASON[cause], cause });
    const opened = this.#takeChallenge(terminal, args.challenge, now);
    if (opened) return no(opened);
    const known = this.#cardBehind(args.certificate, now);
    if ('cause' in known) return no(known.cause);
    // The reservation was made for a card the center has rows for (the app registers its certificates).
    const card = known.kept?.card;
    if (!card) return no('no-reset-reservation');
    // The proof: the user PIN's key to reset the password; the password's key (its certificate of the same card,
    // valid and not revoked: card-life.md §3.3) to reset the user PIN.
    let proof: X509Certificate;
    try {
      proof = new X509Certificate(args.proof.certificate);
    } catch {
      return no('certificate-malformed');
    }
    const sign = this.life.records.certificatesOf(card).filter((c) => c.kind === 'sign').at(-1);
    if (args.pin === 'sign') {
      if (!proof.raw.equals(known.cert.raw)) return no('proof-mismatch');
    } else {
      const proofSerial = BigInt('0x' + proof.serialNumber).toString(16);
      const row = this.life.records.certificate(proofSerial);
      if (!row || row.card !== card || row.kind !== 'sign') return no('proof-mismatch');
      try {
        this.life.parse({ sign: args.proof.certificate });
      } catch {
        return no('foreign-ca');
      }
    }
    if (!sign || sign.status !== 'good' || Date.parse(sign.notAfter) < this.clock.nowMs()) return no('sign-certificate-unusable');
    if (!signedBy(proof, args.challenge, args.proof.signature)) return no('signature-invalid');
    const reservation = openReservation(this.life.records.actions(card), args.pin, this.clock.nowMs());
    if (!reservation) return no('no-reset-reservation');
    this.life.records.act({ at: now, card, action: 'reset-pin', by: `kiosk ${terminal}`, detail: { pin: args.pin, reservation: reservation.id } });
    return { ok: true };
  }

  /**
   * Issues the certificates of one paid request. The session decides whose documents they are; every rule is
   * checked again (defense in depth) by the center's clock, and each copy is bound to one issuance number, so one
   * person's data can never land in another's session.
   */
  #issue(terminal: string, args: IssueRequest): Issuance {
    this.#checkClock(args.at);
    // Any attempt uses the session up: a stolen token is good for one try at most, and not even that.
    const taken = this.#sessions.take(terminal, args.session);
    if (args.terminal !== terminal) {
      throw new IssuanceRefusedError('terminal-mismatch', `the request names terminal ${args.terminal}, but this call is terminal ${terminal}'s`);
    }
    if (!taken || taken.value.expires < this.clock.nowMs()) throw new IssuanceRefusedError('session-unknown', 'no authenticated session (used, expired or never opened)');
    if (taken.owner !== terminal) throw new IssuanceRefusedError('session-mismatch', 'the session was opened by another terminal');
    const session = taken.value;
    if (session.resident !== args.holder || session.city !== args.request.city) {
      throw new IssuanceRefusedError('session-mismatch', 'the request is not for the person or city this session authenticated');
    }
    const now = this.clock.now();
    const closed = serviceClosure(now);
    if (closed) throw new IssuanceRefusedError('service-closed', `${closed} at ${now} (the center's time)`);
    const asked = this.resident(session.resident)!;
    const city = this.#cities.get(session.city)!;
    const problem = requestProblem(registryFor(this.registry, this.life.records, asked), asked, city, args.request, now);
    if (problem) throw new IssuanceRefusedError(problem.refusal, problem.detail);
    // The defect pack (defects.ts): the request is judged for the person asked for, and the record fetched to print is
    // another's (the log still names the one asked for).
    const resident = (defectOn('yokohama-other-job') && this.#newest ? this.resident(this.#newest) : defectOn('munakata-previous-applicant') && this.#lastBuilt ? this.resident(this.#lastBuilt) : null) ?? asked;
    this.#lastBuilt = asked.id;
    const registry = registryFor(this.registry, this.life.records, resident);
    const sequence = this.log.nextSequence();
    const issuanceNumber = `${terminal}-${japanTime(now).date.replaceAll('-', '')}-${String(sequence).padStart(6, '0')}`;
    const certificates = buildCertificates({
      registry, resident, request: args.request, city, issuanceNumber, issuedAt: now,
      verificationCode: () => this.#newCode(),
    });
    this.log.record(sequence, certificates.map((c): IssuanceRecord => ({
      issuanceNumber, verificationCode: c.verificationCode, terminal, holder: asked.id, city: city.code,
      title: c.title, copy: c.copyIndex, copies: c.copies, issuedAt: now, contentSha256: contentDigest(c),
    })));
    return { issuanceNumber, certificates };
  }

  /** The 本籍地 registration of a session's person (see IssuanceCenter.registerDomicile). */
  #registerDomicile(terminal: string, args: RegistrationRequest): { city: string; usableFrom: string } {
    this.#checkClock(args.at);
    const taken = this.#sessions.take(terminal, args.session);
    if (args.terminal !== terminal) throw new IssuanceRefusedError('terminal-mismatch', `the request names terminal ${args.terminal}, but this call is terminal ${terminal}'s`);
    if (!taken || taken.value.expires < this.clock.nowMs()) throw new IssuanceRefusedError('session-unknown', 'no authenticated session (used, expired or never opened)');
    if (taken.owner !== terminal) throw new IssuanceRefusedError('session-mismatch', 'the session was opened by another terminal');
    const now = this.clock.now();
    const closed = serviceClosure(now);
    if (closed) throw new IssuanceRefusedError('service-closed', `${closed} at ${now} (the center's time)`);
    const { resident: id, city: code, serial, card } = taken.value;
    const resident = this.resident(id)!;
    const register = resident.familyRegister ? this.registry.familyRegisters.get(resident.familyRegister) : undefined;
    const city = this.#cities.get(code)!;
    if (!register || register.city !== code) throw new IssuanceRefusedError('city', `${city.name} is not this person's 本籍地`);
    if (householdOfResident(registryFor(this.registry, this.life.records, resident), resident).city === code) throw new IssuanceRefusedError('unavailable', `the 本籍地 ${city.name} is where this person lives: no registration is needed`);
    if (!city.participating) throw new IssuanceRefusedError('city', `${city.name} does not take part`);
    const usableFrom = afterBusinessDays(city, now, DOMICILE_APPROVAL_DAYS);
    this.life.records.atomically(() => {
      this.life.records.putDomicile({ resident: id, city: code, appliedAt: now, usableFrom, certificate: serial });
      this.life.records.act({ at: now, card: card ?? `certificate ${serial}`, action: 'register-domicile', by: `kiosk ${terminal}`, detail: { city: code, usableFrom } });
    });
    return { city: code, usableFrom };
  }

  /** A copy's printed file, recorded once and only from the terminal that printed it. */
  #recordPrinted(terminal: string, args: { verificationCode: string; pdfSha256: string }): void {
    const record = this.log.find(args.verificationCode);
    if (!record) throw new PrintedRefusedError('unknown-code');
    if (record.terminal !== terminal) throw new PrintedRefusedError('not-this-terminal');
    const result = this.log.printed(args.verificationCode, args.pdfSha256, terminal);
    if (result !== 'recorded') throw new PrintedRefusedError(result);
  }

  /** The terminal's time is only its claim: too far from the center's, and the center does nothing for it. */
  #checkClock(at: string): void {
    const claimed = Date.parse(at);
    if (!Number.isFinite(claimed) || Math.abs(claimed - this.clock.nowMs()) > this.clockToleranceMs) throw new CenterClockSkewError(this.clock.now(), at);
  }

  #newCode(): string {
    // 16 random digits: unguessable, so that only a printed document leads to its record.
    for (;;) {
      const code = Array.from({ length: 4 }, () => String(randomInt(10_000)).padStart(4, '0')).join('-');
      if (!this.log.has(code)) return code;
    }
  }

  #reachable(link: { online: boolean }): void {
    if (!link.online || !this.online) throw new CenterUnreachableError();
  }
}

/** The digest of what a copy certifies: its title, record, certification and numbers, in a fixed order. */
export function contentDigest(c: { title: string; issuanceNumber: string; copyIndex: number; header: unknown; people: unknown; certification: string }): string {
  return createHash('sha256').update(JSON.stringify([c.title, c.issuanceNumber, c.copyIndex, c.header, c.people, c.certification])).digest('hex');
}

function iso(x509Date: string): string {
  return new Date(x509Date).toISOString();
}
