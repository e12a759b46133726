// What the printer is given: issued documents as data. The center produces them, the printer lays them out.
// Kept free of pdfkit so that the center and the runtime can build jobs without loading the layout code.

/** The tax certificates are 'kazei' (課税・非課税), 'shotoku' (所得), 'shotoku-kazei' (所得・課税) and 'nozei' (納税). */
export type CertificateKind =
  | 'juminhyo' | 'kisai' | 'inkan' | 'kazei' | 'shotoku' | 'shotoku-kazei' | 'nozei' | 'koseki-zenbu' | 'koseki-kojin' | 'fuhyo';

/** One labelled line of a record, e.g. { label: '氏名', value: '川崎 太郎' }. */
export interface RecordField {
  label: string;
  value: string;
}

/** One issued copy of a certificate: everything that goes on its front and back pages. */
export interface IssuedCertificate {
  kind: CertificateKind;
  /** Japanese title as printed, e.g. 住民票の写し. */
  title: string;
  /** The session's issuance number, printed on every page (front and back). */
  issuanceNumber: string;
  /** Code printed on the back with which a receiving organization checks the document at the center. */
  verificationCode: string;
  copyIndex: number; // 1-based
  copies: number;
  /** ISO time of issuance; printed as a Japanese era date (令和) in the certification sentence. */
  issuedAt: string;
  municipality: { name: string; mayor: string };
  /** Fields that apply to the whole record (address, householder, tax year...). */
  header: RecordField[];
  /** One block per person on the record (a household member, a family-register member...). */
  people: RecordField[][];
  /** 印鑑登録証明書 only: the registered seal's impression, drawn by the printer as the seal shows it. */
  sealImpression?: { text: string; registrationNumber: string };
  /** The certification sentence, e.g. この写しは、住民票の原本と相違ないことを証明する。 */
  certification: string;
}

/** The usage statement (利用明細) printed after the certificates. */
export interface Receipt {
  issuanceNumber: string;
  issuedAt: string;
  storeName: string;
  terminalId: string;
  lines: Array<{ title: string; copies: number; unitFee: number; printed: number }>;
  charged: number;
  inserted: number;
  change: number;
  refunded: number;
}

/**
 * A refund slip (返金票): printed when paid copies failed and the machine cannot pay the money back (or instead of
 * paying it). The person takes it to the store's counter, where staff pay the amount.
 */
export interface RefundSlip {
  /** The session's issuance number; null when the failure came before the center issued one. */
  issuanceNumber: string | null;
  issuedAt: string;
  storeName: string;
  terminalId: string;
  /** Yen the store owes the person: the fees of the failed copies, plus any change the machine could not pay. */
  amount: number;
  /** The certificates paid for and not printed. */
  failed: Array<{ title: string; unitFee: number; copies: number; failedCopies: number[] }>;
  /** Why printing stopped, as the person was told, e.g. 用紙切れ (optional). */
  reason?: string;
}

export interface PrintJob {
  certificates: IssuedCertificate[];
  receipt: Receipt;
}

/**
 * The 交付申請書 J-LIS mails a resident (photo-booth.md §5), as printed: the 23-digit 申請書ID (also in its QR code)
 * and what is printed about the person, which binds the form to them.
 */
export interface ApplicationFormDocument {
  formId: string;
  /** ISO time the form was printed. */
  printedAt: string;
  name: string;
  kana?: string;
  address: string;
  /** YYYY-MM-DD; printed as an era date. */
  birthDate: string;
  sex: string;
  /** Foreign residents only: (8) the classification and (9) the end of the period of stay (null: none). */
  foreign?: { classification: string; stayUntil: string | null };
  /** The municipality that sends the form (its name, e.g. 川崎市). */
  municipality: string;
}

/** The slip a photo booth gives after sending an application (申請受付票): what was sent, and what comes next. */
export interface ApplicationSlip {
  formId: string;
  /** J-LIS's number for the application. */
  application: number;
  appliedAt: string;
  /** The Japan date the card reaches the office (YYYY-MM-DD). */
  arrivesOn: string;
  certificates: boolean;
  braille: boolean;
  boothId: string;
  /** Yen paid for the photograph. */
  fee: number;
}

/**
 * The 個人番号カード交付通知書 兼 照会書 the municipality mails when a new card reaches its office (card-life.md §2):
 * where and until when to collect it, what to bring; its lower part is the inquiry a proxy brings back answered.
 */
export interface CollectionNotice {
  cardId: string;
  name: string;
  address: string;
  birthDate: string;
  /** Japan dates (YYYY-MM-DD): the card arrived; the office keeps it until. */
  arrivedOn: string;
  keptUntil: string;
  municipality: string;
  /** The office and its address, and its hours in words. */
  office: { name: string; address: string } | null;
  hours: string;
  /** Whether electronic certificates come with the card (their PINs are set at collection). */
  certificates: boolean;
  printedAt: string;
}
