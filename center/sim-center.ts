// The simulated issuance center: it authenticates a card by its user-authentication certificate and a signature
// over a one-time challenge, tells the kiosk who the holder is, and issues certificates with a verification code
// that a receiving organization can check later. Like the real center it trusts nothing the kiosk decided.
import { X509Certificate, createHash, randomBytes, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cardProblem, cityProblem, holderProblem } from '../machine/rules/eligibility.ts';
import { inMaintenance } from '../machine/rules/hours.ts';
import { copiesAllowed, unavailability } from '../machine/rules/catalog.ts';
import type { CertificateRequest, Holder, Municipality, RefusalReason, Scope } from '../machine/types.ts';
import type { IssuedCertificate } from '../printer/document.ts';
import type { TestCa } from './x509/test-ca.ts';
import { buildCertificates } from './documents.ts';
import { japanTime } from '../machine/rules/japan-time.ts';
import { holderFacts, residentOf, serialFor, type Persona, type ResidentRecord } from './residents.ts';

export class CenterUnreachableError extends Error {
  constructor() {
    super('The issuance center does not answer. Nothing was charged; try again later or use the municipal office.');
    this.name = 'CenterUnreachableError';
  }
}

export class IssuanceRefusedError extends Error {
  constructor(readonly reason: string) {
    super(`The center refused to issue: ${reason}. The kiosk should not have asked; nothing is printed or charged.`);
    this.name = 'IssuanceRefusedError';
  }
}

export type AuthResult =
  | { ok: true; holder: Holder; city: Municipality }
  | { ok: false; reason: RefusalReason };

export interface IssuanceRecord {
  issuanceNumber: string;
  verificationCode: string;
  holder: string;
  city: string;
  title: string;
  copy: number;
  issuedAt: string;
}

export interface SimCenterOptions {
  municipalities: Municipality[];
  personas: Persona[];
  ca: TestCa;
  terminalId?: string;
  /** Where the issuance sequence survives a restart, so that no issuance number is ever given twice. */
  sequenceFile?: string;
}

export class SimCenter {
  readonly ca: TestCa;
  readonly #cities: Map<string, Municipality>;
  readonly #residents = new Map<string, ResidentRecord>();
  readonly #bySerial = new Map<string, string>();
  readonly #revoked = new Set<string>();
  readonly #challenges = new Set<string>();
  readonly #issued = new Map<string, IssuanceRecord>();
  readonly #terminalId: string;
  #sequence = 0;
  readonly #sequenceFile: string | null;
  online = true;

  constructor(options: SimCenterOptions) {
    this.ca = options.ca;
    this.#terminalId = options.terminalId ?? 'K01';
    this.#sequenceFile = options.sequenceFile ?? null;
    if (this.#sequenceFile) mkdirSync(dirname(this.#sequenceFile), { recursive: true });
    if (this.#sequenceFile && existsSync(this.#sequenceFile)) this.#sequence = Number(readFileSync(this.#sequenceFile, 'utf8')) || 0;
    this.#cities = new Map(options.municipalities.map((m) => [m.code, m]));
    for (const p of options.personas) {
      const r = residentOf(p);
      const serial = serialFor(p.id).toString(16);
      if (r) {
        this.#residents.set(r.id, r);
        this.#bySerial.set(serial, r.id);
      }
      if (p.card.revoked) this.#revoked.add(serial);
    }
  }

  get municipalities(): Municipality[] {
    return [...this.#cities.values()];
  }

  /** A one-time challenge for the card to sign (it can be used once, by one authentication). */
  challenge(): Buffer {
    this.#reachable();
    const c = randomBytes(32);
    this.#challenges.add(c.toString('hex'));
    return c;
  }

  authenticate(args: { certificate: Buffer; challenge: Buffer; signature: Buffer; scope: Scope; city: string | null; at: string }): AuthResult {
    this.#reachable();
    if (!this.#challenges.delete(args.challenge.toString('hex'))) return { ok: false, reason: 'card-read-error' };
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(args.certificate);
    } catch {
      return { ok: false, reason: 'unsupported-card' };
    }
    if (!cert.verify(this.ca.publicKey)) return { ok: false, reason: 'unsupported-card' };
    const serial = BigInt('0x' + cert.serialNumber).toString(16);
    const validity = cardProblem(
      { token: 'JPKIAPICCTOKEN2', certificate: { serial, notBefore: iso(cert.validFrom), notAfter: iso(cert.validTo) }, triesLeft: 3 },
      'card', args.at,
    );
    if (validity) return { ok: false, reason: validity };
    if (this.#revoked.has(serial)) return { ok: false, reason: 'certificate-revoked' };
    // The signature proves the card holds the key and that its PIN was just verified.
    if (!verify('sha256', args.challenge, cert.publicKey, args.signature)) return { ok: false, reason: 'card-read-error' };
    const resident = this.#residents.get(this.#bySerial.get(serial) ?? '');
    if (!resident) return { ok: false, reason: 'not-registered' };
    const code = args.scope === 'domicile' ? args.city ?? resident.domicileCity ?? '' : resident.residenceCity;
    const city = this.#cities.get(code);
    if (!city) return { ok: false, reason: args.scope === 'domicile' ? 'domicile-not-registered' : 'city-not-participating' };
    return { ok: true, holder: holderFacts(resident), city };
  }

  /**
   * Issues the certificates of one paid request. The center re-checks every rule itself (defense in depth) and
   * binds each copy to one issuance number, so one person's data can never land in another's session.
   */
  issue(args: { holder: string; request: CertificateRequest; at: string }): { issuanceNumber: string; certificates: IssuedCertificate[] } {
    this.#reachable();
    const resident = this.#residents.get(args.holder);
    const city = this.#cities.get(args.request.city);
    if (!resident || !city) throw new IssuanceRefusedError('unknown resident or city');
    const holder = holderFacts(resident);
    const problem = holderProblem(holder, args.at) ?? cityProblem(city, holder, args.request.scope)
      ?? (inMaintenance(city, args.at) ? 'maintenance' : null)
      ?? unavailability(args.request.certificate, city, holder, args.request.scope, args.at)
      ?? (copiesAllowed(args.request.copies, city) ? null : 'copies');
    if (problem) throw new IssuanceRefusedError(problem);
    if (args.request.options?.myNumber && !city.printsMyNumber) throw new IssuanceRefusedError('個人番号 not printed by this city');
    const issuanceNumber = `${this.#terminalId}-${japanTime(args.at).date.replaceAll('-', '')}-${String(++this.#sequence).padStart(6, '0')}`;
    if (this.#sequenceFile) writeFileSync(this.#sequenceFile, String(this.#sequence));
    const certificates = buildCertificates({
      resident, request: args.request, city, issuanceNumber, issuedAt: args.at,
      verificationCode: (copy) => verificationCode(issuanceNumber, copy),
    });
    for (const c of certificates) {
      this.#issued.set(c.verificationCode, {
        issuanceNumber, verificationCode: c.verificationCode, holder: resident.id, city: city.code,
        title: c.title, copy: c.copyIndex, issuedAt: args.at,
      });
    }
    return { issuanceNumber, certificates };
  }

  /** What a receiving organization sees when it checks a printed code. */
  verifyCode(code: string): IssuanceRecord | null {
    return this.#issued.get(code) ?? null;
  }

  #reachable(): void {
    if (!this.online) throw new CenterUnreachableError();
  }
}

function iso(x509Date: string): string {
  return new Date(x509Date).toISOString();
}

/** 16 digits in groups of 4, derived from the issuance number and copy (plus a secret salt in real life). */
function verificationCode(issuanceNumber: string, copy: number): string {
  const digits = BigInt('0x' + createHash('sha256').update(`${issuanceNumber}/${copy}`).digest('hex').slice(0, 16)) % 10n ** 16n;
  return digits.toString().padStart(16, '0').replace(/(\d{4})(?=\d)/g, '$1-');
}
