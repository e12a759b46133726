// The kiosk's data as the machine sees it. Everything here is plain JSON: it travels in events, lives in the
// snapshot and is persisted after a crash, so it holds no keys, no PIN and nothing that grows without bound.

export const LANGUAGES = ['ja', 'en', 'zh-Hans', 'zh-Hant', 'ko', 'pt', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The screens, by the ids the machine, the UI, journeys and reports all use. */
export const SCREENS = [
  'top', 'government-menu', 'advanced-menu', 'card-reading', 'city-select', 'pin-entry', 'card-removal',
  'certificate-select', 'type-select', 'info-select', 'copies', 'confirm', 'payment', 'printing',
  'refused', 'pin-locked', 'out-of-service', 'print-failed', 'cancelled', 'registered', 'pin-reset', 'take-card',
] as const;
export type Screen = (typeof SCREENS)[number];

/**
 * The PINs a kiosk resets after a reservation in the JPKI 暗証番号リセット app (card-life.md §3.3): the 4-digit
 * user-authentication PIN ('auth', ②) and the signature password ('sign', ①, 6-16 of A-Z and 0-9). The other two
 * PINs are reset at the ward office only.
 */
export const RESETTABLE_PINS = ['auth', 'sign'] as const;
export type ResettablePin = (typeof RESETTABLE_PINS)[number];

/** What the person chooses on certificate-select (戸籍 全部/個人 is a sub-type, chosen on type-select). */
export const CERTIFICATES = ['juminhyo', 'kisai', 'inkan', 'kazei', 'koseki', 'fuhyo'] as const;
export type Certificate = (typeof CERTIFICATES)[number];

/** How the person proves who they are: the card, or the smartphone's certificate (スマホ用電子証明書). */
export const MEDIUMS = ['card', 'phone'] as const;
export type Medium = (typeof MEDIUMS)[number];
/** Whose records: the city of residence, or the 本籍地 (registered domicile). */
export const SCOPES = ['residence', 'domicile'] as const;
export type Scope = (typeof SCOPES)[number];
/** The multi-copy machine's other services on the top screen (not simulated: they say so). */
export const OTHER_SERVICES = ['copy', 'print', 'photo'] as const;
export type OtherService = (typeof OTHER_SERVICES)[number];
/** Why the acceptor handed a coin or bill back. */
export const CASH_REJECTIONS = ['change-unavailable', 'not-accepted'] as const;
export type CashRejection = (typeof CASH_REJECTIONS)[number];
/** A passing message on the current screen: a service that is not simulated, a coin or bill handed back. */
export type Notice = { kind: 'not-simulated'; service: OtherService } | { kind: 'cash-rejected'; reason: CashRejection };
/** The center's answer to the next request, as an operator or a QA script may choose it (center/scripted-center.ts). */
export const CENTER_ANSWERS = ['normal', 'unreachable', 'revoked-lost', 'revoked-deceased', 'certificate-expired', 'not-registered', 'issuance-refused'] as const;
export type CenterAnswer = (typeof CENTER_ANSWERS)[number];
/** Whose names a 住民票 shows. */
export const JUMINHYO_SCOPES = ['household', 'self', 'members'] as const;
/** 戸籍 全部事項 (the whole register) or 個人事項 (one person). */
export const KOSEKI_FORMS = ['zenbu', 'kojin'] as const;
/**
 * The tax certificates a city may issue under the one tax button (a sub-type of 'kazei', chosen on type-select when
 * the city offers more than one): 課税（非課税）証明書 (income and tax), 所得証明書 (income and deductions, no tax),
 * 所得・課税証明書 (both, one sheet), 納税証明書 (the tax levied, paid and unpaid).
 */
export const TAX_KINDS = ['kazei', 'shotoku', 'shotoku-kazei', 'nozei'] as const;
export type TaxKind = (typeof TAX_KINDS)[number];
/** The kinds of sub-type a certificate may need. */
export const SUBTYPE_KINDS = ['juminhyo', 'koseki', 'kazei', 'fuhyo'] as const;

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
  /** The names in romaji, as the signature certificate's subject writes them (L=Kanagawa-ken, L=Kawasaki-shi). */
  romaji?: { prefecture: string; city: string };
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
  /** The tax certificates the city issues, in the order its screen lists them; the first is the one a request that
   *  names none gets. Optional: a city without it issues the 課税（非課税）証明書 alone (['kazei']). */
  taxKinds?: TaxKind[];
  /** Where, when and with what a locked PIN is reset at the counter (the kiosk cannot reset it). Optional: a city
   *  without it gets only the general advice on the pin-locked screen. */
  pinReset?: PinReset;
  /** How many days the office keeps a new card for its holder to collect (card-life.md §2: Kawagoe prints 3 months
   *  on the notice, another notice said 90 days); then it is destroyed and the holder applies again. Default 90. */
  cardKeptDays?: number;
}

/** A counter where a locked PIN is reset: the resident section of a ward office or of the city hall. Its names are
 *  proper names and are shown in Japanese in every language. */
export interface ResetOffice {
  /** The ward (区) it serves, or the municipality itself where there are no wards: '中原区'. */
  name: string;
  /** The office and section as signposted: '中原区役所 区民課'. */
  office: string;
  /** The street address, from the ward (or city) name on: '中原区小杉町3-245'. */
  address: string;
}

/** What to bring to reset a PIN, by id (the screen words each in the chosen language). */
export type ResetRequirement = 'my-number-card' | 'identity-document';

export interface PinReset {
  offices: ResetOffice[];
  /** Counter hours, Japan time ('HH:MM'); structured so that each language can word them. */
  hours: {
    weekdays: Pick<Hours, 'open' | 'close'>;
    /** Saturdays the counters open, by their week of the month (e.g. [2, 4]: the 2nd and 4th Saturday). */
    saturdays?: Pick<Hours, 'open' | 'close'> & { weeks: number[] };
  };
  closed: {
    /** Closed on national holidays. */
    holidays: boolean;
    /** The year-end closure, 'MM-DD' to 'MM-DD' (12-29 to 01-03), or null. */
    yearEnd: { from: string; to: string } | null;
  };
  bring: ResetRequirement[];
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
  | { kind: 'juminhyo'; scope: (typeof JUMINHYO_SCOPES)[number]; members: string[] }
  | { kind: 'koseki'; form: (typeof KOSEKI_FORMS)[number]; person: string | null }
  /** taxKind: which tax certificate; left out, the city's first (machine/rules/catalog.ts taxKindOf). */
  | { kind: 'kazei'; year: number; taxKind?: TaxKind }
  | { kind: 'fuhyo'; person: string };

/** The information a 住民票 may show on request, in the order the screen lists it. */
export const INFO_KEYS = ['householdHead', 'domicile', 'myNumber', 'nationality', 'residenceStatus', 'residenceCardNumber'] as const;
export type InfoKey = (typeof INFO_KEYS)[number];

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

/**
 * Why a card or person is turned away. card-suspended: reported lost (一時停止), its certificates on hold;
 * card-replaced: an old card or certificate after a re-issue or renewal; no-user-certificate: none on the card;
 * registration-not-needed: a 本籍地 registration asked for the city the person lives in; no-reset-reservation: a PIN
 * reset at the kiosk with no reservation made in the JPKI app within the last 24 hours (or one for the other PIN).
 */
export type RefusalReason =
  | 'unsupported-card' | 'no-card' | 'card-read-error' | 'card-removed'
  | 'certificate-expired' | 'certificate-not-yet-valid' | 'certificate-revoked'
  | 'card-suspended' | 'card-replaced' | 'no-user-certificate' | 'registration-not-needed' | 'no-reset-reservation'
  | 'under-15' | 'adult-ward' | 'moved-out' | 'support-measure' | 'not-registered'
  | 'city-not-participating' | 'domicile-not-registered' | 'center-unreachable';

/** 'out-of-order': the terminal itself cannot safely take money or print (its spool, disk or journal failed). */
export type OutOfServiceReason = 'outside-hours' | 'year-end' | 'maintenance' | 'out-of-order';
/** 'printer-error': anything else on the way to paper (the spool, the disk, the journal, a printer that never answered). */
export type PrintFailure = 'paper-out' | 'paper-jam' | 'printer-offline' | 'printer-error' | 'center-unreachable' | 'issuance-refused';
export type CancelReason = 'cancelled' | 'timeout' | 'payment-timeout';
export type Unavailability = 'not-offered' | 'no-seal' | 'no-tax-data' | 'outside-hours' | 'domicile-only' | 'residence-only';

export const COINS_AND_BILLS = [10, 50, 100, 500, 1000, 2000, 5000, 10000] as const;
