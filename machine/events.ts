// The machine's vocabulary. Events are namespaced by their source (ui.*, card.*, center.*, cash.*, print.*,
// timeout); commands are what the machine asks the devices to do, as emitted events.
import type {
  CardSummary, CashRejection, CertificateRequest, Certificate, Holder, InfoOptions, Language, Medium, Municipality, PrintFailure, RefusalReason,
  OtherService, ResettablePin, Scope, Subtype,
} from './types.ts';

export type UiEvent =
  | { type: 'ui.start'; at: string }
  | { type: 'ui.otherService'; service: OtherService }
  | { type: 'ui.certificateService' }
  /** 戸籍証明書交付の利用登録申請 on the 行政サービス menu. */
  | { type: 'ui.domicileRegistration' }
  /** 暗証番号リセット on the 行政サービス menu (after a reservation in the JPKI app). */
  | { type: 'ui.pinResetService' }
  /** Which PIN the person resets: the 4-digit user-authentication PIN, or the signature password. */
  | { type: 'ui.choosePinToReset'; pin: ResettablePin }
  | { type: 'ui.chooseMedium'; medium: Medium }
  | { type: 'ui.acceptTerms' }
  | { type: 'ui.selectCity'; scope: Scope; city?: string }
  | { type: 'ui.selectCertificate'; certificate: Certificate; at: string }
  | { type: 'ui.selectType'; subtype: Subtype }
  | { type: 'ui.selectInfo'; options: InfoOptions }
  | { type: 'ui.selectCopies'; copies: number }
  | { type: 'ui.confirm' }
  | { type: 'ui.correct'; step: 'certificate-select' | 'type-select' | 'info-select' | 'copies' }
  | { type: 'ui.back' }
  | { type: 'ui.cancel' }
  | { type: 'ui.done' }
  | { type: 'ui.continue' }
  | { type: 'ui.setLanguage'; language: Language };

export type DeviceEvent =
  | { type: 'card.read.done'; card: CardSummary; at: string }
  | { type: 'card.read.failed'; reason: 'card-read-error' | 'unsupported-card' | 'card-removed' | 'no-user-certificate' }
  | { type: 'card.removed' }
  /** The reader has a card and reading it begins: the screen shows 「読み取っています」 only from now. */
  | { type: 'card.placed' }
  | { type: 'pin.submitted' }
  | { type: 'card.pin.ok' }
  | { type: 'card.pin.wrong'; triesLeft: number }
  | { type: 'card.pin.locked' }
  /** The two entries of the new PIN differ (the runtime compared them; nothing was written). */
  | { type: 'pin.mismatch' }
  /** The center allowed the reset (the reservation used) and the new PIN is on the card, its counter full. */
  | { type: 'card.pin.reset' }
  | { type: 'center.auth.done'; holder: Holder; city: Municipality; at: string }
  /** cause: the center's own reason (AuthCause), for journals and reports; the machine decides on `reason`. */
  | { type: 'center.auth.refused'; reason: RefusalReason; cause?: string }
  | { type: 'center.unreachable' }
  /** The 本籍地 city registered for 戸籍 at the kiosk, usable from `usableFrom` (ISO). A refusal comes as center.unreachable. */
  | { type: 'center.registration.done'; city: string; usableFrom: string }
  | { type: 'cash.inserted'; amount: number; total: number }
  | { type: 'cash.rejected'; amount: number; reason: CashRejection }
  | { type: 'cash.refunded'; amount: number }
  | { type: 'cash.paidOut'; amount: number }
  | { type: 'cash.payoutFailed'; amount: number }
  | { type: 'print.progress'; printed: number; total: number }
  | { type: 'print.done'; printed: number }
  | { type: 'print.failed'; reason: PrintFailure; printed: number }
  /**
   * The runtime's own state: it cannot safely take money or print (a spool, disk or journal failure), until staff
   * have put it back in service. The next person is turned away; a session under way ends as it would anyway.
   */
  | { type: 'terminal.outOfOrder' }
  | { type: 'terminal.inService' }
  | { type: 'timeout' };

export type KioskEvent = UiEvent | DeviceEvent;

/** Work for the devices. The runtime routes each to a device and answers with a DeviceEvent. */
export type KioskCommand =
  | { type: 'reader.readCard'; medium: Medium }
  | { type: 'reader.cancelRead' }
  /** Verifies the PIN the pad holds: the user-authentication PIN, or (`pin: 'sign'`) the signature password. */
  | { type: 'reader.verifyPin'; pin?: ResettablePin }
  /**
   * The JPKI reset of `pin`: the two new entries compared, the center asked with a signature by the other PIN's key
   * (its reservation used), the new PIN written to the card.
   */
  | { type: 'reader.resetPin'; pin: ResettablePin }
  | { type: 'center.authenticate'; scope: Scope; city: string | null }
  | { type: 'center.registerDomicile' }
  | { type: 'cash.accept'; due: number }
  | { type: 'cash.stop' }
  | { type: 'cash.refund'; amount: number }
  | { type: 'print.start'; request: CertificateRequest; holder: string }
  /** What goes back to the person after printing, and why: the change and the fees of copies not printed. */
  | { type: 'cash.payout'; amount: number; change: number; refunded: number; charged: number }
  | { type: 'session.end' };
