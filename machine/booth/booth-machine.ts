// The photo booth's machine (../shared/spec/photo-booth.md §3): choose 個人番号カード申請, pay the photograph's fee,
// hold the form's QR code to the scanner, confirm the birth date, choose the certificates and Braille, take the photo
// (with retakes and checks a person can read), confirm and send, take the slip. Pure, as the konbini machine: it
// emits commands for the devices and the center and moves on their answers; its timeouts are in `meta`.
//
// Money: the fee is taken before the scan (the sheet's order). Every way out before the application is sent gives all
// of it back (cash.refund); once J-LIS has the application, the fee is kept and the change paid (cash.payout). What
// the machine could not pay back is `owed` (the slip says so). Nothing of the form is trusted here: the center says
// whether it can carry an application, and whether the birth date is the person's.
import { and, assign, emit, not, setup } from 'xstate';
import {
  BOOTH_SETTINGS, photoPasses, type BoothCancel, type BoothCommand, type BoothEvent, type BoothRefusal, type BoothScreen, type BoothSettings,
  type PhotoChecks,
} from './types.ts';

export interface BoothContext {
  settings: BoothSettings;
  /** Yen inserted this session, handed back (refunded or as change), kept as the fee, and owed (not paid back). */
  inserted: number;
  returned: number;
  charged: number;
  owed: number;
  /** The 申請書ID read from the QR code. */
  form: string | null;
  birthDate: string | null;
  birthDateTries: number;
  /** The last birth date entered did not match (the screen says so). */
  birthDateWrong: boolean;
  options: { certificates: boolean; braille: boolean };
  photo: { checks: PhotoChecks; sha256: string } | null;
  photoTries: number;
  application: { id: number; arrivesOn: string } | null;
  reason: BoothRefusal | BoothCancel | null;
  /** A passing message: the code read is not an application form's; the slip could not be printed. */
  notice: 'not-a-form' | 'slip-not-printed' | null;
  warning: boolean;
  outOfOrder: boolean;
}

/** Idle seconds before the timeout warning, per screen (the runtime arms them from `meta`). */
export const BOOTH_TIMEOUTS: Record<BoothScreen, number> = {
  top: 120, payment: 120, scan: 90, 'birth-date': 90, options: 90, photo: 90, confirm: 90, done: 30, refused: 30, cancelled: 30, 'out-of-service': 30,
};

const FORM_ID = /(?:^|[^0-9])(\d{23})$/;
/** The 申請書ID a scanned code carries (our forms: a URL ending in the 23 digits; a bare ID typed on a scanner too). */
export const formIdOf = (text: string): string | null => FORM_ID.exec(text.trim())?.[1] ?? null;

export const initialBoothContext = (settings: BoothSettings = BOOTH_SETTINGS, outOfOrder = false): BoothContext => ({
  settings, inserted: 0, returned: 0, charged: 0, owed: 0, form: null, birthDate: null, birthDateTries: 0, birthDateWrong: false,
  options: { certificates: true, braille: false }, photo: null, photoTries: 0, application: null, reason: null, notice: null, warning: false, outOfOrder,
});

const screen = (id: BoothScreen) => ({ meta: { timeout: BOOTH_TIMEOUTS[id] }, tags: [`screen:${id}`] });

export const boothMachine = setup({
  types: {
    context: {} as BoothContext,
    events: {} as BoothEvent,
    emitted: {} as BoothCommand,
    input: {} as { settings?: Partial<BoothSettings> } | undefined,
  },
  guards: {
    outOfOrder: ({ context }) => context.outOfOrder,
    paid: ({ context, event }) => event.type === 'cash.inserted' && event.total >= context.settings.photoFee,
    isForm: ({ event }) => event.type === 'qr.scanned' && formIdOf(event.text) !== null,
    birthDateTriesLeft: ({ context }) => context.birthDateTries < context.settings.birthDateTries,
    photoPasses: ({ context }) => photoPasses(context.photo?.checks ?? null),
    photoTriesLeft: ({ context }) => context.photoTries < context.settings.photoTries,
    somethingToGiveBack: ({ context }) => context.inserted > 0,
    // The person (or the timeout) ended it, rather than a refusal.
    cancelledSession: ({ context }) => context.reason === 'cancelled' || context.reason === 'timeout',
    warningShown: ({ context }) => context.warning,
  },
  actions: {
    acceptCash: emit(({ context }) => ({ type: 'cash.accept', due: context.settings.photoFee }) as const),
    stopCash: emit({ type: 'cash.stop' } as const),
    countCash: assign(({ event }) => (event.type === 'cash.inserted' ? { inserted: event.total } : {})),
    startScanner: emit({ type: 'scanner.start' } as const),
    stopScanner: emit({ type: 'scanner.stop' } as const),
    rememberForm: assign(({ event }) => (event.type === 'qr.scanned' ? { form: formIdOf(event.text), notice: null } : {})),
    noteNotAForm: assign({ notice: 'not-a-form' as const }),
    checkForm: emit(({ context }) => ({ type: 'center.checkForm', form: context.form! }) as const),
    rememberBirthDate: assign(({ context, event }) => (event.type === 'ui.enterBirthDate' ? { birthDate: event.birthDate, birthDateTries: context.birthDateTries + 1 } : {})),
    checkBirthDate: emit(({ context }) => ({ type: 'center.checkForm', form: context.form!, birthDate: context.birthDate! }) as const),
    noteBirthDateWrong: assign({ birthDateWrong: true }),
    clearBirthDateWrong: assign({ birthDateWrong: false }),
    rememberOptions: assign(({ event }) => (event.type === 'ui.setOptions' ? { options: { certificates: event.certificates, braille: event.braille } } : {})),
    capture: emit({ type: 'camera.capture' } as const),
    countPhoto: assign(({ context }) => ({ photoTries: context.photoTries + 1 })),
    rememberPhoto: assign(({ event }) => (event.type === 'camera.taken' ? { photo: { checks: event.checks, sha256: event.sha256 } } : {})),
    apply: emit(({ context }) => ({
      type: 'center.apply', form: context.form!, birthDate: context.birthDate!, certificates: context.options.certificates,
      braille: context.options.braille, photoSha256: context.photo!.sha256,
    }) as const),
    rememberApplication: assign(({ context, event }) => (event.type === 'center.application.done'
      ? { application: { id: event.application, arrivesOn: event.arrivesOn }, charged: context.settings.photoFee }
      : {})),
    payOut: emit(({ context }) => ({ type: 'cash.payout', charged: context.settings.photoFee, change: context.inserted - context.settings.photoFee }) as const),
    printSlip: emit(({ context }) => ({ type: 'print.slip', form: context.form!, application: context.application!.id, arrivesOn: context.application!.arrivesOn }) as const),
    noteSlipNotPrinted: assign({ notice: 'slip-not-printed' as const }),
    refund: emit(({ context }) => ({ type: 'cash.refund', amount: context.inserted - context.returned - context.charged }) as const),
    countReturned: assign(({ context, event }) => (event.type === 'cash.refunded' || event.type === 'cash.paidOut' ? { returned: context.returned + event.amount } : {})),
    countOwed: assign(({ context, event }) => (event.type === 'cash.payoutFailed' ? { owed: context.owed + event.amount } : {})),
    refuseForm: assign(({ event }) => (event.type === 'center.form.refused' ? { reason: event.reason } : {})),
    refuseBirthDate: assign({ reason: 'birth-date-mismatch' as const }),
    refusePhoto: assign({ reason: 'photo-rejected' as const }),
    refuseUnreachable: assign({ reason: 'center-unreachable' as const }),
    refuseDevice: assign({ reason: 'device-failed' as const }),
    cancelledByPerson: assign({ reason: 'cancelled' as const }),
    cancelledByTimeout: assign({ reason: 'timeout' as const }),
    markOutOfOrder: assign({ outOfOrder: true }),
    markInService: assign({ outOfOrder: false }),
    showWarning: assign({ warning: true }),
    clearWarning: assign({ warning: false }),
    endSession: emit({ type: 'session.end' } as const),
    resetSession: assign(({ context }) => initialBoothContext(context.settings, context.outOfOrder)),
  },
}).createMachine({
  id: 'booth',
  initial: 'top',
  context: ({ input }) => initialBoothContext({ ...BOOTH_SETTINGS, ...input?.settings }),
  on: {
    'ui.continue': { actions: 'clearWarning' },
    'cash.refunded': { actions: 'countReturned' },
    'cash.paidOut': { actions: 'countReturned' },
    'cash.payoutFailed': { actions: 'countOwed' },
    'terminal.outOfOrder': { actions: 'markOutOfOrder' },
    'terminal.inService': { actions: 'markInService' },
  },
  states: {
    top: {
      ...screen('top'),
      entry: ['endSession', 'resetSession'],
      on: {
        'ui.start': [{ guard: 'outOfOrder', target: 'out-of-service' }, { target: 'session' }],
      },
    },
    // Steps until the application is sent: a cancel or a second timeout gives the money back.
    session: {
      initial: 'payment',
      on: {
        'ui.cancel': { target: 'returning', actions: 'cancelledByPerson' },
        timeout: [{ guard: 'warningShown', target: 'returning', actions: 'cancelledByTimeout' }, { actions: 'showWarning' }],
        'center.unreachable': { target: 'returning', actions: 'refuseUnreachable' },
        'center.form.refused': { target: 'returning', actions: 'refuseForm' },
        'camera.failed': { target: 'returning', actions: 'refuseDevice' },
      },
      states: {
        payment: {
          ...screen('payment'),
          entry: ['clearWarning', 'acceptCash'],
          exit: 'stopCash',
          on: {
            'cash.inserted': [{ guard: 'paid', target: 'scan', actions: 'countCash' }, { actions: 'countCash' }],
          },
        },
        scan: {
          ...screen('scan'),
          initial: 'reading',
          entry: 'clearWarning',
          states: {
            reading: {
              entry: 'startScanner',
              exit: 'stopScanner',
              on: { 'qr.scanned': [{ guard: 'isForm', target: 'checking', actions: 'rememberForm' }, { actions: 'noteNotAForm' }] },
            },
            checking: {
              entry: 'checkForm',
              on: { 'center.form.ok': '#booth.session.birth-date' },
            },
          },
        },
        'birth-date': {
          ...screen('birth-date'),
          initial: 'entering',
          entry: 'clearWarning',
          states: {
            entering: {
              on: { 'ui.enterBirthDate': { target: 'checking', actions: 'rememberBirthDate' } },
            },
            checking: {
              entry: 'checkBirthDate',
              on: {
                'center.form.ok': { target: '#booth.session.options', actions: 'clearBirthDateWrong' },
                'center.birthDate.wrong': [
                  { guard: 'birthDateTriesLeft', target: 'entering', actions: 'noteBirthDateWrong' },
                  { target: '#booth.returning', actions: 'refuseBirthDate' },
                ],
              },
            },
          },
        },
        options: {
          ...screen('options'),
          entry: 'clearWarning',
          on: { 'ui.setOptions': { target: 'photo', actions: 'rememberOptions' } },
        },
        photo: {
          ...screen('photo'),
          initial: 'ready',
          entry: 'clearWarning',
          states: {
            ready: {
              on: { 'ui.takePhoto': { target: 'capturing', actions: ['countPhoto', 'capture'] } },
            },
            capturing: {
              on: { 'camera.taken': { target: 'review', actions: 'rememberPhoto' } },
            },
            review: {
              on: {
                'ui.acceptPhoto': { guard: 'photoPasses', target: '#booth.session.confirm' },
                'ui.retakePhoto': [
                  { guard: 'photoTriesLeft', target: 'ready' },
                  // Out of tries with a photo that fails its checks: nothing to send.
                  { guard: not('photoPasses'), target: '#booth.returning', actions: 'refusePhoto' },
                ],
              },
            },
          },
        },
        confirm: {
          ...screen('confirm'),
          entry: 'clearWarning',
          on: {
            'ui.back': 'photo.review',
            'ui.confirm': '#booth.sending',
          },
        },
      },
    },
    // Sent: J-LIS may have it now, so nothing can be cancelled; its answer decides.
    sending: {
      ...screen('confirm'),
      entry: 'apply',
      on: {
        'center.application.done': { target: 'done', actions: ['rememberApplication', 'payOut', 'printSlip'] },
        'center.form.refused': { target: 'returning', actions: 'refuseForm' },
        'center.unreachable': { target: 'returning', actions: 'refuseUnreachable' },
      },
    },
    // The money goes back, then the screen that says why.
    returning: {
      always: [
        { guard: and(['somethingToGiveBack', 'cancelledSession']), target: 'cancelled', actions: 'refund' },
        { guard: 'cancelledSession', target: 'cancelled' },
        // A refusal comes after the payment: there is always money to give back.
        { target: 'refused', actions: 'refund' },
      ],
    },
    done: {
      ...screen('done'),
      initial: 'printing',
      states: {
        printing: {
          on: { 'print.done': 'shown', 'print.failed': { target: 'shown', actions: 'noteSlipNotPrinted' } },
        },
        shown: {
          on: { 'ui.done': '#booth.top', timeout: '#booth.top' },
        },
      },
    },
    refused: { ...screen('refused'), on: { 'ui.done': 'top', timeout: 'top' } },
    cancelled: { ...screen('cancelled'), on: { 'ui.done': 'top', timeout: 'top' } },
    'out-of-service': { ...screen('out-of-service'), on: { 'ui.done': 'top', timeout: 'top' } },
  },
});

/** The screen a snapshot's state value shows. */
export function boothScreenOf(value: unknown): BoothScreen {
  if (typeof value === 'string') return (value === 'sending' ? 'confirm' : value) as BoothScreen;
  const [top, inner] = Object.entries(value as Record<string, unknown>)[0];
  if (top === 'session') return (typeof inner === 'string' ? inner : Object.keys(inner as object)[0]) as BoothScreen;
  return top as BoothScreen;
}
