// Every string the touch screen shows, in the seven guidance languages. Pure data and formatting: no DOM, no I/O.
// Certificates are printed in Japanese, so a certificate's name is shown in the chosen language with the Japanese
// name beside it. The `Strings` type makes a missing key a compile error; i18n.test.ts checks the same at run time
// against the reason ids in machine/types.ts.
import {
  LANGUAGES, type CancelReason, type CashRejection, type Certificate, type InfoKey, type Language, type OtherService,
  type OutOfServiceReason, type PinReset, type PrintFailure, type RefusalReason, type ResetRequirement, type Unavailability,
} from '../../machine/types.ts';

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
  pinReset: string;
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
  pinClear: string;
  pinBackspace: string;
  pinEnter: string;
  pinEntered: (n: number) => string;
  verifying: string;
  authenticating: string;

  removeTitle: string;
  removeHint: string;
  removeReminder: string;

  certificateTitle: string;
  certificateNames: Record<Certificate, string>;
  perCopy: (fee: string) => string;
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

// Small wording helpers for the languages that spell out ordinals, lists and month names.
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTHS_PT = ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'];
const MONTHS_ES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
const ORDINALS_KO = ['첫째', '둘째', '셋째', '넷째', '다섯째'];
const ordinalEn = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;
/** 'a', 'a and b', 'a, b and c'. */
const joinAnd = (items: string[], and: string) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`);

const ja: Strings = {
  appName: 'コンビニ交付',
  step: (n, of) => `ステップ ${n} / ${of}`,
  language: '言語 / Language',
  back: '戻る',
  cancel: 'やめる',
  next: '次へ',
  done: '終了',
  backToTop: '最初の画面に戻る',
  connecting: '接続しています…',

  topTitle: 'ご利用になるサービスを選んでください',
  services: { copy: 'コピー', print: 'プリント', photo: '写真', government: '行政サービス' },
  governmentSub: '住民票・印鑑登録証明書などの証明書',
  notSimulated: (s) => `「${s}」はこのシミュレーターでは使えません。「行政サービス」をお選びください。`,
  attract: 'マイナンバーカードで住民票などの証明書がとれます',
  touchToStart: '画面にタッチしてください',
  attractSteps: ['カードを置く', '暗証番号を入れる', '証明書を受け取る'],

  governmentTitle: '行政サービス',
  certificateService: '証明書交付サービス',
  certificateServiceSub: '住民票の写し・印鑑登録証明書・課税証明書・戸籍証明書など',
  domicileRegistration: '戸籍証明書交付の利用登録申請',
  pinReset: '暗証番号リセット',
  comingLater: '準備中',

  mediumTitle: 'ご利用になるものを選び、利用規約に同意してください',
  mediumCard: 'マイナンバーカード',
  mediumCardSub: '利用者証明用電子証明書',
  mediumPhone: 'スマートフォン',
  mediumPhoneSub: 'スマホ用電子証明書',
  termsTitle: '利用規約',
  terms: [
    'このサービスでは、マイナンバーカードの利用者証明用電子証明書またはスマホ用電子証明書を使って、市区町村の証明書をマルチコピー機で取得できます。',
    '取得できるのは、ご本人または同じ世帯の方の証明書です。暗証番号は周りの人に見られないように入力してください。',
    '証明書・カード・おつりのお取り忘れにご注意ください。',
    'これはシミュレーターです。表示される氏名・番号はすべて架空のテストデータです。',
  ],
  acceptTerms: '同意する',
  chooseMediumFirst: '先にカードかスマートフォンを選んでください',

  readCardTitle: 'マイナンバーカードを読み取り機に置いてください',
  readPhoneTitle: 'スマートフォンを読み取り機にかざしてください',
  readHint: '案内があるまで、カードを動かさないでください。',
  reading: '読み取っています…',

  cityTitle: 'どちらの市区町村の証明書をとりますか',
  cityResidence: 'お住まいの市区町村',
  cityResidenceSub: '住民票の写し・印鑑登録証明書・課税証明書など',
  cityDomicile: '本籍地の市区町村',
  cityDomicileSub: '戸籍証明書・戸籍の附票（本籍地がお住まいと違う方）',
  choosePrefecture: '本籍地の都道府県を選んでください',
  chooseMunicipality: '本籍地の市区町村を選んでください',
  notParticipating: '未参加',

  pinTitle: '暗証番号（数字4桁）を入力してください',
  pinHint: '利用者証明用電子証明書の暗証番号です。周りの人に見られないようにしてください。',
  triesLeft: (n) => `あと${n}回間違えると、暗証番号がロックされます。`,
  pinClear: '訂正',
  pinBackspace: '1字消す',
  pinEnter: '確定',
  pinEntered: (n) => `${n}桁入力済み`,
  verifying: '暗証番号を確認しています…',
  authenticating: '証明書交付センターに接続しています…',

  removeTitle: 'カードをお取りください',
  removeHint: 'カードを読み取り機から取ると、次に進みます。',
  removeReminder: 'カードが読み取り機に残っています。カードをお取りください。',

  certificateTitle: '必要な証明書を選んでください',
  certificateNames: JAPANESE_CERTIFICATE_NAMES,
  perCopy: (fee) => `1通 ${fee}`,
  unavailable: {
    'not-offered': 'この市区町村では発行していません',
    'no-seal': '印鑑登録がありません',
    'no-tax-data': '課税情報がありません',
    'outside-hours': 'ただいまの時間は発行できません',
    'domicile-only': '「本籍地の市区町村」を選ぶととれます',
    'residence-only': '「お住まいの市区町村」を選ぶととれます',
  },

  typeTitle: '証明書の種類を選んでください',
  household: '世帯全員',
  self: '本人のみ',
  members: '世帯の一部（選ぶ）',
  chooseMembers: '記載する方を選んでください',
  kosekiZenbu: '戸籍全部事項証明書（謄本）',
  kosekiKojin: '戸籍個人事項証明書（抄本）',
  choosePerson: '証明書に記載する方を選んでください',
  chooseYear: '年度を選んでください',
  fiscalYear: (y) => `${y}年度（令和${y - 2018}年度・${y - 1}年中の所得）`,

  infoTitle: '証明書に記載する項目を選んでください',
  info: {
    householdHead: '世帯主・続柄',
    domicile: '本籍・筆頭者',
    myNumber: '個人番号（マイナンバー）',
    nationality: '国籍・地域',
    residenceStatus: '在留資格',
    residenceCardNumber: '在留カード等の番号',
  },
  include: '記載する',
  omit: '記載しない',
  residentCodeNote: '住民票コードは記載されません。',

  copiesTitle: '必要な部数を選んでください',
  copiesCount: (n) => `${n}通`,
  copiesMax: (n) => `1回に${n}通までとれます`,
  fewer: '1通減らす',
  more: '1通増やす',

  confirmTitle: '内容を確認してください',
  holderName: '氏名',
  city: '市区町村',
  certificate: '証明書',
  subtype: '種類',
  options: '記載事項',
  copies: '部数',
  unitFee: '手数料（1通）',
  total: '合計',
  correct: '修正',
  pay: '確定してお支払いへ',
  none: 'なし',

  paymentTitle: '料金を入れてください',
  due: 'お支払い金額',
  inserted: '投入金額',
  remaining: '不足額',
  change: 'おつり',
  cashSlot: '現金投入口（シミュレーション）',
  cashHint: '硬貨：10・50・100・500円　紙幣：1000・2000・5000・10000円',
  insertCash: (yen) => `${yen}を入れる`,
  cashRejected: {
    'change-unavailable': 'おつりが足りないため、このお金は使えません。小さい金額のお金を入れてください。',
    'not-accepted': 'このお金は使えません。返却されたお金をお取りください。',
  },
  refunding: '投入されたお金を返却しています…',

  printingTitle: '証明書を印刷しています',
  printingProgress: (p, t) => `${p} / ${t} 枚`,
  doNotLeave: '印刷が終わるまでお待ちください。',
  payingOut: 'おつりを出しています…',
  collectTitle: '証明書・利用明細書・おつりをお取りください',
  collectHint: 'お取り忘れにご注意ください。',
  changeReturned: (y) => `おつり ${y}`,
  refunded: (y) => `返金 ${y}`,
  refundSlip: 'おつりを出せなかったため、返金票を印刷しました。返金票をお取りになり、店員にお渡しください。',
  recovery: {
    title: '前のお客様のご利用中に端末が再起動しました。',
    printed: (n, of) => `証明書は${of}通中${n}通を印刷しました。取り出し口からお取りください。`,
    returned: (y) => `${y}をおつり・返却口に返却しました。`,
    owed: (y) => `${y}分の返金票を印刷しました。店員にお渡しください。`,
  },
  documents: '印刷した書類（PDF）',

  refusedTitle: 'ご利用いただけません',
  refusal: {
    'unsupported-card': { title: 'ご利用いただけないカードです。', action: 'マイナンバーカードをお使いください。住民基本台帳カード・市民カード・通知カードは使えません。' },
    'no-card': { title: 'カードが置かれませんでした。', action: 'もう一度最初から操作し、カードを読み取り機に置いてください。' },
    'card-read-error': { title: 'カードを読み取れませんでした。', action: 'カードの汚れや傷を確かめて、もう一度最初からお試しください。続くときは市区町村の窓口にご相談ください。' },
    'card-removed': { title: '操作の途中でカードが取り外されました。', action: 'もう一度最初から操作し、案内があるまでカードを置いたままにしてください。' },
    'certificate-expired': { title: '電子証明書の有効期限が切れています。', action: 'お住まいの市区町村の窓口で電子証明書を更新してください（有効期限の3か月前から更新できます）。' },
    'certificate-not-yet-valid': { title: '電子証明書はまだ使えません。', action: 'カードを受け取った日や暗証番号を変えた日は使えません。明日以降にご利用ください。' },
    'certificate-revoked': { title: '電子証明書が失効しているため使えません。', action: 'カードを紛失した場合はマイナンバー総合フリーダイヤル 0120-95-0178 へ。そのほかはお住まいの市区町村の窓口にご相談ください。' },
    'under-15': { title: '15歳未満の方はご利用いただけません。', action: '市区町村の窓口で請求してください。' },
    'adult-ward': { title: 'このサービスはご利用いただけません。', action: '成年被後見人の方は、市区町村の窓口で請求してください。' },
    'moved-out': { title: '転出の届出をされた方はご利用いただけません。', action: '転入の手続きのあとでご利用ください。証明書は市区町村の窓口で請求できます。' },
    'support-measure': { title: 'このサービスではお取りいただけません。', action: '支援措置を受けている方の証明書は、市区町村の窓口で請求してください。' },
    'not-registered': { title: '住民登録を確認できませんでした。', action: 'お住まいの市区町村の窓口にお問い合わせください。' },
    'city-not-participating': { title: 'この市区町村はコンビニ交付を行っていません。', action: '市区町村の窓口または郵送で請求してください。' },
    'domicile-not-registered': { title: '本籍地の利用登録がされていません。', action: '本籍地の証明書をとるには、事前の利用登録申請が必要です（登録には数日かかります）。' },
    'center-unreachable': { title: '証明書交付センターに接続できません。', action: 'しばらくたってから、もう一度お試しください。' },
  },
  pinLockedTitle: '暗証番号がロックされています',
  pinLockedText: '暗証番号を3回続けて間違えたため、利用者証明用電子証明書がロックされました。このカードではコンビニ交付を利用できません。',
  resetWhere: '暗証番号は、お住まいの市区町村の窓口で再設定できます。',
  resetOfficesIn: (c) => `${c}にお住まいの方の窓口`,
  resetElsewhere: (c) => `${c}以外にお住まいの方は、お住まいの市区町村の窓口へ（受付時間は市区町村ごとに異なります）。`,
  resetHoursLabel: '受付時間',
  resetClosedLabel: '休み',
  resetBringLabel: '持ち物',
  weekdayHours: (o, c) => `平日 ${o}〜${c}`,
  saturdayHours: (w, o, c) => `${w.map((n) => `第${n}`).join('・')}土曜日 ${o}〜${c}`,
  holidays: '祝日',
  dateRange: (m1, d1, m2, d2) => `${m1}月${d1}日〜${m2}月${d2}日`,
  bringItems: { 'my-number-card': 'マイナンバーカード', 'identity-document': '本人確認書類をもう1点（運転免許証・パスポートなど）' },
  outOfServiceTitle: 'ただいまご利用いただけません',
  outOfService: {
    'outside-hours': { title: 'サービス時間外です。', action: 'ご利用時間は毎日 6:30〜23:00 です。' },
    'year-end': { title: '年末年始（12月29日〜1月3日）はお休みです。', action: '1月4日以降にご利用ください。' },
    maintenance: { title: 'システムの保守作業中です。', action: '保守作業が終わってから、もう一度お試しください。' },
    'out-of-order': { title: 'この端末は故障のため使えません。', action: '店員にお知らせください。ほかの店舗の端末もご利用いただけます。' },
  },
  printFailedTitle: '印刷できませんでした',
  printFailure: {
    'paper-out': { title: '用紙がなくなりました。', action: '店員にお知らせください。' },
    'paper-jam': { title: '紙が詰まりました。', action: '店員にお知らせください。' },
    'printer-offline': { title: 'プリンターが使えません。', action: '店員にお知らせください。' },
    'printer-error': { title: 'プリンターの故障で印刷できませんでした。', action: '店員にお知らせください。' },
    'center-unreachable': { title: '証明書交付センターに接続できません。', action: 'しばらくたってから、もう一度お試しください。' },
    'issuance-refused': { title: '証明書を発行できませんでした。', action: '市区町村の窓口にお問い合わせください。' },
  },
  printedOf: (p, t) => `${t}通のうち${p}通を印刷しました。`,
  cancelledTitle: '中止しました',
  cancelled: {
    cancelled: { title: '操作を中止しました。', action: '投入されたお金は返却しました。カードとお金のお取り忘れにご注意ください。' },
    timeout: { title: 'しばらく操作がなかったため、中止しました。', action: 'もう一度最初から操作してください。' },
    'payment-timeout': { title: 'お支払いが時間内に終わらなかったため、中止しました。', action: '投入されたお金は返却しました。もう一度最初から操作してください。' },
  },

  warningTitle: '操作を続けますか？',
  warningText: 'しばらく操作がありません。続けるときは「続ける」を押してください。',
  secondsLeft: (n) => `あと ${n} 秒で操作を終了します`,
  continue: '続ける',

  coinSlot: '硬貨投入口',
  billSlot: '紙幣投入口',
  changeSlot: 'おつり・返却口',
  paperTray: '証明書の取り出し口',
};

const en: Strings = {
  appName: 'Convenience-store certificates',
  step: (n, of) => `Step ${n} of ${of}`,
  language: 'Language / 言語',
  back: 'Back',
  cancel: 'Cancel',
  next: 'Next',
  done: 'Done',
  backToTop: 'Back to the main menu',
  connecting: 'Connecting…',

  topTitle: 'Choose a service',
  services: { copy: 'Copy', print: 'Print', photo: 'Photo', government: 'Government services (行政サービス)' },
  governmentSub: 'Resident record, seal registration and other certificates',
  notSimulated: (s) => `"${s}" is not part of this simulator. Please choose Government services.`,
  attract: 'Get your resident record and other certificates with your My Number Card',
  touchToStart: 'Touch the screen to start',
  attractSteps: ['Place your card', 'Enter your PIN', 'Take your certificate'],

  governmentTitle: 'Government services',
  certificateService: 'Certificate issuance (証明書交付サービス)',
  certificateServiceSub: 'Resident record, seal registration, tax and family register certificates',
  domicileRegistration: 'Register your registered domicile (本籍地) city',
  pinReset: 'PIN reset',
  comingLater: 'Coming later',

  mediumTitle: 'Choose what you will use, then accept the terms of use',
  mediumCard: 'My Number Card',
  mediumCardSub: 'User-authentication certificate',
  mediumPhone: 'Smartphone',
  mediumPhoneSub: 'Smartphone certificate (スマホ用電子証明書)',
  termsTitle: 'Terms of use',
  terms: [
    'With this service you can get municipal certificates at this multi-copy machine, using the user-authentication certificate of your My Number Card or the smartphone certificate.',
    'You can only get certificates about yourself or members of your household. Enter your PIN so that nobody around you can see it.',
    'Do not forget your certificates, your card or your change.',
    'This is a simulator. All names and numbers shown are fictional test data.',
  ],
  acceptTerms: 'I accept',
  chooseMediumFirst: 'First choose the card or the smartphone',

  readCardTitle: 'Place your My Number Card on the reader',
  readPhoneTitle: 'Hold your smartphone over the reader',
  readHint: 'Do not move the card until you are told to.',
  reading: 'Reading…',

  cityTitle: 'Which municipality are the certificates from?',
  cityResidence: 'The municipality where you live',
  cityResidenceSub: 'Resident record, seal registration, tax certificates and more',
  cityDomicile: 'Your registered domicile (本籍地)',
  cityDomicileSub: 'Family register certificates, if your 本籍地 is in another municipality',
  choosePrefecture: 'Choose the prefecture of your registered domicile',
  chooseMunicipality: 'Choose the municipality of your registered domicile',
  notParticipating: 'not participating',

  pinTitle: 'Enter your 4-digit PIN',
  pinHint: 'The PIN of the user-authentication certificate. Make sure nobody can see it.',
  triesLeft: (n) => `The PIN locks after ${n} more wrong ${n === 1 ? 'try' : 'tries'}.`,
  pinClear: 'Clear',
  pinBackspace: 'Delete',
  pinEnter: 'Enter',
  pinEntered: (n) => `${n} of 4 digits entered`,
  verifying: 'Checking your PIN…',
  authenticating: 'Connecting to the certificate issuance center…',

  removeTitle: 'Please remove your card',
  removeHint: 'Take the card off the reader to continue.',
  removeReminder: 'Your card is still on the reader. Please take it.',

  certificateTitle: 'Choose a certificate',
  certificateNames: {
    juminhyo: 'Copy of Resident Record',
    kisai: 'Certificate of Resident Record Entries',
    inkan: 'Seal Registration Certificate',
    kazei: 'Tax / Non-taxation Certificate',
    koseki: 'Family Register Certificate',
    fuhyo: 'Copy of Family Register Appendix',
  },
  perCopy: (fee) => `${fee} per copy`,
  unavailable: {
    'not-offered': 'Not issued by this municipality',
    'no-seal': 'No seal is registered',
    'no-tax-data': 'No tax data available',
    'outside-hours': 'Not available at this time',
    'domicile-only': 'Available when you choose your registered domicile',
    'residence-only': 'Available when you choose the municipality where you live',
  },

  typeTitle: 'Choose the type of certificate',
  household: 'Whole household',
  self: 'Yourself only',
  members: 'Chosen members',
  chooseMembers: 'Choose who is shown on the certificate',
  kosekiZenbu: 'All entries (全部事項証明書)',
  kosekiKojin: 'One person (個人事項証明書)',
  choosePerson: 'Choose the person',
  chooseYear: 'Choose the fiscal year',
  fiscalYear: (y) => `Fiscal year ${y} (income of ${y - 1})`,

  infoTitle: 'Choose what is printed on the certificate',
  info: {
    householdHead: 'Head of household and relationship (世帯主・続柄)',
    domicile: 'Registered domicile and head of family register (本籍・筆頭者)',
    myNumber: 'Individual Number (個人番号)',
    nationality: 'Nationality / region (国籍・地域)',
    residenceStatus: 'Status of residence (在留資格)',
    residenceCardNumber: 'Residence card number (在留カード等の番号)',
  },
  include: 'Print',
  omit: 'Do not print',
  residentCodeNote: 'The resident record code (住民票コード) is never printed.',

  copiesTitle: 'How many copies?',
  copiesCount: (n) => `${n} ${n === 1 ? 'copy' : 'copies'}`,
  copiesMax: (n) => `Up to ${n} copies at a time`,
  fewer: 'One copy fewer',
  more: 'One copy more',

  confirmTitle: 'Please check your request',
  holderName: 'Name',
  city: 'Municipality',
  certificate: 'Certificate',
  subtype: 'Type',
  options: 'Printed items',
  copies: 'Copies',
  unitFee: 'Fee per copy',
  total: 'Total',
  correct: 'Change',
  pay: 'Confirm and pay',
  none: 'None',

  paymentTitle: 'Please insert cash',
  due: 'Amount due',
  inserted: 'Inserted',
  remaining: 'Still to pay',
  change: 'Change',
  cashSlot: 'Cash slot (simulated)',
  cashHint: 'Coins: 10, 50, 100, 500 yen · Bills: 1000, 2000, 5000, 10000 yen',
  insertCash: (yen) => `Insert ${yen}`,
  cashRejected: {
    'change-unavailable': 'This cannot be accepted because there is not enough change. Please insert a smaller amount.',
    'not-accepted': 'This cannot be accepted. Please take it back.',
  },
  refunding: 'Returning your money…',

  printingTitle: 'Printing your certificates',
  printingProgress: (p, t) => `${p} of ${t} sheets`,
  doNotLeave: 'Please wait until printing has finished.',
  payingOut: 'Paying out your change…',
  collectTitle: 'Take your certificates, receipt and change',
  collectHint: 'Please do not leave anything behind.',
  changeReturned: (y) => `Change: ${y}`,
  refunded: (y) => `Refunded: ${y}`,
  refundSlip: 'The machine could not pay out the money, so a refund slip was printed. Take it and show it to the store staff.',
  recovery: {
    title: 'The terminal restarted while the last customer was using it.',
    printed: (n, of) => `${n} of ${of} certificates were printed: take them from the outlet.`,
    returned: (y) => `${y} was returned to the change tray.`,
    owed: (y) => `A refund slip for ${y} was printed: show it to the store staff.`,
  },
  documents: 'Printed documents (PDF)',

  refusedTitle: 'This service cannot be used',
  refusal: {
    'unsupported-card': { title: 'This card cannot be used. (ご利用いただけないカードです。)', action: 'Please use your My Number Card. Basic Resident Registration Cards (住基カード), city cards and notification cards cannot be used.' },
    'no-card': { title: 'No card was placed on the reader.', action: 'Start again and place your card on the reader.' },
    'card-read-error': { title: 'The card could not be read.', action: 'Check the card for dirt or damage and start again. If it keeps happening, ask at your municipal office.' },
    'card-removed': { title: 'The card was removed too early.', action: 'Start again and leave the card on the reader until you are told to take it.' },
    'certificate-expired': { title: 'Your electronic certificate has expired.', action: 'Renew it at your municipal office (renewal is possible from 3 months before expiry).' },
    'certificate-not-yet-valid': { title: 'Your electronic certificate cannot be used yet.', action: 'It cannot be used on the day the card was issued or the PIN was changed. Please use it from tomorrow.' },
    'certificate-revoked': { title: 'Your electronic certificate has been revoked.', action: 'If your card was lost, call the My Number free dial 0120-95-0178. Otherwise ask at your municipal office.' },
    'under-15': { title: 'People under 15 cannot use this service.', action: 'Please request the certificate at the municipal office.' },
    'adult-ward': { title: 'This service cannot be used.', action: 'Adult wards (成年被後見人) can request certificates at the municipal office.' },
    'moved-out': { title: 'You have filed a moving-out notice.', action: 'Use the service after registering at your new address. Certificates can be requested at the municipal office.' },
    'support-measure': { title: 'Certificates cannot be issued here.', action: 'If you receive a support measure, please request certificates at the municipal office.' },
    'not-registered': { title: 'Your resident registration could not be found.', action: 'Please ask at the office of the municipality where you live.' },
    'city-not-participating': { title: 'This municipality does not issue certificates at convenience stores.', action: 'Request the certificate at the municipal office or by post.' },
    'domicile-not-registered': { title: 'Your registered domicile is not registered for this service.', action: 'Certificates from your 本籍地 need a prior registration (it takes a few days).' },
    'center-unreachable': { title: 'The certificate issuance center cannot be reached.', action: 'Please try again later.' },
  },
  pinLockedTitle: 'Your PIN is locked',
  pinLockedText: 'The PIN was entered wrongly 3 times in a row, so the user-authentication certificate is locked. This card cannot be used here until the PIN is reset.',
  resetWhere: 'A locked PIN is reset at the office of the municipality where you live.',
  resetOfficesIn: (c) => `If you live in ${c}, go to one of these offices`,
  resetElsewhere: (c) => `If you live outside ${c}, go to your own municipal office (hours differ between municipalities).`,
  resetHoursLabel: 'Hours',
  resetClosedLabel: 'Closed',
  resetBringLabel: 'Bring',
  weekdayHours: (o, c) => `Weekdays ${o}–${c}`,
  saturdayHours: (w, o, c) => `${joinAnd(w.map(ordinalEn), 'and')} Saturday ${o}–${c}`,
  holidays: 'National holidays',
  dateRange: (m1, d1, m2, d2) => `${MONTHS_EN[m1 - 1]} ${d1} – ${MONTHS_EN[m2 - 1]} ${d2}`,
  bringItems: { 'my-number-card': 'Your My Number Card', 'identity-document': 'One more identity document (driving licence, passport, etc.)' },
  outOfServiceTitle: 'The service is not available now',
  outOfService: {
    'outside-hours': { title: 'Outside service hours.', action: 'The service is available every day 6:30–23:00.' },
    'year-end': { title: 'Closed for the New Year holidays (December 29 – January 3).', action: 'Please come back from January 4.' },
    maintenance: { title: 'The system is under maintenance.', action: 'Please try again after the maintenance.' },
    'out-of-order': { title: 'This terminal is out of order.', action: 'Please tell the store staff, or use a terminal in another store.' },
  },
  printFailedTitle: 'Printing failed',
  printFailure: {
    'paper-out': { title: 'The printer ran out of paper.', action: 'Please tell the store staff.' },
    'paper-jam': { title: 'The paper jammed.', action: 'Please tell the store staff.' },
    'printer-offline': { title: 'The printer is not available.', action: 'Please tell the store staff.' },
    'printer-error': { title: 'The printer stopped because of a fault.', action: 'Please tell the store staff.' },
    'center-unreachable': { title: 'The certificate issuance center cannot be reached.', action: 'Please try again later.' },
    'issuance-refused': { title: 'The certificate could not be issued.', action: 'Please ask at your municipal office.' },
  },
  printedOf: (p, t) => `${p} of ${t} copies were printed.`,
  cancelledTitle: 'Cancelled',
  cancelled: {
    cancelled: { title: 'You cancelled.', action: 'Any money you inserted has been returned. Do not forget your card and money.' },
    timeout: { title: 'Cancelled because there was no activity for a while.', action: 'Please start again.' },
    'payment-timeout': { title: 'Cancelled because the payment was not completed in time.', action: 'The money you inserted has been returned. Please start again.' },
  },

  warningTitle: 'Do you need more time?',
  warningText: 'There has been no activity for a while. Press Continue to go on.',
  secondsLeft: (n) => `The session ends in ${n} seconds`,
  continue: 'Continue',

  coinSlot: 'Coin slot',
  billSlot: 'Bill slot',
  changeSlot: 'Change and returns',
  paperTray: 'Certificates come out here',
};

const zhHans: Strings = {
  appName: '便利店证明书发行',
  step: (n, of) => `第 ${n} 步 / 共 ${of} 步`,
  language: '语言 / Language',
  back: '返回',
  cancel: '取消',
  next: '下一步',
  done: '完成',
  backToTop: '返回主菜单',
  connecting: '正在连接…',

  topTitle: '请选择服务',
  services: { copy: '复印', print: '打印', photo: '照片', government: '行政服务（行政サービス）' },
  governmentSub: '住民票、印章登记证明书等证明书',
  notSimulated: (s) => `“${s}”不在本模拟器范围内。请选择“行政服务”。`,
  attract: '使用个人编号卡即可领取住民票等证明书',
  touchToStart: '请触摸屏幕开始',
  attractSteps: ['放置卡片', '输入密码', '领取证明书'],

  governmentTitle: '行政服务',
  certificateService: '证明书发行服务（証明書交付サービス）',
  certificateServiceSub: '住民票、印章登记、课税、户籍等证明书',
  domicileRegistration: '户籍证明书发行使用登记申请',
  pinReset: '密码重置',
  comingLater: '准备中',

  mediumTitle: '请选择使用的方式，并同意使用条款',
  mediumCard: '个人编号卡（マイナンバーカード）',
  mediumCardSub: '用户证明用电子证明书',
  mediumPhone: '智能手机',
  mediumPhoneSub: '智能手机用电子证明书（スマホ用電子証明書）',
  termsTitle: '使用条款',
  terms: [
    '本服务使用个人编号卡的用户证明用电子证明书或智能手机用电子证明书，在多功能复印机上领取市区町村的证明书。',
    '只能领取本人或同一世带成员的证明书。输入密码时请注意不要被他人看到。',
    '请不要忘记取走证明书、卡片和找零。',
    '本机为模拟器。显示的姓名和号码均为虚构的测试数据。',
  ],
  acceptTerms: '同意',
  chooseMediumFirst: '请先选择个人编号卡或智能手机',

  readCardTitle: '请将个人编号卡放在读卡器上',
  readPhoneTitle: '请将智能手机靠近读卡器',
  readHint: '在提示之前请不要移动卡片。',
  reading: '正在读取…',

  cityTitle: '要领取哪个市区町村的证明书？',
  cityResidence: '居住地的市区町村',
  cityResidenceSub: '住民票副本、印章登记证明书、课税证明书等',
  cityDomicile: '本籍地的市区町村',
  cityDomicileSub: '户籍证明书、户籍附票（本籍地与居住地不同者）',
  choosePrefecture: '请选择本籍地的都道府县',
  chooseMunicipality: '请选择本籍地的市区町村',
  notParticipating: '未参加',

  pinTitle: '请输入4位数字密码',
  pinHint: '用户证明用电子证明书的密码。请注意不要被他人看到。',
  triesLeft: (n) => `再输错${n}次，密码将被锁定。`,
  pinClear: '清除',
  pinBackspace: '删除一位',
  pinEnter: '确定',
  pinEntered: (n) => `已输入${n}位`,
  verifying: '正在确认密码…',
  authenticating: '正在连接证明书发行中心…',

  removeTitle: '请取走卡片',
  removeHint: '从读卡器上取走卡片后即可继续。',
  removeReminder: '卡片还在读卡器上，请取走卡片。',

  certificateTitle: '请选择所需的证明书',
  certificateNames: {
    juminhyo: '住民票副本',
    kisai: '住民票记载事项证明书',
    inkan: '印章登记证明书',
    kazei: '课税·非课税证明书',
    koseki: '户籍证明书',
    fuhyo: '户籍附票副本',
  },
  perCopy: (fee) => `每份 ${fee}`,
  unavailable: {
    'not-offered': '该市区町村不发行',
    'no-seal': '未进行印章登记',
    'no-tax-data': '没有课税信息',
    'outside-hours': '当前时间无法发行',
    'domicile-only': '选择“本籍地的市区町村”后可领取',
    'residence-only': '选择“居住地的市区町村”后可领取',
  },

  typeTitle: '请选择证明书的种类',
  household: '全体家庭成员',
  self: '仅本人',
  members: '部分家庭成员（选择）',
  chooseMembers: '请选择记载的人',
  kosekiZenbu: '全部事项证明书（全部事項）',
  kosekiKojin: '个人事项证明书（個人事項）',
  choosePerson: '请选择记载的人',
  chooseYear: '请选择年度',
  fiscalYear: (y) => `${y}年度（${y - 1}年的收入）`,

  infoTitle: '请选择证明书上记载的项目',
  info: {
    householdHead: '户主·与户主的关系（世帯主・続柄）',
    domicile: '本籍·户籍首位者（本籍・筆頭者）',
    myNumber: '个人编号（個人番号）',
    nationality: '国籍·地区（国籍・地域）',
    residenceStatus: '在留资格（在留資格）',
    residenceCardNumber: '在留卡等的号码（在留カード等の番号）',
  },
  include: '记载',
  omit: '不记载',
  residentCodeNote: '不记载住民票代码（住民票コード）。',

  copiesTitle: '请选择份数',
  copiesCount: (n) => `${n}份`,
  copiesMax: (n) => `每次最多${n}份`,
  fewer: '减少一份',
  more: '增加一份',

  confirmTitle: '请确认内容',
  holderName: '姓名',
  city: '市区町村',
  certificate: '证明书',
  subtype: '种类',
  options: '记载事项',
  copies: '份数',
  unitFee: '手续费（每份）',
  total: '合计',
  correct: '修改',
  pay: '确定并付款',
  none: '无',

  paymentTitle: '请投入现金',
  due: '应付金额',
  inserted: '已投入',
  remaining: '还需',
  change: '找零',
  cashSlot: '现金投入口（模拟）',
  cashHint: '硬币：10、50、100、500日元　纸币：1000、2000、5000、10000日元',
  insertCash: (yen) => `投入${yen}`,
  cashRejected: {
    'change-unavailable': '找零不足，无法使用这笔钱。请投入金额较小的现金。',
    'not-accepted': '无法使用这笔钱。请取回退还的现金。',
  },
  refunding: '正在退还投入的现金…',

  printingTitle: '正在打印证明书',
  printingProgress: (p, t) => `${p} / ${t} 张`,
  doNotLeave: '打印结束前请稍候。',
  payingOut: '正在找零…',
  collectTitle: '请取走证明书、使用明细和找零',
  collectHint: '请注意不要遗忘物品。',
  changeReturned: (y) => `找零 ${y}`,
  refunded: (y) => `退款 ${y}`,
  refundSlip: '无法退还现金，已打印退款单。请取走退款单并交给店员。',
  recovery: {
    title: '上一位顾客使用期间，终端已重新启动。',
    printed: (n, of) => `${of}份证明书中已打印${n}份，请从出口取走。`,
    returned: (y) => `${y}已退回找零口。`,
    owed: (y) => `已打印${y}的退款单，请交给店员。`,
  },
  documents: '已打印的文件（PDF）',

  refusedTitle: '无法使用本服务',
  refusal: {
    'unsupported-card': { title: '此卡无法使用。（ご利用いただけないカードです。）', action: '请使用个人编号卡。住民基本台账卡、市民卡和通知卡无法使用。' },
    'no-card': { title: '读卡器上没有放置卡片。', action: '请从头开始操作，并将卡片放在读卡器上。' },
    'card-read-error': { title: '无法读取卡片。', action: '请检查卡片是否有污渍或损伤，然后从头再试。如仍无法读取，请咨询市区町村窗口。' },
    'card-removed': { title: '操作途中卡片被取走了。', action: '请从头开始操作，在提示之前不要取走卡片。' },
    'certificate-expired': { title: '电子证明书已过有效期。', action: '请到居住地的市区町村窗口更新电子证明书（有效期到期前3个月起可更新）。' },
    'certificate-not-yet-valid': { title: '电子证明书尚不能使用。', action: '领取卡片当天或更改密码当天无法使用。请于明天以后使用。' },
    'certificate-revoked': { title: '电子证明书已失效。', action: '如卡片遗失，请拨打个人编号综合免费电话 0120-95-0178。其他情况请咨询居住地的市区町村窗口。' },
    'under-15': { title: '未满15岁者无法使用本服务。', action: '请到市区町村窗口申请。' },
    'adult-ward': { title: '无法使用本服务。', action: '成年被监护人请到市区町村窗口申请。' },
    'moved-out': { title: '已提交迁出申报者无法使用。', action: '请在办理迁入手续后使用。证明书可在市区町村窗口申请。' },
    'support-measure': { title: '无法在此领取证明书。', action: '接受支援措施者，请到市区町村窗口申请证明书。' },
    'not-registered': { title: '无法确认您的住民登记。', action: '请咨询居住地的市区町村窗口。' },
    'city-not-participating': { title: '该市区町村不提供便利店发行服务。', action: '请到市区町村窗口或通过邮寄申请。' },
    'domicile-not-registered': { title: '尚未进行本籍地的使用登记。', action: '领取本籍地的证明书需要事先申请使用登记（登记需要几天时间）。' },
    'center-unreachable': { title: '无法连接证明书发行中心。', action: '请稍后再试。' },
  },
  pinLockedTitle: '密码已被锁定',
  pinLockedText: '由于连续3次输错密码，用户证明用电子证明书已被锁定。重置密码前，此卡无法在此使用。',
  resetWhere: '被锁定的密码可在居住地的市区町村窗口重新设定。',
  resetOfficesIn: (c) => `居住在${c}的人士请到以下窗口`,
  resetElsewhere: (c) => `居住在${c}以外的人士，请到居住地的市区町村窗口办理（受理时间因市区町村而异）。`,
  resetHoursLabel: '受理时间',
  resetClosedLabel: '休息日',
  resetBringLabel: '请携带',
  weekdayHours: (o, c) => `工作日 ${o}～${c}`,
  saturdayHours: (w, o, c) => `${w.map((n) => `第${n}`).join('、')}个星期六 ${o}～${c}`,
  holidays: '节假日',
  dateRange: (m1, d1, m2, d2) => `${m1}月${d1}日～${m2}月${d2}日`,
  bringItems: { 'my-number-card': '个人编号卡', 'identity-document': '另一份身份证明文件（驾照、护照等）' },
  outOfServiceTitle: '目前无法使用',
  outOfService: {
    'outside-hours': { title: '现在是服务时间以外。', action: '服务时间为每天 6:30～23:00。' },
    'year-end': { title: '年末年初（12月29日～1月3日）暂停服务。', action: '请于1月4日以后使用。' },
    maintenance: { title: '系统正在维护。', action: '请在维护结束后再试。' },
    'out-of-order': { title: '本终端发生故障，无法使用。', action: '请告知店员，或使用其他店铺的终端。' },
  },
  printFailedTitle: '无法打印',
  printFailure: {
    'paper-out': { title: '纸张用完了。', action: '请告知店员。' },
    'paper-jam': { title: '卡纸了。', action: '请告知店员。' },
    'printer-offline': { title: '打印机无法使用。', action: '请告知店员。' },
    'printer-error': { title: '打印机发生故障，无法打印。', action: '请告知店员。' },
    'center-unreachable': { title: '无法连接证明书发行中心。', action: '请稍后再试。' },
    'issuance-refused': { title: '无法发行证明书。', action: '请咨询市区町村窗口。' },
  },
  printedOf: (p, t) => `${t}份中已打印${p}份。`,
  cancelledTitle: '已取消',
  cancelled: {
    cancelled: { title: '操作已取消。', action: '投入的现金已退还。请不要忘记取走卡片和现金。' },
    timeout: { title: '由于长时间没有操作，已取消。', action: '请从头开始操作。' },
    'payment-timeout': { title: '由于未能在时间内完成付款，已取消。', action: '投入的现金已退还。请从头开始操作。' },
  },

  warningTitle: '还需要更多时间吗？',
  warningText: '已有一段时间没有操作。如需继续，请按“继续”。',
  secondsLeft: (n) => `${n} 秒后将结束操作`,
  continue: '继续',

  coinSlot: '硬币投入口',
  billSlot: '纸币投入口',
  changeSlot: '找零・退币口',
  paperTray: '证明书取出口',
};

const zhHant: Strings = {
  appName: '便利商店證明書發行',
  step: (n, of) => `第 ${n} 步 / 共 ${of} 步`,
  language: '語言 / Language',
  back: '返回',
  cancel: '取消',
  next: '下一步',
  done: '完成',
  backToTop: '返回主選單',
  connecting: '正在連線…',

  topTitle: '請選擇服務',
  services: { copy: '影印', print: '列印', photo: '照片', government: '行政服務（行政サービス）' },
  governmentSub: '住民票、印章登記證明書等證明書',
  notSimulated: (s) => `「${s}」不在本模擬器範圍內。請選擇「行政服務」。`,
  attract: '使用個人編號卡即可領取住民票等證明書',
  touchToStart: '請觸碰螢幕開始',
  attractSteps: ['放置卡片', '輸入密碼', '領取證明書'],

  governmentTitle: '行政服務',
  certificateService: '證明書發行服務（証明書交付サービス）',
  certificateServiceSub: '住民票、印章登記、課稅、戶籍等證明書',
  domicileRegistration: '戶籍證明書發行使用登記申請',
  pinReset: '密碼重設',
  comingLater: '準備中',

  mediumTitle: '請選擇使用的方式，並同意使用條款',
  mediumCard: '個人編號卡（マイナンバーカード）',
  mediumCardSub: '使用者證明用電子證明書',
  mediumPhone: '智慧型手機',
  mediumPhoneSub: '智慧型手機用電子證明書（スマホ用電子証明書）',
  termsTitle: '使用條款',
  terms: [
    '本服務使用個人編號卡的使用者證明用電子證明書或智慧型手機用電子證明書，在多功能影印機上領取市區町村的證明書。',
    '只能領取本人或同一世帶成員的證明書。輸入密碼時請注意不要被他人看到。',
    '請不要忘記取走證明書、卡片和找零。',
    '本機為模擬器。顯示的姓名和號碼均為虛構的測試資料。',
  ],
  acceptTerms: '同意',
  chooseMediumFirst: '請先選擇個人編號卡或智慧型手機',

  readCardTitle: '請將個人編號卡放在讀卡機上',
  readPhoneTitle: '請將智慧型手機靠近讀卡機',
  readHint: '在提示之前請不要移動卡片。',
  reading: '正在讀取…',

  cityTitle: '要領取哪個市區町村的證明書？',
  cityResidence: '居住地的市區町村',
  cityResidenceSub: '住民票副本、印章登記證明書、課稅證明書等',
  cityDomicile: '本籍地的市區町村',
  cityDomicileSub: '戶籍證明書、戶籍附票（本籍地與居住地不同者）',
  choosePrefecture: '請選擇本籍地的都道府縣',
  chooseMunicipality: '請選擇本籍地的市區町村',
  notParticipating: '未參加',

  pinTitle: '請輸入4位數字密碼',
  pinHint: '使用者證明用電子證明書的密碼。請注意不要被他人看到。',
  triesLeft: (n) => `再輸錯${n}次，密碼將被鎖定。`,
  pinClear: '清除',
  pinBackspace: '刪除一位',
  pinEnter: '確定',
  pinEntered: (n) => `已輸入${n}位`,
  verifying: '正在確認密碼…',
  authenticating: '正在連線證明書發行中心…',

  removeTitle: '請取走卡片',
  removeHint: '從讀卡機上取走卡片後即可繼續。',
  removeReminder: '卡片還在讀卡機上，請取走卡片。',

  certificateTitle: '請選擇所需的證明書',
  certificateNames: {
    juminhyo: '住民票副本',
    kisai: '住民票記載事項證明書',
    inkan: '印章登記證明書',
    kazei: '課稅·非課稅證明書',
    koseki: '戶籍證明書',
    fuhyo: '戶籍附票副本',
  },
  perCopy: (fee) => `每份 ${fee}`,
  unavailable: {
    'not-offered': '該市區町村不發行',
    'no-seal': '未進行印章登記',
    'no-tax-data': '沒有課稅資料',
    'outside-hours': '目前時間無法發行',
    'domicile-only': '選擇「本籍地的市區町村」後可領取',
    'residence-only': '選擇「居住地的市區町村」後可領取',
  },

  typeTitle: '請選擇證明書的種類',
  household: '全體家庭成員',
  self: '僅本人',
  members: '部分家庭成員（選擇）',
  chooseMembers: '請選擇記載的人',
  kosekiZenbu: '全部事項證明書（全部事項）',
  kosekiKojin: '個人事項證明書（個人事項）',
  choosePerson: '請選擇記載的人',
  chooseYear: '請選擇年度',
  fiscalYear: (y) => `${y}年度（${y - 1}年的所得）`,

  infoTitle: '請選擇證明書上記載的項目',
  info: {
    householdHead: '戶長·與戶長的關係（世帯主・続柄）',
    domicile: '本籍·戶籍首位者（本籍・筆頭者）',
    myNumber: '個人編號（個人番号）',
    nationality: '國籍·地區（国籍・地域）',
    residenceStatus: '在留資格（在留資格）',
    residenceCardNumber: '在留卡等的號碼（在留カード等の番号）',
  },
  include: '記載',
  omit: '不記載',
  residentCodeNote: '不記載住民票代碼（住民票コード）。',

  copiesTitle: '請選擇份數',
  copiesCount: (n) => `${n}份`,
  copiesMax: (n) => `每次最多${n}份`,
  fewer: '減少一份',
  more: '增加一份',

  confirmTitle: '請確認內容',
  holderName: '姓名',
  city: '市區町村',
  certificate: '證明書',
  subtype: '種類',
  options: '記載事項',
  copies: '份數',
  unitFee: '手續費（每份）',
  total: '合計',
  correct: '修改',
  pay: '確定並付款',
  none: '無',

  paymentTitle: '請投入現金',
  due: '應付金額',
  inserted: '已投入',
  remaining: '尚需',
  change: '找零',
  cashSlot: '現金投入口（模擬）',
  cashHint: '硬幣：10、50、100、500日圓　紙鈔：1000、2000、5000、10000日圓',
  insertCash: (yen) => `投入${yen}`,
  cashRejected: {
    'change-unavailable': '找零不足，無法使用這筆錢。請投入金額較小的現金。',
    'not-accepted': '無法使用這筆錢。請取回退還的現金。',
  },
  refunding: '正在退還投入的現金…',

  printingTitle: '正在列印證明書',
  printingProgress: (p, t) => `${p} / ${t} 張`,
  doNotLeave: '列印結束前請稍候。',
  payingOut: '正在找零…',
  collectTitle: '請取走證明書、使用明細和找零',
  collectHint: '請注意不要遺忘物品。',
  changeReturned: (y) => `找零 ${y}`,
  refunded: (y) => `退款 ${y}`,
  refundSlip: '無法退還現金，已列印退款單。請取走退款單並交給店員。',
  recovery: {
    title: '上一位顧客使用期間，終端機已重新啟動。',
    printed: (n, of) => `${of}份證明書中已列印${n}份，請從出口取走。`,
    returned: (y) => `${y}已退回找零口。`,
    owed: (y) => `已列印${y}的退款單，請交給店員。`,
  },
  documents: '已列印的文件（PDF）',

  refusedTitle: '無法使用本服務',
  refusal: {
    'unsupported-card': { title: '此卡無法使用。（ご利用いただけないカードです。）', action: '請使用個人編號卡。住民基本台帳卡、市民卡和通知卡無法使用。' },
    'no-card': { title: '讀卡機上沒有放置卡片。', action: '請從頭開始操作，並將卡片放在讀卡機上。' },
    'card-read-error': { title: '無法讀取卡片。', action: '請檢查卡片是否有髒污或損傷，然後從頭再試。如仍無法讀取，請洽詢市區町村窗口。' },
    'card-removed': { title: '操作途中卡片被取走了。', action: '請從頭開始操作，在提示之前不要取走卡片。' },
    'certificate-expired': { title: '電子證明書已過有效期限。', action: '請到居住地的市區町村窗口更新電子證明書（有效期限到期前3個月起可更新）。' },
    'certificate-not-yet-valid': { title: '電子證明書尚不能使用。', action: '領取卡片當天或變更密碼當天無法使用。請於明天以後使用。' },
    'certificate-revoked': { title: '電子證明書已失效。', action: '如卡片遺失，請撥打個人編號綜合免付費電話 0120-95-0178。其他情況請洽詢居住地的市區町村窗口。' },
    'under-15': { title: '未滿15歲者無法使用本服務。', action: '請到市區町村窗口申請。' },
    'adult-ward': { title: '無法使用本服務。', action: '成年受監護人請到市區町村窗口申請。' },
    'moved-out': { title: '已提出遷出申報者無法使用。', action: '請在辦理遷入手續後使用。證明書可在市區町村窗口申請。' },
    'support-measure': { title: '無法在此領取證明書。', action: '接受支援措施者，請到市區町村窗口申請證明書。' },
    'not-registered': { title: '無法確認您的住民登記。', action: '請洽詢居住地的市區町村窗口。' },
    'city-not-participating': { title: '該市區町村不提供便利商店發行服務。', action: '請到市區町村窗口或透過郵寄申請。' },
    'domicile-not-registered': { title: '尚未進行本籍地的使用登記。', action: '領取本籍地的證明書需要事先申請使用登記（登記需要幾天時間）。' },
    'center-unreachable': { title: '無法連線證明書發行中心。', action: '請稍後再試。' },
  },
  pinLockedTitle: '密碼已被鎖定',
  pinLockedText: '由於連續3次輸錯密碼，使用者證明用電子證明書已被鎖定。重設密碼前，此卡無法在此使用。',
  resetWhere: '被鎖定的密碼可在居住地的市區町村窗口重新設定。',
  resetOfficesIn: (c) => `居住在${c}的民眾請至以下窗口`,
  resetElsewhere: (c) => `居住在${c}以外的民眾，請至居住地的市區町村窗口辦理（受理時間依市區町村而異）。`,
  resetHoursLabel: '受理時間',
  resetClosedLabel: '休息日',
  resetBringLabel: '請攜帶',
  weekdayHours: (o, c) => `平日 ${o}～${c}`,
  saturdayHours: (w, o, c) => `${w.map((n) => `第${n}`).join('、')}個星期六 ${o}～${c}`,
  holidays: '國定假日',
  dateRange: (m1, d1, m2, d2) => `${m1}月${d1}日～${m2}月${d2}日`,
  bringItems: { 'my-number-card': '個人編號卡', 'identity-document': '另一份身分證明文件（駕照、護照等）' },
  outOfServiceTitle: '目前無法使用',
  outOfService: {
    'outside-hours': { title: '現在是服務時間以外。', action: '服務時間為每天 6:30～23:00。' },
    'year-end': { title: '年末年初（12月29日～1月3日）暫停服務。', action: '請於1月4日以後使用。' },
    maintenance: { title: '系統正在維護。', action: '請在維護結束後再試。' },
    'out-of-order': { title: '本終端機發生故障，無法使用。', action: '請告知店員，或使用其他店鋪的終端機。' },
  },
  printFailedTitle: '無法列印',
  printFailure: {
    'paper-out': { title: '紙張用完了。', action: '請告知店員。' },
    'paper-jam': { title: '卡紙了。', action: '請告知店員。' },
    'printer-offline': { title: '印表機無法使用。', action: '請告知店員。' },
    'printer-error': { title: '印表機發生故障，無法列印。', action: '請告知店員。' },
    'center-unreachable': { title: '無法連線證明書發行中心。', action: '請稍後再試。' },
    'issuance-refused': { title: '無法發行證明書。', action: '請洽詢市區町村窗口。' },
  },
  printedOf: (p, t) => `${t}份中已列印${p}份。`,
  cancelledTitle: '已取消',
  cancelled: {
    cancelled: { title: '操作已取消。', action: '投入的現金已退還。請不要忘記取走卡片和現金。' },
    timeout: { title: '由於長時間沒有操作，已取消。', action: '請從頭開始操作。' },
    'payment-timeout': { title: '由於未能在時間內完成付款，已取消。', action: '投入的現金已退還。請從頭開始操作。' },
  },

  warningTitle: '還需要更多時間嗎？',
  warningText: '已有一段時間沒有操作。如需繼續，請按「繼續」。',
  secondsLeft: (n) => `${n} 秒後將結束操作`,
  continue: '繼續',

  coinSlot: '硬幣投入口',
  billSlot: '紙鈔投入口',
  changeSlot: '找零・退幣口',
  paperTray: '證明書取出口',
};

const ko: Strings = {
  appName: '편의점 증명서 발급',
  step: (n, of) => `${of}단계 중 ${n}단계`,
  language: '언어 / Language',
  back: '이전',
  cancel: '취소',
  next: '다음',
  done: '종료',
  backToTop: '처음 화면으로',
  connecting: '연결 중…',

  topTitle: '서비스를 선택하십시오',
  services: { copy: '복사', print: '프린트', photo: '사진', government: '행정 서비스 (行政サービス)' },
  governmentSub: '주민표, 인감등록증명서 등의 증명서',
  notSimulated: (s) => `'${s}'은(는) 이 시뮬레이터에 포함되어 있지 않습니다. '행정 서비스'를 선택하십시오.`,
  attract: '마이넘버 카드로 주민표 등의 증명서를 발급받을 수 있습니다',
  touchToStart: '화면을 터치하여 시작하십시오',
  attractSteps: ['카드를 놓습니다', '비밀번호를 입력합니다', '증명서를 받습니다'],

  governmentTitle: '행정 서비스',
  certificateService: '증명서 발급 서비스 (証明書交付サービス)',
  certificateServiceSub: '주민표, 인감등록, 과세, 호적 등의 증명서',
  domicileRegistration: '호적증명서 발급 이용등록 신청',
  pinReset: '비밀번호 재설정',
  comingLater: '준비 중',

  mediumTitle: '사용할 수단을 선택하고 이용약관에 동의하십시오',
  mediumCard: '마이넘버 카드 (マイナンバーカード)',
  mediumCardSub: '이용자 증명용 전자증명서',
  mediumPhone: '스마트폰',
  mediumPhoneSub: '스마트폰용 전자증명서 (スマホ用電子証明書)',
  termsTitle: '이용약관',
  terms: [
    '이 서비스는 마이넘버 카드의 이용자 증명용 전자증명서 또는 스마트폰용 전자증명서를 사용하여 멀티 복사기에서 시구정촌의 증명서를 발급받는 서비스입니다.',
    '본인 또는 같은 세대 구성원의 증명서만 발급받을 수 있습니다. 비밀번호는 다른 사람이 보지 않도록 입력하십시오.',
    '증명서, 카드, 거스름돈을 잊지 마십시오.',
    '이것은 시뮬레이터입니다. 표시되는 이름과 번호는 모두 가상의 테스트 데이터입니다.',
  ],
  acceptTerms: '동의합니다',
  chooseMediumFirst: '먼저 카드 또는 스마트폰을 선택하십시오',

  readCardTitle: '마이넘버 카드를 리더기 위에 올려 놓으십시오',
  readPhoneTitle: '스마트폰을 리더기에 대십시오',
  readHint: '안내가 있을 때까지 카드를 움직이지 마십시오.',
  reading: '읽는 중…',

  cityTitle: '어느 시구정촌의 증명서를 발급받으시겠습니까?',
  cityResidence: '거주하는 시구정촌',
  cityResidenceSub: '주민표 사본, 인감등록증명서, 과세증명서 등',
  cityDomicile: '본적지의 시구정촌',
  cityDomicileSub: '호적증명서, 호적 부표 (본적지가 거주지와 다른 분)',
  choosePrefecture: '본적지의 도도부현을 선택하십시오',
  chooseMunicipality: '본적지의 시구정촌을 선택하십시오',
  notParticipating: '미참가',

  pinTitle: '4자리 비밀번호를 입력하십시오',
  pinHint: '이용자 증명용 전자증명서의 비밀번호입니다. 다른 사람이 보지 않도록 주의하십시오.',
  triesLeft: (n) => `앞으로 ${n}번 더 틀리면 비밀번호가 잠깁니다.`,
  pinClear: '지우기',
  pinBackspace: '한 자리 지우기',
  pinEnter: '확인',
  pinEntered: (n) => `${n}자리 입력됨`,
  verifying: '비밀번호를 확인하고 있습니다…',
  authenticating: '증명서 발급 센터에 연결하고 있습니다…',

  removeTitle: '카드를 가져가십시오',
  removeHint: '리더기에서 카드를 빼면 다음으로 진행됩니다.',
  removeReminder: '카드가 리더기에 남아 있습니다. 카드를 가져가십시오.',

  certificateTitle: '필요한 증명서를 선택하십시오',
  certificateNames: {
    juminhyo: '주민표 사본',
    kisai: '주민표 기재사항 증명서',
    inkan: '인감등록증명서',
    kazei: '과세·비과세 증명서',
    koseki: '호적증명서',
    fuhyo: '호적 부표 사본',
  },
  perCopy: (fee) => `1통 ${fee}`,
  unavailable: {
    'not-offered': '이 시구정촌에서는 발급하지 않습니다',
    'no-seal': '인감 등록이 없습니다',
    'no-tax-data': '과세 정보가 없습니다',
    'outside-hours': '지금은 발급할 수 없습니다',
    'domicile-only': "'본적지의 시구정촌'을 선택하면 발급받을 수 있습니다",
    'residence-only': "'거주하는 시구정촌'을 선택하면 발급받을 수 있습니다",
  },

  typeTitle: '증명서의 종류를 선택하십시오',
  household: '세대 전원',
  self: '본인만',
  members: '세대 일부 (선택)',
  chooseMembers: '기재할 사람을 선택하십시오',
  kosekiZenbu: '전부사항 증명서 (全部事項)',
  kosekiKojin: '개인사항 증명서 (個人事項)',
  choosePerson: '기재할 사람을 선택하십시오',
  chooseYear: '연도를 선택하십시오',
  fiscalYear: (y) => `${y}년도 (${y - 1}년 소득)`,

  infoTitle: '증명서에 기재할 항목을 선택하십시오',
  info: {
    householdHead: '세대주·관계 (世帯主・続柄)',
    domicile: '본적·필두자 (本籍・筆頭者)',
    myNumber: '개인번호 (個人番号)',
    nationality: '국적·지역 (国籍・地域)',
    residenceStatus: '재류 자격 (在留資格)',
    residenceCardNumber: '재류카드 등의 번호 (在留カード等の番号)',
  },
  include: '기재함',
  omit: '기재 안 함',
  residentCodeNote: '주민표 코드 (住民票コード)는 기재되지 않습니다.',

  copiesTitle: '필요한 부수를 선택하십시오',
  copiesCount: (n) => `${n}통`,
  copiesMax: (n) => `한 번에 ${n}통까지`,
  fewer: '1통 줄이기',
  more: '1통 늘리기',

  confirmTitle: '내용을 확인하십시오',
  holderName: '성명',
  city: '시구정촌',
  certificate: '증명서',
  subtype: '종류',
  options: '기재 사항',
  copies: '부수',
  unitFee: '수수료 (1통)',
  total: '합계',
  correct: '수정',
  pay: '확정하고 결제',
  none: '없음',

  paymentTitle: '현금을 넣으십시오',
  due: '결제 금액',
  inserted: '투입 금액',
  remaining: '부족 금액',
  change: '거스름돈',
  cashSlot: '현금 투입구 (시뮬레이션)',
  cashHint: '동전: 10·50·100·500엔　지폐: 1000·2000·5000·10000엔',
  insertCash: (yen) => `${yen} 넣기`,
  cashRejected: {
    'change-unavailable': '거스름돈이 부족하여 이 돈은 사용할 수 없습니다. 더 작은 금액을 넣으십시오.',
    'not-accepted': '이 돈은 사용할 수 없습니다. 반환된 돈을 가져가십시오.',
  },
  refunding: '투입하신 돈을 반환하고 있습니다…',

  printingTitle: '증명서를 인쇄하고 있습니다',
  printingProgress: (p, t) => `${p} / ${t}장`,
  doNotLeave: '인쇄가 끝날 때까지 기다려 주십시오.',
  payingOut: '거스름돈을 내보내고 있습니다…',
  collectTitle: '증명서, 이용 명세서, 거스름돈을 가져가십시오',
  collectHint: '잊은 물건이 없도록 주의하십시오.',
  changeReturned: (y) => `거스름돈 ${y}`,
  refunded: (y) => `환불 ${y}`,
  refundSlip: '돈을 반환할 수 없어 환불표를 인쇄했습니다. 환불표를 가져가 점원에게 보여 주십시오.',
  recovery: {
    title: '이전 고객이 이용하는 중에 단말기가 다시 시작되었습니다.',
    printed: (n, of) => `증명서 ${of}통 중 ${n}통이 인쇄되었습니다. 배출구에서 가져가십시오.`,
    returned: (y) => `${y}을(를) 거스름돈 반환구로 반환했습니다.`,
    owed: (y) => `${y} 환불표를 인쇄했습니다. 점원에게 보여 주십시오.`,
  },
  documents: '인쇄한 문서 (PDF)',

  refusedTitle: '이용하실 수 없습니다',
  refusal: {
    'unsupported-card': { title: '이용할 수 없는 카드입니다. (ご利用いただけないカードです。)', action: '마이넘버 카드를 사용하십시오. 주민기본대장 카드, 시민 카드, 통지 카드는 사용할 수 없습니다.' },
    'no-card': { title: '카드가 놓이지 않았습니다.', action: '처음부터 다시 조작하고 카드를 리더기 위에 올려 놓으십시오.' },
    'card-read-error': { title: '카드를 읽을 수 없습니다.', action: '카드의 오염이나 손상을 확인하고 처음부터 다시 시도하십시오. 계속되면 시구정촌 창구에 문의하십시오.' },
    'card-removed': { title: '조작 도중에 카드가 제거되었습니다.', action: '처음부터 다시 조작하고, 안내가 있을 때까지 카드를 그대로 두십시오.' },
    'certificate-expired': { title: '전자증명서의 유효기간이 지났습니다.', action: '거주하는 시구정촌 창구에서 전자증명서를 갱신하십시오 (유효기간 3개월 전부터 갱신할 수 있습니다).' },
    'certificate-not-yet-valid': { title: '전자증명서를 아직 사용할 수 없습니다.', action: '카드를 받은 날이나 비밀번호를 변경한 날에는 사용할 수 없습니다. 내일 이후에 이용하십시오.' },
    'certificate-revoked': { title: '전자증명서가 효력을 잃었습니다.', action: '카드를 분실한 경우 마이넘버 종합 무료전화 0120-95-0178로 연락하십시오. 그 밖의 경우 거주하는 시구정촌 창구에 문의하십시오.' },
    'under-15': { title: '15세 미만은 이용할 수 없습니다.', action: '시구정촌 창구에서 신청하십시오.' },
    'adult-ward': { title: '이 서비스를 이용할 수 없습니다.', action: '성년 피후견인은 시구정촌 창구에서 신청하십시오.' },
    'moved-out': { title: '전출 신고를 하신 분은 이용할 수 없습니다.', action: '전입 절차를 마친 후 이용하십시오. 증명서는 시구정촌 창구에서 신청할 수 있습니다.' },
    'support-measure': { title: '여기에서는 증명서를 발급받을 수 없습니다.', action: '지원 조치를 받고 계신 분은 시구정촌 창구에서 증명서를 신청하십시오.' },
    'not-registered': { title: '주민 등록을 확인할 수 없습니다.', action: '거주하는 시구정촌 창구에 문의하십시오.' },
    'city-not-participating': { title: '이 시구정촌은 편의점 발급을 하지 않습니다.', action: '시구정촌 창구 또는 우편으로 신청하십시오.' },
    'domicile-not-registered': { title: '본적지 이용 등록이 되어 있지 않습니다.', action: '본적지의 증명서를 발급받으려면 사전에 이용 등록 신청이 필요합니다 (등록에는 며칠이 걸립니다).' },
    'center-unreachable': { title: '증명서 발급 센터에 연결할 수 없습니다.', action: '잠시 후 다시 시도하십시오.' },
  },
  pinLockedTitle: '비밀번호가 잠겼습니다',
  pinLockedText: '비밀번호를 3번 연속으로 틀려 이용자 증명용 전자증명서가 잠겼습니다. 비밀번호를 재설정할 때까지 이 카드로는 이용할 수 없습니다.',
  resetWhere: '잠긴 비밀번호는 거주하는 시구정촌의 창구에서 재설정할 수 있습니다.',
  resetOfficesIn: (c) => `${c}에 거주하는 분의 창구`,
  resetElsewhere: (c) => `${c} 이외에 거주하는 분은 거주하는 시구정촌의 창구로 가십시오 (접수 시간은 시구정촌마다 다릅니다).`,
  resetHoursLabel: '접수 시간',
  resetClosedLabel: '휴무',
  resetBringLabel: '지참물',
  weekdayHours: (o, c) => `평일 ${o}~${c}`,
  saturdayHours: (w, o, c) => `${w.map((n) => ORDINALS_KO[n - 1] ?? `제${n}`).join('·')} 토요일 ${o}~${c}`,
  holidays: '공휴일',
  dateRange: (m1, d1, m2, d2) => `${m1}월 ${d1}일~${m2}월 ${d2}일`,
  bringItems: { 'my-number-card': '마이넘버 카드', 'identity-document': '본인 확인 서류 1점 더 (운전면허증, 여권 등)' },
  outOfServiceTitle: '지금은 이용할 수 없습니다',
  outOfService: {
    'outside-hours': { title: '서비스 시간이 아닙니다.', action: '이용 시간은 매일 6:30~23:00입니다.' },
    'year-end': { title: '연말연시 (12월 29일~1월 3일)는 휴무입니다.', action: '1월 4일 이후에 이용하십시오.' },
    maintenance: { title: '시스템 점검 중입니다.', action: '점검이 끝난 후 다시 시도하십시오.' },
    'out-of-order': { title: '이 단말기는 고장으로 사용할 수 없습니다.', action: '점원에게 알려 주시거나 다른 점포의 단말기를 이용하십시오.' },
  },
  printFailedTitle: '인쇄할 수 없습니다',
  printFailure: {
    'paper-out': { title: '용지가 떨어졌습니다.', action: '점원에게 알려 주십시오.' },
    'paper-jam': { title: '용지가 걸렸습니다.', action: '점원에게 알려 주십시오.' },
    'printer-offline': { title: '프린터를 사용할 수 없습니다.', action: '점원에게 알려 주십시오.' },
    'printer-error': { title: '프린터 고장으로 인쇄할 수 없었습니다.', action: '점원에게 알려 주십시오.' },
    'center-unreachable': { title: '증명서 발급 센터에 연결할 수 없습니다.', action: '잠시 후 다시 시도하십시오.' },
    'issuance-refused': { title: '증명서를 발급할 수 없습니다.', action: '시구정촌 창구에 문의하십시오.' },
  },
  printedOf: (p, t) => `${t}통 중 ${p}통을 인쇄했습니다.`,
  cancelledTitle: '취소되었습니다',
  cancelled: {
    cancelled: { title: '조작을 취소했습니다.', action: '투입하신 돈은 반환했습니다. 카드와 돈을 잊지 마십시오.' },
    timeout: { title: '한동안 조작이 없어 취소되었습니다.', action: '처음부터 다시 조작하십시오.' },
    'payment-timeout': { title: '시간 안에 결제가 끝나지 않아 취소되었습니다.', action: '투입하신 돈은 반환했습니다. 처음부터 다시 조작하십시오.' },
  },

  warningTitle: '시간이 더 필요하십니까?',
  warningText: '한동안 조작이 없었습니다. 계속하려면 "계속"을 누르십시오.',
  secondsLeft: (n) => `${n}초 후에 이용이 종료됩니다`,
  continue: '계속',

  coinSlot: '동전 투입구',
  billSlot: '지폐 투입구',
  changeSlot: '거스름돈·반환구',
  paperTray: '증명서 나오는 곳',
};

const pt: Strings = {
  appName: 'Certidões na loja de conveniência',
  step: (n, of) => `Etapa ${n} de ${of}`,
  language: 'Idioma / Language',
  back: 'Voltar',
  cancel: 'Cancelar',
  next: 'Avançar',
  done: 'Concluir',
  backToTop: 'Voltar ao menu principal',
  connecting: 'Conectando…',

  topTitle: 'Escolha um serviço',
  services: { copy: 'Cópia', print: 'Impressão', photo: 'Foto', government: 'Serviços públicos (行政サービス)' },
  governmentSub: 'Registro de residente, registro de carimbo e outras certidões',
  notSimulated: (s) => `"${s}" não faz parte deste simulador. Escolha Serviços públicos.`,
  attract: 'Obtenha o registro de residente e outras certidões com o seu My Number Card',
  touchToStart: 'Toque na tela para começar',
  attractSteps: ['Coloque o cartão', 'Digite a senha', 'Retire a certidão'],

  governmentTitle: 'Serviços públicos',
  certificateService: 'Emissão de certidões (証明書交付サービス)',
  certificateServiceSub: 'Registro de residente, carimbo, impostos e registro familiar',
  domicileRegistration: 'Cadastro do município do domicílio de registro (本籍地)',
  pinReset: 'Redefinir a senha',
  comingLater: 'Em breve',

  mediumTitle: 'Escolha o que vai usar e aceite os termos de uso',
  mediumCard: 'My Number Card (マイナンバーカード)',
  mediumCardSub: 'Certificado de autenticação do usuário',
  mediumPhone: 'Smartphone',
  mediumPhoneSub: 'Certificado para smartphone (スマホ用電子証明書)',
  termsTitle: 'Termos de uso',
  terms: [
    'Com este serviço você obtém certidões do município nesta copiadora multifuncional, usando o certificado de autenticação do usuário do seu My Number Card ou o certificado para smartphone.',
    'Só é possível obter certidões sobre você ou sobre membros do seu domicílio. Digite a senha sem que ninguém ao redor veja.',
    'Não esqueça as certidões, o cartão e o troco.',
    'Isto é um simulador. Todos os nomes e números exibidos são dados de teste fictícios.',
  ],
  acceptTerms: 'Aceito',
  chooseMediumFirst: 'Primeiro escolha o cartão ou o smartphone',

  readCardTitle: 'Coloque o seu My Number Card no leitor',
  readPhoneTitle: 'Aproxime o smartphone do leitor',
  readHint: 'Não mova o cartão até receber a instrução.',
  reading: 'Lendo…',

  cityTitle: 'De qual município são as certidões?',
  cityResidence: 'Município onde você mora',
  cityResidenceSub: 'Registro de residente, registro de carimbo, certidão de impostos e outras',
  cityDomicile: 'Domicílio de registro (本籍地)',
  cityDomicileSub: 'Certidões do registro familiar, se o seu 本籍地 fica em outro município',
  choosePrefecture: 'Escolha a província do seu domicílio de registro',
  chooseMunicipality: 'Escolha o município do seu domicílio de registro',
  notParticipating: 'não participa',

  pinTitle: 'Digite a sua senha de 4 dígitos',
  pinHint: 'A senha do certificado de autenticação do usuário. Cuide para que ninguém a veja.',
  triesLeft: (n) => `A senha será bloqueada após mais ${n} ${n === 1 ? 'erro' : 'erros'}.`,
  pinClear: 'Limpar',
  pinBackspace: 'Apagar',
  pinEnter: 'Confirmar',
  pinEntered: (n) => `${n} de 4 dígitos digitados`,
  verifying: 'Verificando a senha…',
  authenticating: 'Conectando à central de emissão de certidões…',

  removeTitle: 'Retire o seu cartão',
  removeHint: 'Retire o cartão do leitor para continuar.',
  removeReminder: 'O seu cartão ainda está no leitor. Retire-o, por favor.',

  certificateTitle: 'Escolha uma certidão',
  certificateNames: {
    juminhyo: 'Cópia do registro de residente',
    kisai: 'Certidão de dados do registro de residente',
    inkan: 'Certidão de registro de carimbo',
    kazei: 'Certidão de tributação / não tributação',
    koseki: 'Certidão do registro familiar',
    fuhyo: 'Cópia do anexo do registro familiar',
  },
  perCopy: (fee) => `${fee} por via`,
  unavailable: {
    'not-offered': 'Não emitida por este município',
    'no-seal': 'Não há carimbo registrado',
    'no-tax-data': 'Não há dados de impostos',
    'outside-hours': 'Indisponível neste horário',
    'domicile-only': 'Disponível ao escolher o domicílio de registro',
    'residence-only': 'Disponível ao escolher o município onde você mora',
  },

  typeTitle: 'Escolha o tipo de certidão',
  household: 'Todo o domicílio',
  self: 'Somente você',
  members: 'Membros escolhidos',
  chooseMembers: 'Escolha quem aparece na certidão',
  kosekiZenbu: 'Todos os registros (全部事項証明書)',
  kosekiKojin: 'Uma pessoa (個人事項証明書)',
  choosePerson: 'Escolha a pessoa',
  chooseYear: 'Escolha o ano fiscal',
  fiscalYear: (y) => `Ano fiscal ${y} (renda de ${y - 1})`,

  infoTitle: 'Escolha o que será impresso na certidão',
  info: {
    householdHead: 'Chefe do domicílio e parentesco (世帯主・続柄)',
    domicile: 'Domicílio de registro e titular do registro familiar (本籍・筆頭者)',
    myNumber: 'Número individual (個人番号)',
    nationality: 'Nacionalidade / região (国籍・地域)',
    residenceStatus: 'Status de residência (在留資格)',
    residenceCardNumber: 'Número do cartão de residente (在留カード等の番号)',
  },
  include: 'Imprimir',
  omit: 'Não imprimir',
  residentCodeNote: 'O código do registro de residente (住民票コード) nunca é impresso.',

  copiesTitle: 'Quantas vias?',
  copiesCount: (n) => `${n} ${n === 1 ? 'via' : 'vias'}`,
  copiesMax: (n) => `Até ${n} vias por vez`,
  fewer: 'Uma via a menos',
  more: 'Uma via a mais',

  confirmTitle: 'Confira o seu pedido',
  holderName: 'Nome',
  city: 'Município',
  certificate: 'Certidão',
  subtype: 'Tipo',
  options: 'Itens impressos',
  copies: 'Vias',
  unitFee: 'Taxa por via',
  total: 'Total',
  correct: 'Alterar',
  pay: 'Confirmar e pagar',
  none: 'Nenhum',

  paymentTitle: 'Insira o dinheiro',
  due: 'Valor a pagar',
  inserted: 'Inserido',
  remaining: 'Falta pagar',
  change: 'Troco',
  cashSlot: 'Entrada de dinheiro (simulada)',
  cashHint: 'Moedas: 10, 50, 100, 500 ienes · Cédulas: 1000, 2000, 5000, 10000 ienes',
  insertCash: (yen) => `Inserir ${yen}`,
  cashRejected: {
    'change-unavailable': 'Não é possível aceitar porque falta troco. Insira um valor menor.',
    'not-accepted': 'Não é possível aceitar este dinheiro. Retire-o, por favor.',
  },
  refunding: 'Devolvendo o seu dinheiro…',

  printingTitle: 'Imprimindo as suas certidões',
  printingProgress: (p, t) => `${p} de ${t} folhas`,
  doNotLeave: 'Aguarde até o fim da impressão.',
  payingOut: 'Liberando o troco…',
  collectTitle: 'Retire as certidões, o recibo e o troco',
  collectHint: 'Não esqueça nada.',
  changeReturned: (y) => `Troco: ${y}`,
  refunded: (y) => `Reembolso: ${y}`,
  refundSlip: 'A máquina não conseguiu devolver o dinheiro e imprimiu um comprovante de reembolso. Leve-o e mostre-o aos funcionários da loja.',
  recovery: {
    title: 'O terminal reiniciou enquanto o último cliente o usava.',
    printed: (n, of) => `Foram impressos ${n} de ${of} certificados: retire-os na saída.`,
    returned: (y) => `${y} foram devolvidos na saída de troco.`,
    owed: (y) => `Foi impresso um comprovante de reembolso de ${y}: mostre-o aos funcionários da loja.`,
  },
  documents: 'Documentos impressos (PDF)',

  refusedTitle: 'Não é possível usar este serviço',
  refusal: {
    'unsupported-card': { title: 'Este cartão não pode ser usado. (ご利用いただけないカードです。)', action: 'Use o seu My Number Card. Cartões do registro básico de residentes (住基カード), cartões municipais e cartões de notificação não podem ser usados.' },
    'no-card': { title: 'Nenhum cartão foi colocado no leitor.', action: 'Comece de novo e coloque o cartão no leitor.' },
    'card-read-error': { title: 'Não foi possível ler o cartão.', action: 'Verifique se o cartão está sujo ou danificado e comece de novo. Se continuar, consulte a prefeitura.' },
    'card-removed': { title: 'O cartão foi retirado antes da hora.', action: 'Comece de novo e deixe o cartão no leitor até receber a instrução para retirá-lo.' },
    'certificate-expired': { title: 'O seu certificado eletrônico está vencido.', action: 'Renove-o na prefeitura do município onde mora (a renovação é possível a partir de 3 meses antes do vencimento).' },
    'certificate-not-yet-valid': { title: 'O seu certificado eletrônico ainda não pode ser usado.', action: 'Ele não pode ser usado no dia em que o cartão foi emitido ou a senha foi alterada. Use-o a partir de amanhã.' },
    'certificate-revoked': { title: 'O seu certificado eletrônico foi revogado.', action: 'Se perdeu o cartão, ligue para a linha gratuita do My Number 0120-95-0178. Nos demais casos, consulte a prefeitura.' },
    'under-15': { title: 'Menores de 15 anos não podem usar este serviço.', action: 'Solicite a certidão na prefeitura.' },
    'adult-ward': { title: 'Não é possível usar este serviço.', action: 'Pessoas sob curatela (成年被後見人) podem solicitar certidões na prefeitura.' },
    'moved-out': { title: 'Você apresentou um aviso de mudança para outro município.', action: 'Use o serviço depois de se registrar no novo endereço. As certidões podem ser solicitadas na prefeitura.' },
    'support-measure': { title: 'As certidões não podem ser emitidas aqui.', action: 'Se você recebe uma medida de apoio, solicite as certidões na prefeitura.' },
    'not-registered': { title: 'O seu registro de residente não foi encontrado.', action: 'Consulte a prefeitura do município onde mora.' },
    'city-not-participating': { title: 'Este município não emite certidões em lojas de conveniência.', action: 'Solicite a certidão na prefeitura ou pelo correio.' },
    'domicile-not-registered': { title: 'O seu domicílio de registro não está cadastrado para este serviço.', action: 'As certidões do 本籍地 exigem um cadastro prévio (leva alguns dias).' },
    'center-unreachable': { title: 'Não foi possível conectar à central de emissão de certidões.', action: 'Tente novamente mais tarde.' },
  },
  pinLockedTitle: 'A sua senha está bloqueada',
  pinLockedText: 'A senha foi digitada errada 3 vezes seguidas, por isso o certificado de autenticação do usuário foi bloqueado. Este cartão não pode ser usado aqui até a senha ser redefinida.',
  resetWhere: 'A senha bloqueada é redefinida no balcão do município onde você mora.',
  resetOfficesIn: (c) => `Se você mora em ${c}, vá a um destes balcões`,
  resetElsewhere: (c) => `Se você mora fora de ${c}, vá ao balcão do seu próprio município (o horário varia de município para município).`,
  resetHoursLabel: 'Horário',
  resetClosedLabel: 'Fechado',
  resetBringLabel: 'Leve',
  weekdayHours: (o, c) => `Dias úteis ${o}–${c}`,
  saturdayHours: (w, o, c) => `${joinAnd(w.map((n) => `${n}º`), 'e')} ${w.length > 1 ? 'sábados' : 'sábado'} ${o}–${c}`,
  holidays: 'Feriados nacionais',
  dateRange: (m1, d1, m2, d2) => `${d1} de ${MONTHS_PT[m1 - 1]} – ${d2} de ${MONTHS_PT[m2 - 1]}`,
  bringItems: { 'my-number-card': 'O seu My Number Card', 'identity-document': 'Mais um documento de identidade (carteira de motorista, passaporte etc.)' },
  outOfServiceTitle: 'O serviço não está disponível agora',
  outOfService: {
    'outside-hours': { title: 'Fora do horário de atendimento.', action: 'O serviço funciona todos os dias das 6:30 às 23:00.' },
    'year-end': { title: 'Fechado no fim de ano (29 de dezembro a 3 de janeiro).', action: 'Volte a partir de 4 de janeiro.' },
    maintenance: { title: 'O sistema está em manutenção.', action: 'Tente novamente após a manutenção.' },
    'out-of-order': { title: 'Este terminal está com defeito.', action: 'Avise os funcionários da loja ou use o terminal de outra loja.' },
  },
  printFailedTitle: 'Falha na impressão',
  printFailure: {
    'paper-out': { title: 'Acabou o papel da impressora.', action: 'Avise os funcionários da loja.' },
    'paper-jam': { title: 'O papel atolou.', action: 'Avise os funcionários da loja.' },
    'printer-offline': { title: 'A impressora não está disponível.', action: 'Avise os funcionários da loja.' },
    'printer-error': { title: 'A impressora parou por causa de uma falha.', action: 'Avise os funcionários da loja.' },
    'center-unreachable': { title: 'Não foi possível conectar à central de emissão de certidões.', action: 'Tente novamente mais tarde.' },
    'issuance-refused': { title: 'Não foi possível emitir a certidão.', action: 'Consulte a prefeitura.' },
  },
  printedOf: (p, t) => `Foram impressas ${p} de ${t} vias.`,
  cancelledTitle: 'Cancelado',
  cancelled: {
    cancelled: { title: 'Você cancelou.', action: 'O dinheiro inserido foi devolvido. Não esqueça o cartão e o dinheiro.' },
    timeout: { title: 'Cancelado por falta de atividade.', action: 'Comece de novo.' },
    'payment-timeout': { title: 'Cancelado porque o pagamento não foi concluído a tempo.', action: 'O dinheiro inserido foi devolvido. Comece de novo.' },
  },

  warningTitle: 'Precisa de mais tempo?',
  warningText: 'Não houve atividade por algum tempo. Toque em Continuar para prosseguir.',
  secondsLeft: (n) => `A operação termina em ${n} segundos`,
  continue: 'Continuar',

  coinSlot: 'Entrada de moedas',
  billSlot: 'Entrada de cédulas',
  changeSlot: 'Troco e devolução',
  paperTray: 'Saída das certidões',
};

const es: Strings = {
  appName: 'Certificados en la tienda de conveniencia',
  step: (n, of) => `Paso ${n} de ${of}`,
  language: 'Idioma / Language',
  back: 'Atrás',
  cancel: 'Cancelar',
  next: 'Siguiente',
  done: 'Terminar',
  backToTop: 'Volver al menú principal',
  connecting: 'Conectando…',

  topTitle: 'Elija un servicio',
  services: { copy: 'Copia', print: 'Impresión', photo: 'Foto', government: 'Servicios públicos (行政サービス)' },
  governmentSub: 'Registro de residente, registro de sello y otros certificados',
  notSimulated: (s) => `"${s}" no forma parte de este simulador. Elija Servicios públicos.`,
  attract: 'Obtenga su registro de residente y otros certificados con su My Number Card',
  touchToStart: 'Toque la pantalla para empezar',
  attractSteps: ['Coloque la tarjeta', 'Introduzca el PIN', 'Recoja el certificado'],

  governmentTitle: 'Servicios públicos',
  certificateService: 'Emisión de certificados (証明書交付サービス)',
  certificateServiceSub: 'Registro de residente, sello, impuestos y registro familiar',
  domicileRegistration: 'Registro del municipio del domicilio legal (本籍地)',
  pinReset: 'Restablecer el PIN',
  comingLater: 'Próximamente',

  mediumTitle: 'Elija lo que va a usar y acepte las condiciones de uso',
  mediumCard: 'My Number Card (マイナンバーカード)',
  mediumCardSub: 'Certificado de autenticación del usuario',
  mediumPhone: 'Teléfono inteligente',
  mediumPhoneSub: 'Certificado para teléfono (スマホ用電子証明書)',
  termsTitle: 'Condiciones de uso',
  terms: [
    'Con este servicio puede obtener certificados municipales en esta fotocopiadora multifunción, usando el certificado de autenticación del usuario de su My Number Card o el certificado para teléfono inteligente.',
    'Solo puede obtener certificados sobre usted o los miembros de su hogar. Introduzca su PIN sin que nadie a su alrededor lo vea.',
    'No olvide sus certificados, su tarjeta ni el cambio.',
    'Esto es un simulador. Todos los nombres y números que se muestran son datos de prueba ficticios.',
  ],
  acceptTerms: 'Acepto',
  chooseMediumFirst: 'Primero elija la tarjeta o el teléfono',

  readCardTitle: 'Coloque su My Number Card sobre el lector',
  readPhoneTitle: 'Acerque su teléfono al lector',
  readHint: 'No mueva la tarjeta hasta que se le indique.',
  reading: 'Leyendo…',

  cityTitle: '¿De qué municipio son los certificados?',
  cityResidence: 'El municipio donde vive',
  cityResidenceSub: 'Registro de residente, registro de sello, certificado de impuestos y otros',
  cityDomicile: 'Su domicilio legal (本籍地)',
  cityDomicileSub: 'Certificados del registro familiar, si su 本籍地 está en otro municipio',
  choosePrefecture: 'Elija la prefectura de su domicilio legal',
  chooseMunicipality: 'Elija el municipio de su domicilio legal',
  notParticipating: 'no participa',

  pinTitle: 'Introduzca su PIN de 4 dígitos',
  pinHint: 'El PIN del certificado de autenticación del usuario. Asegúrese de que nadie lo vea.',
  triesLeft: (n) => `El PIN se bloqueará tras ${n} ${n === 1 ? 'intento fallido más' : 'intentos fallidos más'}.`,
  pinClear: 'Borrar todo',
  pinBackspace: 'Borrar',
  pinEnter: 'Aceptar',
  pinEntered: (n) => `${n} de 4 dígitos introducidos`,
  verifying: 'Comprobando el PIN…',
  authenticating: 'Conectando con el centro de emisión de certificados…',

  removeTitle: 'Retire su tarjeta',
  removeHint: 'Retire la tarjeta del lector para continuar.',
  removeReminder: 'Su tarjeta sigue en el lector. Retírela, por favor.',

  certificateTitle: 'Elija un certificado',
  certificateNames: {
    juminhyo: 'Copia del registro de residente',
    kisai: 'Certificado de datos del registro de residente',
    inkan: 'Certificado de registro de sello',
    kazei: 'Certificado de tributación / no tributación',
    koseki: 'Certificado del registro familiar',
    fuhyo: 'Copia del anexo del registro familiar',
  },
  perCopy: (fee) => `${fee} por copia`,
  unavailable: {
    'not-offered': 'Este municipio no lo emite',
    'no-seal': 'No hay sello registrado',
    'no-tax-data': 'No hay datos fiscales',
    'outside-hours': 'No disponible en este horario',
    'domicile-only': 'Disponible si elige su domicilio legal',
    'residence-only': 'Disponible si elige el municipio donde vive',
  },

  typeTitle: 'Elija el tipo de certificado',
  household: 'Todo el hogar',
  self: 'Solo usted',
  members: 'Miembros elegidos',
  chooseMembers: 'Elija quién aparece en el certificado',
  kosekiZenbu: 'Todos los datos (全部事項証明書)',
  kosekiKojin: 'Una persona (個人事項証明書)',
  choosePerson: 'Elija la persona',
  chooseYear: 'Elija el año fiscal',
  fiscalYear: (y) => `Año fiscal ${y} (ingresos de ${y - 1})`,

  infoTitle: 'Elija qué se imprime en el certificado',
  info: {
    householdHead: 'Cabeza del hogar y parentesco (世帯主・続柄)',
    domicile: 'Domicilio legal y titular del registro familiar (本籍・筆頭者)',
    myNumber: 'Número individual (個人番号)',
    nationality: 'Nacionalidad / región (国籍・地域)',
    residenceStatus: 'Estatus de residencia (在留資格)',
    residenceCardNumber: 'Número de la tarjeta de residencia (在留カード等の番号)',
  },
  include: 'Imprimir',
  omit: 'No imprimir',
  residentCodeNote: 'El código del registro de residente (住民票コード) nunca se imprime.',

  copiesTitle: '¿Cuántas copias?',
  copiesCount: (n) => `${n} ${n === 1 ? 'copia' : 'copias'}`,
  copiesMax: (n) => `Hasta ${n} copias cada vez`,
  fewer: 'Una copia menos',
  more: 'Una copia más',

  confirmTitle: 'Revise su solicitud',
  holderName: 'Nombre',
  city: 'Municipio',
  certificate: 'Certificado',
  subtype: 'Tipo',
  options: 'Datos impresos',
  copies: 'Copias',
  unitFee: 'Tasa por copia',
  total: 'Total',
  correct: 'Cambiar',
  pay: 'Confirmar y pagar',
  none: 'Ninguno',

  paymentTitle: 'Introduzca el dinero',
  due: 'Importe a pagar',
  inserted: 'Introducido',
  remaining: 'Falta',
  change: 'Cambio',
  cashSlot: 'Ranura de dinero (simulada)',
  cashHint: 'Monedas: 10, 50, 100, 500 yenes · Billetes: 1000, 2000, 5000, 10000 yenes',
  insertCash: (yen) => `Introducir ${yen}`,
  cashRejected: {
    'change-unavailable': 'No se puede aceptar porque no hay cambio suficiente. Introduzca un importe menor.',
    'not-accepted': 'No se puede aceptar este dinero. Recójalo, por favor.',
  },
  refunding: 'Devolviendo su dinero…',

  printingTitle: 'Imprimiendo sus certificados',
  printingProgress: (p, t) => `${p} de ${t} hojas`,
  doNotLeave: 'Espere hasta que termine la impresión.',
  payingOut: 'Entregando el cambio…',
  collectTitle: 'Recoja sus certificados, el recibo y el cambio',
  collectHint: 'No olvide nada.',
  changeReturned: (y) => `Cambio: ${y}`,
  refunded: (y) => `Reembolso: ${y}`,
  refundSlip: 'La máquina no pudo devolver el dinero y ha impreso un comprobante de reembolso. Recójalo y muéstrelo al personal de la tienda.',
  recovery: {
    title: 'El terminal se reinició mientras el último cliente lo usaba.',
    printed: (n, of) => `Se imprimieron ${n} de ${of} certificados: recójalos en la salida.`,
    returned: (y) => `Se devolvieron ${y} en la salida del cambio.`,
    owed: (y) => `Se imprimió un comprobante de reembolso de ${y}: muéstrelo al personal de la tienda.`,
  },
  documents: 'Documentos impresos (PDF)',

  refusedTitle: 'No puede usar este servicio',
  refusal: {
    'unsupported-card': { title: 'Esta tarjeta no se puede usar. (ご利用いただけないカードです。)', action: 'Use su My Number Card. Las tarjetas del registro básico de residentes (住基カード), las tarjetas municipales y las tarjetas de notificación no se pueden usar.' },
    'no-card': { title: 'No se colocó ninguna tarjeta en el lector.', action: 'Empiece de nuevo y coloque la tarjeta sobre el lector.' },
    'card-read-error': { title: 'No se pudo leer la tarjeta.', action: 'Compruebe que la tarjeta no esté sucia ni dañada y empiece de nuevo. Si sigue ocurriendo, consulte en su ayuntamiento.' },
    'card-removed': { title: 'La tarjeta se retiró antes de tiempo.', action: 'Empiece de nuevo y deje la tarjeta en el lector hasta que se le indique retirarla.' },
    'certificate-expired': { title: 'Su certificado electrónico ha caducado.', action: 'Renuévelo en el ayuntamiento del municipio donde vive (se puede renovar desde 3 meses antes de que caduque).' },
    'certificate-not-yet-valid': { title: 'Su certificado electrónico todavía no se puede usar.', action: 'No se puede usar el día en que se emitió la tarjeta o se cambió el PIN. Úselo a partir de mañana.' },
    'certificate-revoked': { title: 'Su certificado electrónico ha sido revocado.', action: 'Si perdió la tarjeta, llame a la línea gratuita de My Number 0120-95-0178. En otros casos, consulte en su ayuntamiento.' },
    'under-15': { title: 'Los menores de 15 años no pueden usar este servicio.', action: 'Solicite el certificado en el ayuntamiento.' },
    'adult-ward': { title: 'No puede usar este servicio.', action: 'Las personas bajo tutela (成年被後見人) pueden solicitar certificados en el ayuntamiento.' },
    'moved-out': { title: 'Ha presentado un aviso de traslado a otro municipio.', action: 'Use el servicio después de registrarse en su nueva dirección. Puede solicitar certificados en el ayuntamiento.' },
    'support-measure': { title: 'Los certificados no se pueden emitir aquí.', action: 'Si recibe una medida de apoyo, solicite los certificados en el ayuntamiento.' },
    'not-registered': { title: 'No se encontró su registro de residente.', action: 'Consulte en el ayuntamiento del municipio donde vive.' },
    'city-not-participating': { title: 'Este municipio no emite certificados en tiendas de conveniencia.', action: 'Solicite el certificado en el ayuntamiento o por correo.' },
    'domicile-not-registered': { title: 'Su domicilio legal no está registrado para este servicio.', action: 'Los certificados del 本籍地 requieren un registro previo (tarda unos días).' },
    'center-unreachable': { title: 'No se puede conectar con el centro de emisión de certificados.', action: 'Inténtelo de nuevo más tarde.' },
  },
  pinLockedTitle: 'Su PIN está bloqueado',
  pinLockedText: 'El PIN se introdujo mal 3 veces seguidas y el certificado de autenticación del usuario se ha bloqueado. No podrá usar esta tarjeta aquí hasta restablecer el PIN.',
  resetWhere: 'El PIN bloqueado se restablece en la ventanilla del municipio donde vive.',
  resetOfficesIn: (c) => `Si vive en ${c}, acuda a una de estas ventanillas`,
  resetElsewhere: (c) => `Si vive fuera de ${c}, acuda a la ventanilla de su propio municipio (el horario varía según el municipio).`,
  resetHoursLabel: 'Horario',
  resetClosedLabel: 'Cerrado',
  resetBringLabel: 'Traiga',
  weekdayHours: (o, c) => `Días laborables ${o}–${c}`,
  saturdayHours: (w, o, c) => `${joinAnd(w.map((n) => `${n}.º`), 'y')} sábado ${o}–${c}`,
  holidays: 'Festivos nacionales',
  dateRange: (m1, d1, m2, d2) => `${d1} de ${MONTHS_ES[m1 - 1]} – ${d2} de ${MONTHS_ES[m2 - 1]}`,
  bringItems: { 'my-number-card': 'Su My Number Card', 'identity-document': 'Otro documento de identidad (permiso de conducir, pasaporte, etc.)' },
  outOfServiceTitle: 'El servicio no está disponible ahora',
  outOfService: {
    'outside-hours': { title: 'Fuera del horario de servicio.', action: 'El servicio está disponible todos los días de 6:30 a 23:00.' },
    'year-end': { title: 'Cerrado por Año Nuevo (del 29 de diciembre al 3 de enero).', action: 'Vuelva a partir del 4 de enero.' },
    maintenance: { title: 'El sistema está en mantenimiento.', action: 'Inténtelo de nuevo cuando termine el mantenimiento.' },
    'out-of-order': { title: 'Este terminal está averiado.', action: 'Avise al personal de la tienda o use el terminal de otra tienda.' },
  },
  printFailedTitle: 'No se pudo imprimir',
  printFailure: {
    'paper-out': { title: 'La impresora se quedó sin papel.', action: 'Avise al personal de la tienda.' },
    'paper-jam': { title: 'Se atascó el papel.', action: 'Avise al personal de la tienda.' },
    'printer-offline': { title: 'La impresora no está disponible.', action: 'Avise al personal de la tienda.' },
    'printer-error': { title: 'La impresora se detuvo por una avería.', action: 'Avise al personal de la tienda.' },
    'center-unreachable': { title: 'No se puede conectar con el centro de emisión de certificados.', action: 'Inténtelo de nuevo más tarde.' },
    'issuance-refused': { title: 'No se pudo emitir el certificado.', action: 'Consulte en su ayuntamiento.' },
  },
  printedOf: (p, t) => `Se imprimieron ${p} de ${t} copias.`,
  cancelledTitle: 'Cancelado',
  cancelled: {
    cancelled: { title: 'Ha cancelado la operación.', action: 'Se ha devuelto el dinero introducido. No olvide su tarjeta ni su dinero.' },
    timeout: { title: 'Cancelado por inactividad.', action: 'Empiece de nuevo.' },
    'payment-timeout': { title: 'Cancelado porque el pago no se completó a tiempo.', action: 'Se ha devuelto el dinero introducido. Empiece de nuevo.' },
  },

  warningTitle: '¿Necesita más tiempo?',
  warningText: 'No ha habido actividad durante un rato. Pulse Continuar para seguir.',
  secondsLeft: (n) => `La operación terminará en ${n} segundos`,
  continue: 'Continuar',

  coinSlot: 'Ranura de monedas',
  billSlot: 'Ranura de billetes',
  changeSlot: 'Cambio y devoluciones',
  paperTray: 'Salida de certificados',
};

export const STRINGS: Record<Language, Strings> = { ja, en, 'zh-Hans': zhHans, 'zh-Hant': zhHant, ko, pt, es };

/** The strings of a language; anything unknown falls back to Japanese, the kiosk's default. */
export function strings(language: Language | string | null | undefined): Strings {
  return STRINGS[(language ?? 'ja') as Language] ?? ja;
}

/** A certificate's name in the chosen language with the Japanese name beside it (only the Japanese in Japanese). */
export function certificateLabel(c: Certificate, language: Language): string {
  const jaName = JAPANESE_CERTIFICATE_NAMES[c];
  const local = strings(language).certificateNames[c];
  return language === 'ja' || local === jaName ? jaName : `${local}（${jaName}）`;
}

/** Yen as a person of that language reads it: 1,200円 in CJK, ¥1,200 in the others. */
export function formatYen(amount: number, language: Language): string {
  const sign = amount < 0 ? '-' : '';
  const grouped = Math.abs(Math.round(amount)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, language === 'pt' || language === 'es' ? '.' : ',');
  switch (language) {
    case 'ja': case 'zh-Hans': case 'zh-Hant': return `${sign}${grouped}円`;
    case 'ko': return `${sign}${grouped}엔`;
    default: return `${sign}¥${grouped}`;
  }
}

/** '09:00' → '9:00', as counters post their hours. */
const clockTime = (hhmm: string) => hhmm.replace(/^0(?=\d:)/, '');

/** A municipality's PIN-reset hours, closures and what to bring, worded in a language (one string per item). */
export function resetGuide(reset: PinReset, language: Language): { hours: string[]; closed: string[]; bring: string[] } {
  const t = strings(language);
  const { weekdays, saturdays } = reset.hours;
  const day = (mmdd: string) => mmdd.split('-').map(Number) as [number, number];
  const yearEnd = reset.closed.yearEnd;
  return {
    hours: [
      t.weekdayHours(clockTime(weekdays.open), clockTime(weekdays.close)),
      ...(saturdays && saturdays.weeks.length ? [t.saturdayHours(saturdays.weeks, clockTime(saturdays.open), clockTime(saturdays.close))] : []),
    ],
    closed: [
      ...(reset.closed.holidays ? [t.holidays] : []),
      ...(yearEnd ? [t.dateRange(...day(yearEnd.from), ...day(yearEnd.to))] : []),
    ],
    bring: reset.bring.map((b) => t.bringItems[b]),
  };
}
