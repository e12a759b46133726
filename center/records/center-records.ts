// What the center remembers of cards over their life: each card's status, each certificate J-LIS issued after the
// first (and each first one once something happened to it), and every action of a ward-office counter or the call
// center. The interface is small so that a PostgreSQL backend (several centers sharing one database) can follow the
// SQLite one; both answer synchronously inside the center's call, as the issuance log does.
//
// A card's first certificates are the ones the sample world minted for its persona (serial `serialFor(persona)`):
// the center knows them without a row, as J-LIS knows the cards it made. A row is written for such a certificate the
// first time its status changes (a loss, a renewal), and for every certificate the counter has issued since.

export type CertificateKind = 'auth' | 'sign';
/** good: usable; hold: 一時保留 (the card reported lost); revoked: 失効 for `reason`. Expiry is read from the dates. */
export type CertificateStatus = 'good' | 'hold' | 'revoked';
export const REVOCATION_REASONS = [
  'lost', 'suspension-cancelled', 'renewed', 'reissued', 'address-changed', 'name-changed', 'moved', 'deceased', 'returned',
  // A move to another city (card-life.md §7.2): the 転入届 came too late, or the 継続利用 did not come within 90 days.
  'late-move-in', 'not-continued',
] as const;
export type RevocationCause = (typeof REVOCATION_REASONS)[number];

/**
 * active; suspended: 一時停止 after a call to the 24-hour line; abolished: 廃止 (lost and replaced, returned, death, a
 * move without continuation). A card whose continuation is pending past its last day is abolished by the center's
 * clock when it is next looked at (CardLife.cardNow), with no row written.
 */
export const CARD_STATUSES = ['active', 'suspended', 'abolished'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

export interface CertificateRow {
  /** Hex, lower case, without leading zeros (as the center reads it from the X.509 serial). */
  serial: string;
  card: string;
  persona: string;
  kind: CertificateKind;
  notBefore: string;
  notAfter: string;
  status: CertificateStatus;
  reason: RevocationCause | null;
  /** When the status last changed (center time). */
  changedAt: string;
}

export interface CardRow {
  card: string;
  persona: string;
  status: CardStatus;
  reason: RevocationCause | null;
  changedAt: string;
  /**
   * The kiosk service may use the card from this time (center time, ISO): the 0:00 after a PIN change, a renewal or
   * a suspension cancelled (the next-day rule, kiosk.md "not yet valid"). Null: no such wait.
   */
  usableFrom: string | null;
  /**
   * After a 転入届 at a new city: the last day (Japan date, YYYY-MM-DD) of the 90 days for the 継続利用 (card-life.md
   * §7.2). The kiosk refuses the card until then; after it, the card has lapsed. Null or absent: nothing pending.
   */
  continueBy?: string | null;
}

/** One action of a counter or the call center, as the center keeps it (never a PIN). */
export interface CounterAction {
  id: number;
  at: string;
  card: string;
  action: string;
  /** Who did it: the clerk's desk, or `call-center`. */
  by: string;
  /** What else the action needs to be understood later (who came, the new serials, the city moved to…). */
  detail: Record<string, unknown>;
}

/** What the center knows of a resident beyond the registry's seed data (a move, a death, a new name). */
export interface ResidentChange {
  resident: string;
  /** The name now (after a marriage, say), or null for the registry's. */
  name: string | null;
  /** The municipality the resident lives in now (after a move in), or null for the registry's. */
  city: string | null;
  /** The resident's address now (after a move), or null for the registry's. */
  address: string | null;
  movingOut: boolean;
  deceased: boolean;
  /** When the last 転出届 was taken (center time): a 転入届 must follow within 14 days. Null or absent: none. */
  movedOutAt?: string | null;
  /** When the 転入届 at the city now recorded was taken (center time): the resident's 住民となった年月日 there. */
  movedInAt?: string | null;
  changedAt: string;
}

/**
 * 戸籍証明書交付の利用登録: a resident whose 本籍地 is another city registered it for the kiosk. It is tied to the
 * user-authentication certificate it was made with (a renewed or re-issued certificate needs it again, L47) and
 * usable once the 本籍地 city has approved it (a few business days).
 */
export interface DomicileRegistration {
  resident: string;
  /** The 本籍地 city's code. */
  city: string;
  appliedAt: string;
  usableFrom: string;
  /** The serial of the user-authentication certificate it was made with. */
  certificate: string;
}

/** How an application reached J-LIS (photo-booth.md §7). */
export const APPLICATION_ROUTES = ['booth', 'smartphone', 'pc', 'mail', 'counter'] as const;
export type ApplicationRoute = (typeof APPLICATION_ROUTES)[number];

/**
 * A 交付申請書 J-LIS printed for a resident: its 23-digit 申請書ID, bound to the name and address printed on it
 * (photo-booth.md §5: a form whose printed name or address has changed cannot be used).
 */
export interface ApplicationForm {
  id: string;
  resident: string;
  name: string;
  address: string;
  printedAt: string;
}

/** An application for a card on a form, by one of the routes; the card J-LIS made of it, once it reached the office. */
export interface Application {
  id: number;
  form: string;
  resident: string;
  route: ApplicationRoute;
  /** Who sent it: the booth's terminal id, or the route's own name. */
  by: string;
  appliedAt: string;
  /** The electronic certificates wanted (false: both boxes blackened on the form, no certificate issued). */
  certificates: boolean;
  braille: boolean;
  /** SHA-256 (hex) of the photograph sent: the center keeps its digest, not the picture. */
  photoSha256: string;
  /** The card made of it (its id in the card store), once it arrived at the office; null before. */
  card: string | null;
  /** The municipality (code) the resident lived in when applying; null in a record from before it was kept. */
  city?: string | null;
}

export interface CenterRecords {
  /** Where it is kept (a file, or ':memory:'). */
  readonly location: string;
  certificate(serial: string): CertificateRow | null;
  certificatesOf(card: string): CertificateRow[];
  /** Adds a certificate, or changes its status (the same serial). */
  putCertificate(row: CertificateRow): void;
  card(card: string): CardRow | null;
  putCard(row: CardRow): void;
  resident(resident: string): ResidentChange | null;
  putResident(row: ResidentChange): void;
  /** A resident's 本籍地 registrations (at most one per city). */
  domiciles(resident: string): DomicileRegistration[];
  putDomicile(row: DomicileRegistration): void;
  /** Records an action of a counter; its id. */
  act(action: Omit<CounterAction, 'id'>): number;
  /** The actions on one card, or all, oldest first (at most `limit`, the newest ones). */
  actions(card?: string, limit?: number): CounterAction[];
  form(id: string): ApplicationForm | null;
  /** Adds a form (its id new: false when that id was printed already). */
  putForm(row: ApplicationForm): boolean;
  /** Records an application on a form: its id, or null when that form carries an application already. */
  apply(row: Omit<Application, 'id' | 'card'>): number | null;
  /** The applications of a resident (or all), oldest first. */
  applications(resident?: string): Application[];
  /** The card J-LIS made of an application arrived at the office. */
  setApplicationCard(id: number, card: string): void;
  /** Runs `fn` as one transaction: everything it wrote, or nothing. */
  atomically<T>(fn: () => T): T;
  close(): void;
}

export class CenterRecordsError extends Error {
  constructor(readonly location: string, detail: string) {
    super(`${location}: ${detail}`);
    this.name = 'CenterRecordsError';
  }
}
