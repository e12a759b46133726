// What a kiosk asks of the issuance center, whether it runs in the kiosk's process (SimCenter) or as its own
// process on loopback (CenterClient → `kiosk center serve`). Every call is asynchronous because a real center is
// across a network; every answer is plain JSON-able data (Buffers travel as base64 on the wire).
import type { CertificateRequest, Holder, Municipality, RefusalReason, Scope } from '../machine/types.ts';
import type { IssuedCertificate } from '../printer/document.ts';

/**
 * Why an authentication failed, in the center's own words. The machine only needs the kiosk-facing reason
 * (RefusalReason); the cause goes to the journal and reports, so that QA can tell a forged signature from a
 * replayed challenge.
 */
export const AUTH_CAUSES = [
  'challenge-unknown', // never issued, already used (a replay) or expired
  'certificate-malformed',
  'foreign-ca', // not signed by the JPKI user-authentication CA
  'certificate-expired',
  'certificate-not-yet-valid',
  'revoked-lost', // the card was reported lost and suspended
  'revoked-moved-out', // the certificate lapsed with a move abroad / loss of registration
  'revoked-deceased',
  'signature-invalid', // the challenge was not signed by the certificate's key
  'unknown-certificate', // a valid certificate with no resident behind it
  'city-not-participating',
  'not-registered',
  'domicile-not-registered',
] as const;
export type AuthCause = (typeof AUTH_CAUSES)[number];

export interface AuthRequest {
  /** The card's user-authentication certificate, DER. */
  certificate: Buffer;
  /** A challenge this center issued; usable once. */
  challenge: Buffer;
  /** RSA PKCS#1 v1.5 over SHA-256 of the challenge, made by the card after its PIN was verified. */
  signature: Buffer;
  scope: Scope;
  /** The 本籍地 chosen on city-select (scope domicile); null for the residence city. */
  city: string | null;
  /** The kiosk's (simulated) Japan time, ISO. */
  at: string;
}

export type AuthResult =
  | {
      ok: true;
      holder: Holder;
      city: Municipality;
      /**
       * A one-time bearer token for this person's issuance. It stays in the kiosk runtime (never in the machine's
       * snapshot) and is the only way to ask for this person's documents: the center never takes a holder's word.
       */
      session: string;
    }
  | { ok: false; reason: RefusalReason; cause: AuthCause };

export interface IssueRequest {
  session: string;
  /** The holder the kiosk believes it serves; the center refuses when it is not the session's person. */
  holder: string;
  request: CertificateRequest;
  at: string;
  /** The terminal's id, which the issuance number carries (e.g. K01). */
  terminal: string;
}

export interface Issuance {
  issuanceNumber: string;
  certificates: IssuedCertificate[];
}

/** One issued copy, as the issuance log keeps it and a receiving organization sees it. */
export interface IssuanceRecord {
  issuanceNumber: string;
  verificationCode: string;
  /** The terminal that printed it. */
  terminal: string;
  holder: string;
  city: string;
  title: string;
  copy: number;
  copies: number;
  issuedAt: string;
  /** SHA-256 of the certificate's content (title, header, people, certification), fixed at issuance. */
  contentSha256: string;
  /** SHA-256 of the PDF as printed, reported by the kiosk after printing (absent when no file was kept). */
  pdfSha256?: string;
}

export interface IssuanceCenter {
  /** Whether the kiosk can reach the center (a journey or the operator can cut the link). */
  online: boolean;
  challenge(): Promise<Buffer>;
  authenticate(args: AuthRequest): Promise<AuthResult>;
  issue(args: IssueRequest): Promise<Issuance>;
  /** The kiosk tells the center the printed file's digest, so that `kiosk verify FILE.pdf` can spot a change. */
  recordPrinted(args: { verificationCode: string; pdfSha256: string }): Promise<void>;
  verify(code: string): Promise<IssuanceRecord | null>;
}

export class CenterUnreachableError extends Error {
  constructor(detail?: string) {
    super(`The issuance center does not answer${detail ? ` (${detail})` : ''}. Nothing was charged; try again later or use the municipal office.`);
    this.name = 'CenterUnreachableError';
  }
}

/** Why the center refused an issuance request that the kiosk let through. */
export const ISSUE_REFUSALS = [
  'session-unknown', 'session-mismatch', 'unknown-city', 'holder', 'city', 'maintenance', 'unavailable', 'copies',
  'member-not-in-household', 'person-not-in-register', 'subtype', 'my-number-not-allowed', 'options',
] as const;
export type IssueRefusal = (typeof ISSUE_REFUSALS)[number];

export class IssuanceRefusedError extends Error {
  constructor(readonly refusal: IssueRefusal, readonly detail: string) {
    super(`The center refused to issue (${refusal}: ${detail}). Nothing is printed or charged.`);
    this.name = 'IssuanceRefusedError';
  }
}
