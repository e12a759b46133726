// The kiosk flow, 14 screens plus the end screens, as one pure XState machine: no invoke, no after, no I/O,
// no clock. Device work leaves as emitted commands; results and time come back as events.
import { and, assign, emit, not, setup } from 'xstate';
import type { KioskCommand, KioskEvent } from './events.ts';
import { inMaintenance, serviceClosure } from './rules/hours.ts';
import { cardProblem, cityProblem, holderProblem, registrationProblem } from './rules/eligibility.ts';
import { copiesAllowed, hasInfoChoice, hasTypeChoice, infoNotOffered, subtypeFits, unavailability, unitFee } from './rules/catalog.ts';
import { settlement } from './rules/money.ts';
import type {
  CancelReason, CardSummary, Certificate, Holder, InfoOptions, Language, Medium, Municipality, Notice, OutOfServiceReason,
  PrintFailure, RefusalReason, ResettablePin, Scope, Screen, Subtype,
} from './types.ts';
import { RESETTABLE_PINS } from './types.ts';
import { SCREEN_DECLARATIONS, TOTAL_STEPS, tagsOf, type ScreenDeclaration } from './screens.ts';

export interface KioskContext {
  language: Language;
  medium: Medium | null;
  /** A passing message on the current screen (a rejected bill, a service that is not simulated). */
  notice: Notice | null;
  /** The idle-timeout warning is shown over the screen. */
  warning: boolean;
  card: CardSummary | null;
  triesLeft: number | null;
  /** The last PIN entered for this card was wrong: the screen says so, not only the tries left (a review's word). */
  pinWrong: boolean;
  /** On the reading screen: a card is on the reader and being read (before it, no spinner: nothing is being read). */
  cardPlaced: boolean;
  /**
   * The person's card (or phone) is on the reader: placed on the reading screen, until the reader reports it gone. A
   * session that ends with it there asks for it back (take-card) before the next person can start.
   */
  cardOnReader: boolean;
  scope: Scope | null;
  cityChoice: string | null;
  holder: Holder | null;
  city: Municipality | null;
  /** Japan time as last told by an event that needed it (service start, authentication, certificate choice). */
  now: string | null;
  certificate: Certificate | null;
  subtype: Subtype | null;
  options: InfoOptions | null;
  copies: number;
  /** Set by "correct" on the confirm screen: the corrected step returns straight to confirm. */
  correcting: boolean;
  inserted: number;
  /** Yen handed back by a cancel during payment (the cancelled screen says so). */
  refunded: number;
  printed: number;
  printFailure: PrintFailure | null;
  payout: { change: number; refunded: number; failed: boolean } | null;
  reason: RefusalReason | OutOfServiceReason | CancelReason | PrintFailure | null;
  /** The terminal cannot safely take money (terminal.outOfOrder): the next person is turned away. Outlives sessions. */
  outOfOrder: boolean;
  /** What the person came for on the 行政サービス menu: certificates, the 本籍地's 利用登録, or a PIN reset. */
  service: 'certificates' | 'registration' | 'pin-reset';
  /** The PIN being reset at the kiosk (pin-reset), and whether the last two entries of the new one differed. */
  resetPin: ResettablePin | null;
  /**
   * The PINs this terminal resets (a chain's choice, UNCONFIRMED: Seven-Eleven's reset both, Lawson's and
   * FamilyMart's the signature password only). A setting of the terminal: it outlives sessions.
   */
  resettablePins: readonly ResettablePin[];
  resetMismatch: boolean;
  /** The registration's answer: from when 戸籍 of the 本籍地 can be had at the kiosk (ISO). */
  registeredFrom: string | null;
}

export const initialContext = (language: Language = 'ja', resettablePins: readonly ResettablePin[] = RESETTABLE_PINS): KioskContext => ({
  language, medium: null, notice: null, warning: false, card: null, triesLeft: null, pinWrong: false, cardPlaced: false, cardOnReader: false, scope: null, cityChoice: null,
  holder: null, city: null, now: null, certificate: null, subtype: null, options: null, copies: 1, correcting: false,
  inserted: 0, refunded: 0, printed: 0, printFailure: null, payout: null, reason: null, outOfOrder: false,
  service: 'certificates', registeredFrom: null, resetPin: null, resetMismatch: false, resettablePins,
});

/**
 * A screen's state node as machine/screens.ts declares it: its `meta` (the idle timeout the runtime arms, the step
 * the header shows) and its tags (backable, cancellable), which the view reads.
 */
export type ScreenMeta = Pick<ScreenDeclaration, 'timeout' | 'step'>;
function screen(id: Screen): { meta: ScreenMeta; tags: string[] } {
  const { timeout, step } = SCREEN_DECLARATIONS[id];
  return { meta: step ? { timeout, step } : { timeout }, tags: tagsOf(id) };
}
export { TOTAL_STEPS };

export function due(c: KioskContext): number {
  return c.city && c.certificate ? unitFee(c.certificate, c.city) * c.copies : 0;
}

/** What the person is charged and handed back once printing ends (the payout and the screen read the same). */
function settlementOf(c: KioskContext) {
  const fee = c.city && c.certificate ? unitFee(c.certificate, c.city) : 0;
  return settlement({ inserted: c.inserted, unitFee: fee, copies: c.copies, printed: c.printed });
}

/** Where a finished session goes: the card asked back first when it is still on the reader, else the main menu. */
const LEAVE = [{ guard: 'cardOnReader' as const, target: '#kiosk.take-card' }, { target: '#kiosk.top' }];

export const kioskMachine = setup({
  types: {
    context: {} as KioskContext,
    events: {} as KioskEvent,
    emitted: {} as KioskCommand,
    input: {} as { language?: Language; resettablePins?: readonly ResettablePin[] } | undefined,
  },
  guards: {
    outOfOrder: ({ context }) => context.outOfOrder,
    cardOnReader: ({ context }) => context.cardOnReader,
    serviceOpen: ({ event }) => event.type === 'ui.start' && serviceClosure(event.at) === null,
    cardUnusable: ({ context, event }) =>
      event.type === 'card.read.done' && cardProblem(event.card, context.medium ?? 'card', event.at) !== null,
    pinAlreadyLocked: ({ event }) => event.type === 'card.read.done' && event.card.triesLeft === 0,
    // A registration is of a 本籍地: only that choice goes on.
    cityChoiceComplete: ({ context, event }) =>
      event.type === 'ui.selectCity' && (event.scope === 'residence' ? context.service !== 'registration' : !!event.city),
    registering: ({ context }) => context.service === 'registration',
    // A PIN reset is for a locked PIN too: the card goes on to the reset whatever its user PIN's counter says.
    resetting: ({ context }) => context.service === 'pin-reset',
    // This terminal resets that PIN (its chain's setting).
    resetHere: ({ context, event }) => event.type === 'ui.choosePinToReset' && context.resettablePins.includes(event.pin),
    // The JPKI reset is the card's, not the smartphone's (スマホ用電子証明書 has its own app).
    mediumChosen: ({ context }) => context.medium !== null && !(context.service === 'pin-reset' && context.medium === 'phone'),
    registrationRefused: ({ context, event }) =>
      context.service === 'registration' && event.type === 'center.auth.done' && registrationProblem(event.city, event.holder, event.at) !== null,
    holderRefused: ({ context, event }) =>
      event.type === 'center.auth.done' &&
      (holderProblem(event.holder, event.at) ?? cityProblem(event.city, event.holder, context.scope ?? 'residence')) !== null,
    cityInMaintenance: ({ event }) => event.type === 'center.auth.done' && inMaintenance(event.city, event.at),
    certificateAvailable: ({ context, event }) =>
      event.type === 'ui.selectCertificate' && !!context.city && !!context.holder &&
      unavailability(event.certificate, context.city, context.holder, context.scope ?? 'residence', event.at) === null,
    chosenHasTypeChoice: ({ event }) => event.type === 'ui.selectCertificate' && hasTypeChoice(event.certificate),
    subtypeMatches: ({ context, event }) => event.type === 'ui.selectType' && !!context.certificate && subtypeFits(context.certificate, event.subtype, context.city),
    hasInfoChoice: ({ context }) => !!context.certificate && hasInfoChoice(context.certificate),
    corrects: ({ event }, params: { step: string }) => event.type === 'ui.correct' && event.step === params.step,
    hasTypeChoice: ({ context }) => !!context.certificate && hasTypeChoice(context.certificate),
    infoOffered: ({ context, event }) =>
      event.type === 'ui.selectInfo' && !!context.certificate && !!context.city &&
      infoNotOffered(context.certificate, event.options, context.city, !!context.holder?.foreign) === null,
    copiesAllowed: ({ context, event }) =>
      event.type === 'ui.selectCopies' && !!context.city && copiesAllowed(event.copies, context.city),
    correcting: ({ context }) => context.correcting,
    paidInFull: ({ context, event }) => event.type === 'cash.inserted' && event.total >= due(context),
    cashInserted: ({ context }) => context.inserted > 0,
    warningShown: ({ context }) => context.warning,
    printFailed: ({ context }) => context.printFailure !== null,
  },
  actions: {
    clearWarning: assign({ warning: false }),
    noteCardPlaced: assign({ cardPlaced: true, cardOnReader: true }),
    noteCardGone: assign({ cardOnReader: false }),
    forgetCardPlaced: assign({ cardPlaced: false }),
    showWarning: assign({ warning: true }),
    clearNotice: assign({ notice: null }),
    setLanguage: assign({ language: ({ context, event }) => (event.type === 'ui.setLanguage' ? event.language : context.language) }),
    noteOtherService: assign({ notice: ({ event }) => (event.type === 'ui.otherService' ? { kind: 'not-simulated', service: event.service } as const : null) }),
    rememberTime: assign({
      now: ({ context, event }) => ('at' in event && typeof event.at === 'string' ? event.at : context.now),
    }),
    chooseMedium: assign({ medium: ({ context, event }) => (event.type === 'ui.chooseMedium' ? event.medium : context.medium) }),
    requestCardRead: emit(({ context }) => ({ type: 'reader.readCard', medium: context.medium ?? 'card' }) as const),
    cancelCardRead: emit({ type: 'reader.cancelRead' } as const),
    rememberCard: assign(({ event }) =>
      // A card just read is on the reader (whatever told the machine it was placed).
      event.type === 'card.read.done' ? { card: event.card, triesLeft: event.card.triesLeft, pinWrong: false, cardOnReader: true, now: event.at } : {}),
    refuseCard: assign({
      // A card that could not be used is still on the reader, unless it was pulled off.
      cardOnReader: ({ context, event }) => (event.type === 'card.read.done' || (event.type === 'card.read.failed' && event.reason !== 'card-removed')) || context.cardOnReader,
      reason: ({ context, event }) =>
        event.type === 'card.read.done' ? cardProblem(event.card, context.medium ?? 'card', event.at)
          : event.type === 'card.read.failed' ? event.reason : null,
    }),
    chooseCity: assign(({ event }) =>
      event.type === 'ui.selectCity' ? { scope: event.scope, cityChoice: event.scope === 'domicile' ? event.city ?? null : null } : {}),
    requestPinCheck: emit({ type: 'reader.verifyPin' } as const),
    rememberTries: assign({
      triesLeft: ({ context, event }) => (event.type === 'card.pin.wrong' ? event.triesLeft : context.triesLeft),
      pinWrong: ({ context, event }) => event.type === 'card.pin.wrong' || context.pinWrong,
    }),
    requestAuthentication: emit(({ context }) =>
      ({ type: 'center.authenticate', scope: context.scope ?? 'residence', city: context.cityChoice }) as const),
    rememberHolder: assign(({ event }) =>
      event.type === 'center.auth.done' ? { holder: event.holder, city: event.city, now: event.at } : {}),
    refuseHolder: assign({
      reason: ({ context, event }) => {
        if (event.type === 'center.auth.refused') return event.reason;
        if (event.type === 'center.unreachable') return 'center-unreachable';
        if (event.type === 'center.auth.done') {
          if (context.service === 'registration') return registrationProblem(event.city, event.holder, event.at);
          return holderProblem(event.holder, event.at) ?? cityProblem(event.city, event.holder, context.scope ?? 'residence');
        }
        return context.reason;
      },
    }),
    refuseRemovedCard: assign({ reason: 'card-removed' as const }),
    chooseCertificates: assign({ service: 'certificates' as const }),
    chooseRegistration: assign({ service: 'registration' as const }),
    requestRegistration: emit({ type: 'center.registerDomicile' } as const),
    chooseReset: assign({ service: 'pin-reset' as const }),
    choosePinToReset: assign(({ event }) => (event.type === 'ui.choosePinToReset' ? { resetPin: event.pin, triesLeft: null, pinWrong: false, resetMismatch: false } : {})),
    // The other PIN proves the person: the signature password to reset the user PIN, the user PIN to reset the password.
    requestOtherPinCheck: emit(({ context }) => ({ type: 'reader.verifyPin', pin: context.resetPin === 'auth' ? 'sign' : 'auth' }) as const),
    requestReset: emit(({ context }) => ({ type: 'reader.resetPin', pin: context.resetPin ?? 'auth' }) as const),
    noteMismatch: assign({ resetMismatch: true }),
    clearMismatch: assign({ resetMismatch: false }),
    noteRegistration: assign({ registeredFrom: ({ event }) => (event.type === 'center.registration.done' ? event.usableFrom : null) }),
    refuseRegistration: assign({ reason: 'center-unreachable' as const }),
    refuseNoCard: assign({ reason: 'no-card' as const }),
    closeForMaintenance: assign({ reason: 'maintenance' as const }),
    closeService: assign({ reason: ({ event }) => (event.type === 'ui.start' ? serviceClosure(event.at) : null) }),
    closeOutOfOrder: assign({ reason: 'out-of-order' as const }),
    markOutOfOrder: assign({ outOfOrder: true }),
    markInService: assign({ outOfOrder: false }),
    chooseCertificate: assign(({ context, event }) => {
      if (event.type !== 'ui.selectCertificate') return {};
      const changed = event.certificate !== context.certificate;
      // Every other choice is kept while it still applies to the certificate chosen.
      return { certificate: event.certificate, now: event.at, subtype: changed ? null : context.subtype, options: changed ? null : context.options, correcting: false };
    }),
    chooseType: assign({ subtype: ({ context, event }) => (event.type === 'ui.selectType' ? event.subtype : context.subtype) }),
    chooseInfo: assign({ options: ({ context, event }) => (event.type === 'ui.selectInfo' ? event.options : context.options) }),
    chooseCopies: assign({ copies: ({ context, event }) => (event.type === 'ui.selectCopies' ? event.copies : context.copies) }),
    startCorrecting: assign({ correcting: true }),
    stopCorrecting: assign({ correcting: false }),
    acceptCash: emit(({ context }) => ({ type: 'cash.accept', due: due(context) }) as const),
    stopCash: emit({ type: 'cash.stop' } as const),
    countCash: assign({ inserted: ({ context, event }) => (event.type === 'cash.inserted' ? event.total : context.inserted), notice: null }),
    noteRejectedCash: assign({ notice: ({ event }) => (event.type === 'cash.rejected' ? { kind: 'cash-rejected', reason: event.reason } as const : null) }),
    refundCash: emit(({ context }) => ({ type: 'cash.refund', amount: context.inserted }) as const),
    noteRefund: assign({ refunded: ({ event }) => (event.type === 'cash.refunded' ? event.amount : 0), inserted: 0 }),
    startPrinting: emit(({ context }) => ({
      type: 'print.start',
      holder: context.holder?.id ?? '',
      request: {
        scope: context.scope ?? 'residence', city: context.city?.code ?? '', certificate: context.certificate ?? 'juminhyo',
        subtype: context.subtype, options: context.options, copies: context.copies,
        unitFee: context.city && context.certificate ? unitFee(context.certificate, context.city) : 0,
      },
    }) as const),
    countPrinted: assign({
      printed: ({ context, event }) =>
        event.type === 'print.progress' || event.type === 'print.done' || event.type === 'print.failed' ? event.printed : context.printed,
      printFailure: ({ context, event }) => (event.type === 'print.failed' ? event.reason : context.printFailure),
      reason: ({ context, event }) => (event.type === 'print.failed' ? event.reason : context.reason),
    }),
    payOut: emit(({ context }) => {
      const s = settlementOf(context);
      return { type: 'cash.payout', amount: s.payout, change: s.change, refunded: s.refunded, charged: s.charged } as const;
    }),
    notePayout: assign({
      payout: ({ context, event }) => {
        const s = settlementOf(context);
        return { change: s.change, refunded: s.refunded, failed: event.type === 'cash.payoutFailed' };
      },
    }),
    noteLocked: assign({ triesLeft: 0 }),
    cancelledByPerson: assign({ reason: 'cancelled' as const }),
    cancelledByTimeout: assign({ reason: 'timeout' as const }),
    cancelledByPaymentTimeout: assign({ reason: 'payment-timeout' as const }),
    endSession: emit({ type: 'session.end' } as const),
    // The next person starts in Japanese with nothing of this session left; the terminal's own state stays.
    resetSession: assign(({ context }) => ({ ...initialContext('ja', context.resettablePins), outOfOrder: context.outOfOrder })),
  },
}).createMachine({
  id: 'kiosk',
  initial: 'top',
  context: ({ input }) => initialContext(input?.language, input?.resettablePins),
  on: {
    'ui.setLanguage': { actions: 'setLanguage' },
    'ui.continue': { actions: 'clearWarning' },
    'ui.cancel': { target: '.cancelled', actions: 'cancelledByPerson' },
    'terminal.outOfOrder': { actions: 'markOutOfOrder' },
    'terminal.inService': { actions: 'markInService' },
    // Wherever the card is taken off, the machine knows it is gone (the screens that act on it say what then).
    'card.removed': { actions: 'noteCardGone' },
    timeout: [
      { guard: 'warningShown', target: '.cancelled', actions: 'cancelledByTimeout' },
      { actions: 'showWarning' },
    ],
  },
  states: {
    top: {
      ...screen('top'),
      entry: ['endSession', 'resetSession'],
      on: {
        'ui.start': [
          { guard: 'outOfOrder', target: 'out-of-service', actions: ['rememberTime', 'closeOutOfOrder'] },
          { guard: 'serviceOpen', target: 'government-menu', actions: 'rememberTime' },
          { target: 'out-of-service', actions: ['rememberTime', 'closeService'] },
        ],
        'ui.otherService': { actions: 'noteOtherService' },
        // The attract loop plays while idle; nothing is cancelled on the main menu.
        timeout: { actions: 'clearNotice' },
        'ui.cancel': { actions: 'clearNotice' },
      },
    },
    'government-menu': {
      ...screen('government-menu'),
      entry: ['clearWarning', 'clearNotice'],
      on: {
        'ui.certificateService': { target: 'advanced-menu', actions: 'chooseCertificates' },
        'ui.domicileRegistration': { target: 'advanced-menu', actions: 'chooseRegistration' },
        'ui.pinResetService': { target: 'advanced-menu', actions: 'chooseReset' },
        'ui.back': 'top',
      },
    },
    'advanced-menu': {
      ...screen('advanced-menu'),
      entry: 'clearWarning',
      on: {
        'ui.chooseMedium': { actions: 'chooseMedium' },
        'ui.acceptTerms': { guard: 'mediumChosen', target: 'card-reading' },
        'ui.back': 'government-menu',
      },
    },
    'card-reading': {
      ...screen('card-reading'),
      entry: ['clearWarning', 'forgetCardPlaced', 'requestCardRead'],
      on: {
        'card.placed': { actions: 'noteCardPlaced' },
        'card.read.done': [
          { guard: 'cardUnusable', target: 'refused', actions: ['rememberCard', 'refuseCard'] },
          { guard: 'resetting', target: 'pin-reset', actions: 'rememberCard' },
          { guard: 'pinAlreadyLocked', target: 'pin-locked', actions: 'rememberCard' },
          { target: 'city-select', actions: 'rememberCard' },
        ],
        'card.read.failed': { target: 'refused', actions: 'refuseCard' },
        'ui.back': { target: 'advanced-menu', actions: 'cancelCardRead' },
        'ui.cancel': { target: 'cancelled', actions: ['cancelCardRead', 'cancelledByPerson'] },
        // Nobody placed a card: warn once, then say so (the "no card" refusal).
        timeout: [
          { guard: 'warningShown', target: 'refused', actions: ['cancelCardRead', 'refuseNoCard'] },
          { actions: 'showWarning' },
        ],
      },
    },
    'city-select': {
      ...screen('city-select'),
      entry: 'clearWarning',
      on: {
        // 本籍地 needs a prefecture and municipality; the UI asks for them on this screen before sending.
        'ui.selectCity': { guard: 'cityChoiceComplete', target: 'pin-entry', actions: 'chooseCity' },
        'card.removed': { target: 'refused', actions: ['noteCardGone', 'refuseRemovedCard'] },
      },
    },
    'pin-entry': {
      ...screen('pin-entry'),
      initial: 'entering',
      entry: 'clearWarning',
      on: {
        'card.removed': { target: 'refused', actions: ['noteCardGone', 'refuseRemovedCard'] },
        'card.read.failed': { target: 'refused', actions: 'refuseCard' },
      },
      states: {
        entering: {
          tags: tagsOf('pin-entry', 'entering'),
          on: {
            'pin.submitted': { target: 'verifying', actions: 'requestPinCheck' },
            'ui.back': '#kiosk.city-select',
          },
        },
        verifying: {
          on: {
            'card.pin.ok': { target: 'authenticating', actions: 'requestAuthentication' },
            'card.pin.wrong': { target: 'entering', actions: 'rememberTries' },
            'card.pin.locked': { target: '#kiosk.pin-locked', actions: 'noteLocked' },
          },
        },
        authenticating: {
          on: {
            'center.auth.done': [
              { guard: 'registrationRefused', target: '#kiosk.refused', actions: 'refuseHolder' },
              { guard: 'registering', target: '#kiosk.registered', actions: 'rememberHolder' },
              { guard: 'holderRefused', target: '#kiosk.refused', actions: 'refuseHolder' },
              { guard: 'cityInMaintenance', target: '#kiosk.out-of-service', actions: ['rememberHolder', 'closeForMaintenance'] },
              { target: '#kiosk.card-removal', actions: 'rememberHolder' },
            ],
            'center.auth.refused': { target: '#kiosk.refused', actions: 'refuseHolder' },
            'center.unreachable': { target: '#kiosk.refused', actions: 'refuseHolder' },
          },
        },
      },
    },
    'card-removal': {
      ...screen('card-removal'),
      entry: 'clearWarning',
      on: {
        'card.removed': { target: 'certificate-select', actions: 'noteCardGone' },
        // The card is still in the reader: remind (the UI sounds it), never end the session on the card.
        timeout: { actions: 'showWarning' },
      },
    },
    'certificate-select': {
      ...screen('certificate-select'),
      entry: 'clearWarning',
      on: {
        // Every choice passes through type-select and info-select, which step over themselves when they do not apply.
        'ui.selectCertificate': { guard: 'certificateAvailable', target: 'type-select', actions: 'chooseCertificate' },
      },
    },
    'type-select': {
      ...screen('type-select'),
      entry: 'clearWarning',
      always: { guard: not('hasTypeChoice'), target: 'copies' },
      on: {
        'ui.selectType': [
          { guard: and(['subtypeMatches', 'correcting']), target: 'confirm', actions: ['chooseType', 'stopCorrecting'] },
          { guard: 'subtypeMatches', target: 'info-select', actions: 'chooseType' },
        ],
        'ui.back': 'certificate-select',
      },
    },
    'info-select': {
      ...screen('info-select'),
      entry: 'clearWarning',
      always: { guard: not('hasInfoChoice'), target: 'copies' },
      on: {
        'ui.selectInfo': [
          { guard: and(['infoOffered', 'correcting']), target: 'confirm', actions: ['chooseInfo', 'stopCorrecting'] },
          { guard: 'infoOffered', target: 'copies', actions: 'chooseInfo' },
        ],
        'ui.back': 'type-select',
      },
    },
    copies: {
      ...screen('copies'),
      entry: 'clearWarning',
      on: {
        'ui.selectCopies': { guard: 'copiesAllowed', target: 'confirm', actions: ['chooseCopies', 'stopCorrecting'] },
        'ui.back': [
          { guard: 'hasInfoChoice', target: 'info-select' },
          { guard: 'hasTypeChoice', target: 'type-select' },
          { target: 'certificate-select' },
        ],
      },
    },
    confirm: {
      ...screen('confirm'),
      entry: 'clearWarning',
      on: {
        'ui.confirm': 'payment',
        'ui.correct': [
          { guard: { type: 'corrects', params: { step: 'certificate-select' } }, target: 'certificate-select' },
          { guard: { type: 'corrects', params: { step: 'type-select' } }, target: 'type-select', actions: 'startCorrecting' },
          { guard: { type: 'corrects', params: { step: 'info-select' } }, target: 'info-select', actions: 'startCorrecting' },
          { target: 'copies', actions: 'startCorrecting' },
        ],
        'ui.back': 'copies',
      },
    },
    payment: {
      ...screen('payment'),
      initial: 'accepting',
      entry: 'clearWarning',
      states: {
        accepting: {
          tags: tagsOf('payment', 'accepting'),
          entry: 'acceptCash',
          on: {
            'cash.inserted': [
              { guard: 'paidInFull', target: '#kiosk.printing', actions: ['countCash', 'stopCash'] },
              { actions: 'countCash' },
            ],
            'cash.rejected': { actions: 'noteRejectedCash' },
            'ui.cancel': [
              { guard: 'cashInserted', target: 'refunding', actions: ['stopCash', 'cancelledByPerson'] },
              { target: '#kiosk.cancelled', actions: ['stopCash', 'cancelledByPerson'] },
            ],
            timeout: [
              { guard: 'warningShown', target: 'refunding', actions: ['stopCash', 'cancelledByPaymentTimeout'] },
              { actions: 'showWarning' },
            ],
          },
        },
        // Cash waits in escrow until the certificates print, so a refund returns the very coins inserted.
        refunding: {
          entry: 'refundCash',
          on: {
            'cash.refunded': { target: '#kiosk.cancelled', actions: 'noteRefund' },
            'ui.cancel': {},
            timeout: {},
          },
        },
      },
    },
    printing: {
      ...screen('printing'),
      initial: 'working',
      entry: 'clearWarning',
      // Paid: from here on nothing can be cancelled, and the warning never ends the session.
      on: { 'ui.cancel': {}, timeout: {} },
      states: {
        working: {
          entry: 'startPrinting',
          on: {
            'print.progress': { actions: 'countPrinted' },
            'print.done': { target: 'payingOut', actions: 'countPrinted' },
            'print.failed': { target: 'payingOut', actions: 'countPrinted' },
          },
        },
        payingOut: {
          entry: 'payOut',
          on: {
            'cash.paidOut': [
              { guard: 'printFailed', target: '#kiosk.print-failed', actions: 'notePayout' },
              { target: 'collect', actions: 'notePayout' },
            ],
            'cash.payoutFailed': [
              { guard: 'printFailed', target: '#kiosk.print-failed', actions: 'notePayout' },
              { target: 'collect', actions: 'notePayout' },
            ],
          },
        },
        // "Take your certificates, receipt and change." The card came off at card-removal, before the certificate
        // was chosen: nothing to ask back.
        collect: {
          on: { 'ui.done': '#kiosk.top', timeout: '#kiosk.top' },
        },
      },
    },
    // 戸籍証明書交付の利用登録: the center registers the 本籍地 (the authenticated session), then says from when.
    registered: {
      ...screen('registered'),
      initial: 'sending',
      entry: 'clearWarning',
      states: {
        sending: {
          entry: 'requestRegistration',
          on: {
            'center.registration.done': { target: 'done', actions: 'noteRegistration' },
            // Not reached, or refused: nothing is registered, and the person is told the center did not answer.
            'center.unreachable': { target: '#kiosk.refused', actions: 'refuseRegistration' },
          },
        },
        done: {
          on: { 'ui.done': LEAVE, timeout: LEAVE, 'ui.cancel': LEAVE },
        },
      },
    },
    // 暗証番号リセット (card-life.md §3.3): the PIN chosen, the other PIN verified by the card, the new one typed
    // twice; the runtime compares the two, asks the center (the reservation) and writes the card. No PIN comes here.
    'pin-reset': {
      ...screen('pin-reset'),
      initial: 'choosing',
      entry: 'clearWarning',
      on: {
        'card.removed': { target: 'refused', actions: ['noteCardGone', 'refuseRemovedCard'] },
        'card.read.failed': { target: 'refused', actions: 'refuseCard' },
      },
      states: {
        choosing: {
          tags: tagsOf('pin-reset', 'choosing'),
          on: { 'ui.choosePinToReset': { target: 'other', guard: 'resetHere', actions: 'choosePinToReset' } },
        },
        other: {
          tags: tagsOf('pin-reset', 'other'),
          on: {
            'pin.submitted': { target: 'checking', actions: 'requestOtherPinCheck' },
            'ui.back': 'choosing',
          },
        },
        checking: {
          on: {
            'card.pin.ok': 'new',
            'card.pin.wrong': { target: 'other', actions: 'rememberTries' },
            // Both PINs now locked: only the counter can help (the pin-locked screen says where and when).
            'card.pin.locked': { target: '#kiosk.pin-locked', actions: 'noteLocked' },
          },
        },
        new: {
          tags: tagsOf('pin-reset', 'new'),
          on: { 'pin.submitted': { target: 'confirm', actions: 'clearMismatch' } },
        },
        confirm: {
          tags: tagsOf('pin-reset', 'confirm'),
          on: {
            'pin.submitted': { target: 'resetting', actions: 'requestReset' },
            'ui.back': 'new',
          },
        },
        resetting: {
          on: {
            'pin.mismatch': { target: 'new', actions: 'noteMismatch' },
            'card.pin.reset': 'done',
            'center.auth.refused': { target: '#kiosk.refused', actions: 'refuseHolder' },
            'center.unreachable': { target: '#kiosk.refused', actions: 'refuseHolder' },
          },
        },
        done: {
          // The card is on the reader here (taking it off leaves at once, to the top): it is asked back.
          on: {
            'ui.done': '#kiosk.take-card', timeout: '#kiosk.take-card', 'ui.cancel': '#kiosk.take-card',
            'card.removed': { target: '#kiosk.top', actions: 'noteCardGone' },
          },
        },
      },
    },
    refused: endScreen('refused'),
    'pin-locked': endScreen('pin-locked'),
    'out-of-service': endScreen('out-of-service'),
    // Printing comes after the card was taken off (card-removal): nothing to ask back.
    'print-failed': endScreen('print-failed', '#kiosk.top'),
    cancelled: endScreen('cancelled'),
    // The session is over and the card is still on the reader: 「カードをお取りください」 with its picture and chime
    // until the reader reports it gone. Nothing the next person taps starts over it; staff see it on the panel.
    'take-card': {
      ...screen('take-card'),
      entry: 'clearWarning',
      on: {
        'card.removed': { target: 'top', actions: 'noteCardGone' },
        // The reminder again, never an end: the card must come off first.
        timeout: { actions: 'showWarning' },
        // No cancel is offered here; one sent anyway does not end the wait for the card.
        'ui.cancel': {},
      },
    },
  },
});

/** An end screen says what happened and what to do, then returns to the main menu (the card asked back first). */
function endScreen(id: Screen, leave: typeof LEAVE | '#kiosk.top' = LEAVE) {
  return {
    ...screen(id),
    entry: 'clearWarning' as const,
    on: { 'ui.done': leave, timeout: leave, 'ui.cancel': leave },
  };
}

/** The screen id of a snapshot value: its top-level state (sub-states are steps within one screen). */
export function screenOf(value: unknown): Screen {
  return (typeof value === 'string' ? value : Object.keys(value as object)[0]) as Screen;
}
