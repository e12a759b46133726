// The simulated issuance center: it authenticates a card by its user-authentication certificate and a signature
// over a one-time challenge, tells the kiosk who the holder is, and issues certificates with a verification code
// that a receiving organization can check later. Like the real center it trusts nothing the kiosk decided: an
// issuance needs the one-time session of an authentication, and every rule is checked again.
import { X509Certificate, randomBytes, randomInt, randomUUID, verify, createHash } from 'node:crypto';
import { cardProblem } from '../machine/rules/eligibility.ts';
import { japanTime } from '../machine/rules/japan-time.ts';
import type { Municipality } from '../machine/types.ts';
import type { TestCa } from './x509/test-ca.ts';
import { buildCertificates } from './documents.ts';
import { requestProblem } from './decisions.ts';
import {
  CenterUnreachableError, IssuanceRefusedError,
  type AuthCause, type AuthRequest, type AuthResult, type Issuance, type IssuanceCenter, type IssuanceRecord, type IssueRequest,
} from './issuance-center.ts';
import { IssuanceLog } from './issuance-log.ts';
import { holderFacts, householdOfResident, serialFor, type Persona, type Registry, type RevocationReason } from './registry.ts';
import type { RefusalReason } from '../machine/types.ts';

export interface SimCenterOptions {
  municipalities: Municipality[];
  registry: Registry;
  /** The cards J-LIS has issued, each tied to its resident by the certificate serial. */
  personas: Persona[];
  /** The JPKI user-authentication CA: the only issuer the center trusts. */
  ca: TestCa;
  /** The issuance log (JSON lines); in memory when omitted. */
  logFile?: string;
}

/** How long a challenge may wait for its signature, and an authenticated session for its issuance. */
const CHALLENGE_TTL_MS = 5 * 60_000;
const SESSION_TTL_MS = 30 * 60_000;
/** Bounds on what the center remembers for kiosks that never came back (a soak must not grow it). */
const MAX_PENDING = 1024;

const REASON: Record<AuthCause, RefusalReason> = {
  'challenge-unknown': 'card-read-error',
  'certificate-malformed': 'unsupported-card',
  'foreign-ca': 'unsupported-card',
  'certificate-expired': 'certificate-expired',
  'certificate-not-yet-valid': 'certificate-not-yet-valid',
  'revoked-lost': 'certificate-revoked',
  'revoked-moved-out': 'certificate-revoked',
  'revoked-deceased': 'certificate-revoked',
  'signature-invalid': 'card-read-error',
  'unknown-certificate': 'not-registered',
  'city-not-participating': 'city-not-participating',
  'not-registered': 'not-registered',
  'domicile-not-registered': 'domicile-not-registered',
};

const REVOKED: Record<RevocationReason, AuthCause> = { lost: 'revoked-lost', 'moved-out': 'revoked-moved-out', deceased: 'revoked-deceased' };

const refused = (cause: AuthCause): AuthResult => ({ ok: false, reason: REASON[cause], cause });

interface Session {
  resident: string;
  city: string;
  expires: number;
}

export class SimCenter implements IssuanceCenter {
  readonly ca: TestCa;
  readonly registry: Registry;
  readonly log: IssuanceLog;
  readonly #cities: Map<string, Municipality>;
  /** Certificate serial (hex) → the card's persona. */
  readonly #cards = new Map<string, Persona>();
  readonly #challenges = new Map<string, number>();
  readonly #sessions = new Map<string, Session>();
  readonly #caSubject: string;
  online = true;

  constructor(options: SimCenterOptions) {
    this.ca = options.ca;
    this.#caSubject = new X509Certificate(options.ca.certificate).subject;
    this.registry = options.registry;
    this.log = new IssuanceLog(options.logFile ?? null);
    this.#cities = new Map(options.municipalities.map((m) => [m.code, m]));
    for (const p of options.personas) this.#cards.set(serialFor(p.id).toString(16), p);
  }

  get municipalities(): Municipality[] {
    return [...this.#cities.values()];
  }

  /** A one-time challenge for the card to sign (it can be used once, by one authentication, within 5 minutes). */
  async challenge(): Promise<Buffer> {
    this.#reachable();
    const c = randomBytes(32);
    remember(this.#challenges, c.toString('hex'), Date.now() + CHALLENGE_TTL_MS);
    return c;
  }

  async authenticate(args: AuthRequest): Promise<AuthResult> {
    this.#reachable();
    const key = args.challenge.toString('hex');
    const expires = this.#challenges.get(key);
    this.#challenges.delete(key);
    if (expires === undefined || expires < Date.now()) return refused('challenge-unknown');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(args.certificate);
    } catch {
      return refused('certificate-malformed');
    }
    if (cert.issuer !== this.#caSubject || !cert.verify(this.ca.publicKey)) return refused('foreign-ca');
    // The signature proves the card holds the key and that its PIN was just verified.
    let signed = false;
    try {
      signed = verify('sha256', args.challenge, cert.publicKey, args.signature);
    } catch {
      signed = false;
    }
    if (!signed) return refused('signature-invalid');
    const serial = BigInt('0x' + cert.serialNumber).toString(16);
    const validity = cardProblem(
      { token: 'JPKIAPICCTOKEN2', certificate: { serial, notBefore: iso(cert.validFrom), notAfter: iso(cert.validTo) }, triesLeft: 3 },
      'card', args.at,
    );
    if (validity === 'certificate-expired' || validity === 'certificate-not-yet-valid') return refused(validity);
    const card = this.#cards.get(serial);
    const revocation = card && this.registry.revocations.get(card.id);
    if (revocation) return refused(REVOKED[revocation.reason]);
    const resident = card?.resident ? this.registry.residents.get(card.resident) : undefined;
    if (!resident) return refused('unknown-certificate');
    const code = args.scope === 'domicile' ? args.city ?? '' : householdOfResident(this.registry, resident).city;
    const city = this.#cities.get(code);
    if (!city) return refused(args.scope === 'domicile' ? 'domicile-not-registered' : 'city-not-participating');
    const session = randomUUID();
    remember(this.#sessions, session, { resident: resident.id, city: city.code, expires: Date.now() + SESSION_TTL_MS });
    return { ok: true, holder: holderFacts(this.registry, resident), city, session };
  }

  /**
   * Issues the certificates of one paid request. The session decides whose documents they are; every rule is
   * checked again (defense in depth), and each copy is bound to one issuance number, so one person's data can never
   * land in another's session.
   */
  async issue(args: IssueRequest): Promise<Issuance> {
    this.#reachable();
    const session = this.#sessions.get(args.session);
    this.#sessions.delete(args.session);
    if (!session || session.expires < Date.now()) throw new IssuanceRefusedError('session-unknown', 'no authenticated session (used, expired or never opened)');
    if (session.resident !== args.holder || session.city !== args.request.city) {
      throw new IssuanceRefusedError('session-mismatch', 'the request is not for the person or city this session authenticated');
    }
    const resident = this.registry.residents.get(session.resident)!;
    const city = this.#cities.get(session.city)!;
    const problem = requestProblem(this.registry, resident, city, args.request, args.at);
    if (problem) throw new IssuanceRefusedError(problem.refusal, problem.detail);
    const sequence = this.log.nextSequence();
    const issuanceNumber = `${args.terminal}-${japanTime(args.at).date.replaceAll('-', '')}-${String(sequence).padStart(6, '0')}`;
    const certificates = buildCertificates({
      registry: this.registry, resident, request: args.request, city, issuanceNumber, issuedAt: args.at,
      verificationCode: () => this.#newCode(),
    });
    this.log.record(sequence, certificates.map((c): IssuanceRecord => ({
      issuanceNumber, verificationCode: c.verificationCode, terminal: args.terminal, holder: resident.id, city: city.code,
      title: c.title, copy: c.copyIndex, copies: c.copies, issuedAt: args.at, contentSha256: contentDigest(c),
    })));
    return { issuanceNumber, certificates };
  }

  async recordPrinted(args: { verificationCode: string; pdfSha256: string }): Promise<void> {
    this.#reachable();
    this.log.printed(args.verificationCode, args.pdfSha256);
  }

  /** What a receiving organization sees when it checks a printed code. */
  async verify(code: string): Promise<IssuanceRecord | null> {
    return this.log.find(code);
  }

  #newCode(): string {
    // 16 random digits: unguessable, so that only a printed document leads to its record.
    for (;;) {
      const code = Array.from({ length: 4 }, () => String(randomInt(10_000)).padStart(4, '0')).join('-');
      if (!this.log.has(code)) return code;
    }
  }

  #reachable(): void {
    if (!this.online) throw new CenterUnreachableError();
  }
}

/** The digest of what a copy certifies: its title, record, certification and numbers, in a fixed order. */
export function contentDigest(c: { title: string; issuanceNumber: string; copyIndex: number; header: unknown; people: unknown; certification: string }): string {
  return createHash('sha256').update(JSON.stringify([c.title, c.issuanceNumber, c.copyIndex, c.header, c.people, c.certification])).digest('hex');
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  if (map.size > MAX_PENDING) map.delete(map.keys().next().value!);
}

function iso(x509Date: string): string {
  return new Date(x509Date).toISOString();
}
