// The kiosk's data as the machine sees it. Everything here is plain JSON: it travels in events, lives in the
// snapshot and is persisted after a crash, so it holds no keys, no PIN and nothing that grows without bound.

export const LANGUAGES = ['ja', 'en', 'zh-Hans', 'zh-Hant', 'ko', 'pt', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The screens, by the ids the machine, the UI, journeys and reports all use. */
export const SCREENS = [
  'top', 'government-menu', 'advanced-menu', 'card-reading', 'city-select', 'pin-entry', 'card-removal',
  'certificate-select', 'type-select', 'info-select', 'copies', 'confirm', 'payment', 'printing',
  'refused', 'pin-locked', 'out-of-service', 'print-failed', 'cancelled',
] as const;
export type Screen = (typeof SCREENS)[number];

/** What the person chooses on certificate-select (戸籍 全部/個人 is a sub-type, chosen on type-select). */
export const CERTIFICATES = ['juminhyo', 'kisai', 'inkan', 'kazei', 'koseki', 'fuhyo'] as const;
export type Certificate = (typeof CERTIFICATES)[number];

export type Medium = 'card' | 'phone';
export type Scope = 'residence' | 'domicile';

/** What the reader learned from the card before any PIN: enough to refuse early. */
export interface CardSummary {
  /** Token EF 0006 of the JPKI AP; null when the card has no JPKI application (city card, unknown card). */
  token: string | null;
  /** Validity of the user-authentication certificate, ISO times. */
  certificate: { serial: string; notBefore: string; notAfter: string } | null;
  /** From the empty VERIFY: the kiosk never spends a try to learn it. */
  triesLeft: number;
}

export interface Hours {
  /** 'HH:MM' Japan time. */
  open: string;
  close: string;
  /** 'weekdays' excludes Saturdays, Sundays and national holidays listed in the municipality's data. */
  days: 'daily' | 'weekdays';
}

export interface CertificateOffer {
  fee: number;
  counterFee: number;
  /** Narrower hours for this certificate (e.g. 戸籍 on weekdays 9:00–17:00). */
  hours?: Hours;
}

export interface Municipality {
  code: string;
  name: string;
  prefecture: string;
  participating: boolean;
  mayor: string;
  maxCopies: number;
  /** Maintenance windows, ISO times; the service is out of service for this city inside them. */
  maintenance: Array<{ from: string; to: string }>;
  /** National holidays 'YYYY-MM-DD' that matter for weekday-only certificates. */
  holidays: string[];
  certificates: Partial<Record<Certificate, CertificateOffer>>;
  /** Whether 個人番号 may be printed on 住民票 on request. */
  printsMyNumber: boolean;
  /** How many tax years are offered (the latest first). */
  taxYears: number;
}

export interface Person {
  id: string;
  name: string;
  relationship: string;
}

/** The resident behind an authenticated card, as the center tells it: facts, not decisions. */
export interface Holder {
  id: string;
  name: string;
  birthDate: string; // YYYY-MM-DD
  foreign: boolean;
  adultWard: boolean;
  movedOut: boolean;
  supportMeasure: boolean;
  residenceCity: string;
  domicileCity: string | null;
  /** 利用登録 done for a 本籍地 that differs from the residence city. */
  domicileRegistered: boolean;
  sealRegistered: boolean;
  /** Fiscal years (年度) for which the city has tax data for this person. */
  taxYears: number[];
  household: Person[];
  familyRegister: Person[];
}

export type Subtype =
  | { kind: 'juminhyo'; scope: 'household' | 'self' | 'members'; members: string[] }
  | { kind: 'koseki'; form: 'zenbu' | 'kojin'; person: string | null }
  | { kind: 'kazei'; year: number }
  | { kind: 'fuhyo'; person: string };

export interface InfoOptions {
  householdHead: boolean; // 世帯主・続柄
  domicile: boolean; // 本籍・筆頭者
  myNumber: boolean; // 個人番号, only where the city allows it
  nationality: boolean; // 国籍・地域 (foreign residents)
  residenceStatus: boolean; // 在留資格
  residenceCardNumber: boolean; // 在留カード等の番号
}

export interface CertificateRequest {
  scope: Scope;
  city: string;
  certificate: Certificate;
  subtype: Subtype | null;
  options: InfoOptions | null;
  copies: number;
  unitFee: number;
}

export type RefusalReason =
  | 'unsupported-card' | 'no-card' | 'card-read-error' | 'card-removed'
  | 'certificate-expired' | 'certificate-not-yet-valid' | 'certificate-revoked'
  | 'under-15' | 'adult-ward' | 'moved-out' | 'support-measure' | 'not-registered'
  | 'city-not-participating' | 'domicile-not-registered' | 'center-unreachable';

export type OutOfServiceReason = 'outside-hours' | 'year-end' | 'maintenance';
export type PrintFailure = 'paper-out' | 'paper-jam' | 'printer-offline' | 'center-unreachable' | 'issuance-refused';
export type CancelReason = 'cancelled' | 'timeout' | 'payment-timeout';
export type Unavailability = 'not-offered' | 'no-seal' | 'no-tax-data' | 'outside-hours' | 'domicile-only' | 'residence-only';

export const COINS_AND_BILLS = [10, 50, 100, 500, 1000, 2000, 5000, 10000] as const;
