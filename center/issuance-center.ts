// What a kiosk asks of the issuance center, whether it runs in the kiosk's process (SimCenter) or as its own
// process on loopback (CenterClient → `kiosk center serve`). Every call is asynchronous because a real center is
// across a network; every answer is plain JSON-able data (Buffers travel as base64 on the wire).
import type { CertificateRequest, Holder, Municipality, RefusalReason, ResettablePin, Scope } from '../machine/types.ts';
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
  'revoked-replaced', // an older certificate of the card: renewed, replaced after a suspension, or a new card issued
  'certificate-on-hold', // 一時保留: the card was reported lost (the 24-hour line) and is suspended
  'card-abolished', // 廃止: the card was returned or replaced, or lapsed after a move (no 継続利用, a late 転入)
  'card-expired', // the card itself is past its expiry (its certificates end with it, card-life.md §6.3)
  'continuation-pending', // moved in to another city, the card's 継続利用 not done yet (card-life.md §7.2)
  'signature-invalid', // the challenge was not signed by the certificate's key
  'unknown-certificate', // a valid certificate with no resident behind it
  'city-not-participating',
  'not-registered',
  'domicile-not-registered',
  'service-closed', // outside the national service hours or in the year-end closure, by the center's own clock
  'no-reset-reservation', // a PIN reset at a kiosk with no reservation of the JPKI app for that PIN in the last 24 h
  'sign-certificate-unusable', // a PIN reset needs the signature certificate valid and not revoked (card-life.md §3.3)
  'proof-mismatch', // the reset's proof was made with a certificate of another card
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
  /**
   * The kiosk's (simulated) Japan time, ISO: only its claim. The center decides by its own clock, and refuses a
   * terminal whose clock is off by more than its tolerance (CenterClockSkewError).
   */
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
  /** The kiosk's time, ISO: only its claim (see AuthRequest.at); the issuance is dated by the center's clock. */
  at: string;
  /**
   * The terminal's id, which the issuance number carries (e.g. K01). It must be the terminal the center
   * authenticated for this call (IssueRefusal `terminal-mismatch` otherwise).
   */
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

/**
 * The center as one terminal sees it: every call is that terminal's (SimCenter.connectLocal in process; a
 * CenterClient signing with the terminal's key over HTTP). Challenges and sessions belong to the terminal that asked.
 */
export interface IssuanceCenter {
  /** Whether the kiosk can reach the center (a journey or the operator can cut the link). */
  online: boolean;
  challenge(): Promise<Buffer>;
  authenticate(args: AuthRequest): Promise<AuthResult>;
  issue(args: IssueRequest): Promise<Issuance>;
  /**
   * The kiosk tells the center the printed file's digest, so that `kiosk verify FILE.pdf` can spot a change. Once per
   * copy, by the terminal that printed it (PrintedRefusedError otherwise).
   */
  recordPrinted(args: { verificationCode: string; pdfSha256: string }): Promise<void>;
  verify(code: string): Promise<IssuanceRecord | null>;
  /**
   * 戸籍証明書交付の利用登録 at the kiosk: the session's person registers the session's city (their 本籍地, another
   * city than where they live) for 戸籍 certificates; usable once that city approves (a few business days). The
   * session is used up; a refusal is IssuanceRefusedError (`unavailable`: no registration needed or possible).
   */
  registerDomicile(args: RegistrationRequest): Promise<{ city: string; usableFrom: string }>;
  /**
   * 暗証番号リセット at the kiosk (card-life.md §3.3): allowed when the card's certificates are good and the holder
   * reserved a reset of this PIN in the JPKI app within the last 24 hours, proven by a signature over a challenge of
   * this center with the other PIN's key. The reservation is used up; the kiosk then writes the new PIN.
   */
  resetPin(args: PinResetRequest): Promise<{ ok: true } | { ok: false; reason: RefusalReason; cause: AuthCause }>;
  /**
   * A photo booth's question to J-LIS (applications.ts): can this form carry an application now, and (with
   * `birthDate`) is that the birth date of the person it was printed for? Wrong birth dates are counted per form.
   */
  checkForm(args: FormCheckRequest): Promise<FormAnswer>;
  /** A booth's application on a form, with what the person entered and the photograph's digest. */
  applyForCard(args: CardApplicationRequest): Promise<{ ok: true; application: number; arrivesOn: string } | { ok: false; reason: FormRefusal }>;
}

/** Why J-LIS refuses a form or an application (applications.ts): each has its words for the person on the booth's screen. */
export const APPLICATION_REFUSALS = [
  // The QR code or the typed ID is not a 申請書ID (23 digits).
  'form-malformed',
  // No form J-LIS printed has this ID.
  'form-unknown',
  // An application was sent on this form already (by this route or another).
  'form-used',
  // The name or address printed on the form is no longer the resident's (a move, a new name): a new form is needed.
  'form-outdated',
  // The resident has moved out, died, or is not registered: no card is made.
  'not-resident',
  // The birth date entered is not the resident's.
  'birth-date-mismatch',
  // The photograph sent is not one (no digest of 64 hex digits).
  'photo-missing',
  // An earlier application of the resident is still being processed (its card has not reached the office).
  'application-pending',
] as const;
export type ApplicationRefusal = (typeof APPLICATION_REFUSALS)[number];
export type FormRefusal = ApplicationRefusal;

export interface FormCheckRequest {
  form: string;
  birthDate?: string;
  at: string;
  terminal: string;
}

/** ok; the birth date given is not the person's (`wrong`, tries left on the form); or the form is refused. */
export type FormAnswer = { ok: true } | { ok: false; wrongBirthDate: true } | { ok: false; reason: FormRefusal };

export interface CardApplicationRequest {
  form: string;
  birthDate: string;
  certificates: boolean;
  braille: boolean;
  photoSha256: string;
  at: string;
  terminal: string;
}

export interface PinResetRequest {
  pin: ResettablePin;
  /** The card's user-authentication certificate (free to read), which names the card. */
  certificate: Buffer;
  /** The other PIN's certificate and its key's signature over `challenge` (PKCS#1 v1.5, SHA-256). */
  proof: { certificate: Buffer; signature: Buffer };
  challenge: Buffer;
  /** The kiosk's time: only its claim (see AuthRequest.at). */
  at: string;
  terminal: string;
}

export interface RegistrationRequest {
  session: string;
  /** The kiosk's time: only its claim (see AuthRequest.at). */
  at: string;
  /** The calling terminal (as IssueRequest.terminal). */
  terminal: string;
}

/** The center's own clock (the kiosk's Clock fits it): every decision the center takes is dated by it. */
export interface CenterClock {
  /** ISO time with the Japan offset. */
  now(): string;
  nowMs(): number;
}

export class CenterUnreachableError extends Error {
  constructor(detail?: string) {
    super(`The issuance center does not answer${detail ? ` (${detail})` : ''}. Nothing was charged; try again later or use the municipal office.`);
    this.name = 'CenterUnreachableError';
  }
}

/**
 * The terminal's clock and the center's differ by more than the center's tolerance: the center does nothing for it.
 * A kind of unreachable center for the kiosk (it shows "center unreachable" and refunds), with a message for staff.
 */
export class CenterClockSkewError extends CenterUnreachableError {
  constructor(readonly centerTime: string, readonly terminalTime: string) {
    super();
    const skew = Date.parse(terminalTime) - Date.parse(centerTime);
    this.message = `The terminal's clock (${terminalTime}) is ${duration(Math.abs(skew))} ${skew > 0 ? 'ahead of' : 'behind'} the issuance center's (${centerTime}), `
      + 'so the center refused the call; nothing was issued or charged. Set the kiosk\'s clock right (kiosk start --clock real, or the operator panel) '
      + 'or, if the center\'s clock is the wrong one, restart it with the right time (kiosk center serve --clock real).';
    this.name = 'CenterClockSkewError';
  }
}

/**
 * The center does not take the terminal's signed call: no token, a made-up one, its terminal removed or given a new
 * token (the center answers 401 whatever was wrong, unsigned: it cannot sign for a terminal it does not know).
 * The kiosk treats it as an unreachable center (it shows "center unreachable" and refunds); the message is for staff.
 */
export class CenterAuthenticationError extends CenterUnreachableError {
  constructor(readonly url: string) {
    super();
    this.message = `The issuance center at ${url} does not accept this terminal's token. Register the terminal with \`kiosk center terminal add ID --var DIR --out FILE\` `
      + '(DIR: the center\'s --var) and start the kiosk with `--center-token FILE`.';
    this.name = 'CenterAuthenticationError';
  }
}

/**
 * The server at the center's address answered a terminal's signed call without the center's signature (or with a
 * wrong one): it is not this terminal's center, whatever it says (another program may have taken the port while the
 * center was down). Nothing it said is believed; the kiosk treats it as an unreachable center (it refunds).
 */
export class CenterImpostorError extends CenterUnreachableError {
  constructor(readonly url: string, detail = 'its answer is not signed with this terminal\'s key') {
    super();
    this.message = `The server at ${url} is not this terminal's issuance center: ${detail}, so nothing it answered was believed (another program may have taken `
      + 'the center\'s port while the center was down). Stop that program and start the center again (kiosk center serve), or give the right --center URL.';
    this.name = 'CenterImpostorError';
  }
}

/** "1 h 05 min", "3 min 20 s", "2 days 4 h": how far apart two clocks are. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} days ${Math.floor((s % 86_400) / 3600)} h`;
}

/** Why the center would not record a printed file's digest. */
export const PRINTED_REFUSALS = ['unknown-code', 'not-this-terminal', 'already-recorded'] as const;
export type PrintedRefusal = (typeof PRINTED_REFUSALS)[number];

export class PrintedRefusedError extends Error {
  constructor(readonly reason: PrintedRefusal) {
    super(`The center did not record the printed file's digest (${reason}): ${PRINTED_REASON[reason]}.`);
    this.name = 'PrintedRefusedError';
  }
}

const PRINTED_REASON: Record<PrintedRefusal, string> = {
  'unknown-code': 'no copy with this verification code was issued',
  'not-this-terminal': 'only the terminal that printed a copy may report its file',
  'already-recorded': 'a copy\'s file is recorded once, and this one already was',
};

/** Why the center refused an issuance request that the kiosk let through. */
export const ISSUE_REFUSALS = [
  'session-unknown', 'session-mismatch', 'unknown-city', 'holder', 'city', 'maintenance', 'unavailable', 'copies',
  'member-not-in-household', 'person-not-in-register', 'subtype', 'my-number-not-allowed', 'options',
  'terminal-mismatch', // the request names another terminal than the one the center authenticated
  'service-closed', // outside the service hours by the center's clock (checked again at issuance)
] as const;
export type IssueRefusal = (typeof ISSUE_REFUSALS)[number];

export class IssuanceRefusedError extends Error {
  constructor(readonly refusal: IssueRefusal, readonly detail: string) {
    super(`The center refused to issue (${refusal}: ${detail}). Nothing is printed or charged.`);
    this.name = 'IssuanceRefusedError';
  }
}
