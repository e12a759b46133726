// What every language's catalog provides (the `Strings` type makes a missing key a compile error; i18n.test.ts checks
// the same at run time against the reason ids in machine/types.ts), and what the screens need before any catalog is
// loaded: each language's own name, its lang tag, the certificates' Japanese names.
import {
  LANGUAGES, type CancelReason, type CashRejection, type Certificate, type InfoKey, type Language, type OtherService,
  type OutOfServiceReason, type PrintFailure, type RefusalReason, type ResetRequirement, type ResettablePin, type TaxKind, type Unavailability,
} from '../../../machine/types.ts';

/** The languages in the order the bar shows them: the machine's own order. */
export const LANGUAGE_ORDER: readonly Language[] = LANGUAGES;

/** Each language named in itself, so a person finds theirs whatever the current language is. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  ja: '日本語', en: 'English', 'zh-Hans': '简体中文', 'zh-Hant': '繁體中文', ko: '한국어', pt: 'Português', es: 'Español',
};

/** The BCP 47 tag for the `lang` attribute. */
export const LANG_TAGS: Record<Language, string> = {
  ja: 'ja', en: 'en', 'zh-Hans': 'zh-Hans', 'zh-Hant': 'zh-Hant', ko: 'ko', pt: 'pt', es: 'es',
};

/** The Japanese names printed on the certificates. */
export const JAPANESE_CERTIFICATE_NAMES: Record<Certificate, string> = {
  juminhyo: '住民票の写し',
  kisai: '住民票記載事項証明書',
  inkan: '印鑑登録証明書',
  kazei: '課税・非課税証明書',
  koseki: '戸籍証明書',
  fuhyo: '戸籍の附票の写し',
};

/** The tax certificates' Japanese names, as printed (center/documents.ts TITLES) and shown beside each language's. */
export const JAPANESE_TAX_KIND_NAMES: Record<TaxKind, string> = {
  kazei: '課税・非課税証明書',
  shotoku: '所得証明書',
  'shotoku-kazei': '所得・課税証明書',
  nozei: '納税証明書',
};


export interface Message {
  /** What happened. */
  title: string;
  /** What to do now. */
  action: string;
}


export interface Strings {
  appName: string;
  step: (n: number, of: number) => string;
  language: string;
  back: string;
  cancel: string;
  next: string;
  done: string;
  backToTop: string;
  connecting: string;

  topTitle: string;
  services: Record<OtherService | 'government', string>;
  governmentSub: string;
  notSimulated: (service: string) => string;
  attract: string;
  /** The attract screen: what wakes the kiosk, and the service in three pictures. */
  touchToStart: string;
  attractSteps: string[];

  governmentTitle: string;
  certificateService: string;
  certificateServiceSub: string;
  domicileRegistration: string;
  domicileRegistrationSub: string;
  pinReset: string;
  pinResetSub: string;
  comingLater: string;

  mediumTitle: string;
  mediumCard: string;
  mediumCardSub: string;
  mediumPhone: string;
  mediumPhoneSub: string;
  termsTitle: string;
  terms: string[];
  acceptTerms: string;
  chooseMediumFirst: string;

  readCardTitle: string;
  readPhoneTitle: string;
  readHint: string;
  /** The same, for a smartphone (スマホ用電子証明書): its own words, not the card's. */
  readHintPhone: string;
  reading: string;

  cityTitle: string;
  cityResidence: string;
  cityResidenceSub: string;
  cityDomicile: string;
  cityDomicileSub: string;
  choosePrefecture: string;
  chooseMunicipality: string;
  notParticipating: string;

  pinTitle: string;
  pinHint: string;
  triesLeft: (n: number) => string;
  /** Said before the tries left when the PIN just entered was wrong. */
  pinWrong: string;
  /** 音声ガイド: said when a PIN digit goes in (never the digit); the controls' names (read by screen readers). */
  voiceDigit: string;
  voiceOff: string;
  voiceOn: string;
  voiceRepeat: string;
  pinClear: string;
  pinBackspace: string;
  pinEnter: string;
  pinEntered: (n: number) => string;
  verifying: string;
  authenticating: string;

  removeTitle: string;
  removeHint: string;
  /** After the PIN, when the certificate is within its renewal window: the date it expires (YYYY-MM-DD). */
  renewalSoon: (date: string) => string;
  removeReminder: string;
  removeTitlePhone: string;
  removeHintPhone: string;
  removeReminderPhone: string;

  certificateTitle: string;
  certificateNames: Record<Certificate, string>;
  perCopy: (fee: string) => string;
  /** Beside the kiosk's fee: how much less it is than at the city's counter. */
  cheaperThanCounter: (yen: string) => string;
  unavailable: Record<Unavailability, string>;

  typeTitle: string;
  household: string;
  self: string;
  members: string;
  chooseMembers: string;
  kosekiZenbu: string;
  kosekiKojin: string;
  choosePerson: string;
  chooseYear: string;
  fiscalYear: (year: number) => string;
  /** type-select's title where the city issues more than one tax certificate: the kind, then the year. */
  chooseTaxKind: string;
  /** The tax certificates' names (the Japanese shown beside them) and what each states. */
  taxKinds: Record<TaxKind, string>;
  taxKindSub: Record<TaxKind, string>;

  infoTitle: string;
  info: Record<InfoKey, string>;
  include: string;
  omit: string;
  residentCodeNote: string;

  copiesTitle: string;
  copiesCount: (n: number) => string;
  copiesMax: (n: number) => string;
  fewer: string;
  more: string;

  confirmTitle: string;
  holderName: string;
  city: string;
  certificate: string;
  subtype: string;
  options: string;
  copies: string;
  unitFee: string;
  total: string;
  correct: string;
  pay: string;
  none: string;

  paymentTitle: string;
  due: string;
  inserted: string;
  remaining: string;
  change: string;
  cashSlot: string;
  cashHint: string;
  insertCash: (yen: string) => string;
  cashRejected: Record<CashRejection, string>;
  refunding: string;

  printingTitle: string;
  printingProgress: (printed: number, total: number) => string;
  doNotLeave: string;
  payingOut: string;
  collectTitle: string;
  collectHint: string;
  changeReturned: (yen: string) => string;
  refunded: (yen: string) => string;
  refundSlip: string;
  documents: string;
  /** The main menu after a restart that settled an interrupted purchase (kiosk/recovery.ts). */
  recovery: {
    title: string;
    printed: (n: number, of: number) => string;
    returned: (yen: string) => string;
    owed: (yen: string) => string;
  };

  refusedTitle: string;
  refusal: Record<RefusalReason, Message>;
  pinLockedTitle: string;
  pinLockedText: string;
  /** What to do, for anyone: reset the PIN at the municipal office where you live. */
  resetWhere: string;
  /** Heading over the offices of the kiosk's home municipality (its name stays in Japanese). */
  resetOfficesIn: (city: string) => string;
  /** For residents of any other municipality. */
  resetElsewhere: (city: string) => string;
  resetHoursLabel: string;
  resetClosedLabel: string;
  resetBringLabel: string;
  /** Counter hours from the municipality's data; times already written as 9:00. */
  weekdayHours: (open: string, close: string) => string;
  /** e.g. [2, 4] → the 2nd and 4th Saturday of the month. */
  saturdayHours: (weeks: number[], open: string, close: string) => string;
  holidays: string;
  /** A closure from one day of the year to another (12/29 – 1/3). */
  dateRange: (fromMonth: number, fromDay: number, toMonth: number, toDay: number) => string;
  bringItems: Record<ResetRequirement, string>;
  outOfServiceTitle: string;
  outOfService: Record<OutOfServiceReason, Message>;
  printFailedTitle: string;
  printFailure: Record<PrintFailure, Message>;
  printedOf: (printed: number, total: number) => string;
  cancelledTitle: string;
  /** The 本籍地 registration's screen: while it is sent, its answer (the city's name, the date YYYY-MM-DD), the card. */
  registering: string;
  registeredDone: (city: string, date: string) => string;
  registeredTakeCard: string;
  /** 暗証番号リセット at the kiosk: each PIN by name and form, the steps, the answer. */
  resetTitle: string;
  resetChoose: string;
  resetRule: string;
  resetPinNames: Record<ResettablePin, string>;
  resetPinForms: Record<ResettablePin, string>;
  resetEnterOther: (name: string) => string;
  resetEnterNew: (name: string) => string;
  resetEnterAgain: string;
  resetMismatch: string;
  resetting: string;
  resetDone: (name: string) => string;
  resetDoneNote: string;
  /** What to do with a card that is not a My Number Card, by what it is (view.unsupportedCard). */
  unsupportedCard: Record<'juki-card' | 'other', string>;
  /** Beside "no card": the paper notification card cannot be read. */
  paperCard: string;
  /** A cancel's what-to-do when no money was inserted (the usual one says the money was returned). */
  cancelledNoMoney: string;
  cancelled: Record<CancelReason, Message>;

  warningTitle: string;
  warningText: string;
  /** The timeout warning's countdown. */
  secondsLeft: (n: number) => string;
  continue: string;

  /** Captions of the machine pictures: where the cash goes, where change and certificates come out. */
  coinSlot: string;
  billSlot: string;
  changeSlot: string;
  paperTray: string;
}
