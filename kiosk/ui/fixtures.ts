// Sample views for the demo route (#demo=<screen>&lang=en&step=...&reason=...&warning=1): every screen can be shown
// and screenshotted without a server or a card. Fictional test data, like the personas.
import municipalitiesJson from '../../assets/municipalities.json' with { type: 'json' };
import { CASH_REJECTIONS, LANGUAGES, OTHER_SERVICES, SCREENS, type Language, type Municipality, type Notice, type Screen } from '../../machine/types.ts';
import { offeredInfo } from '../../machine/rules/catalog.ts';
import { isOneOf } from '../../machine/ui-input.ts';
import { TOTAL_STEPS, declaredFor } from '../../machine/screens.ts';
import type { DeviceStatus } from '../protocol.ts';
import type { HomeCity, KioskView } from '../view.ts';
import type { ConnectionState, Hello } from './connection.ts';

/** The kiosk's home municipality as the server sends it (川崎市, from the sample data itself). */
export function demoHome(code = '141305'): HomeCity {
  const m = (municipalitiesJson.municipalities as unknown as Municipality[]).find((x) => x.code === code)!;
  return { code: m.code, name: m.name, prefecture: m.prefecture, pinReset: m.pinReset ?? null };
}

export const DEMO_HELLO: Hello = {
  type: 'hello',
  personas: [
    { id: 'kawasaki-taro', label: 'Household of three, seal registered, tax data', kind: 'my-number-card' },
    { id: 'silva-ana', label: 'Foreign resident', kind: 'my-number-card' },
    { id: 'juki-card', label: 'Old 住基カード', kind: 'juki-card' },
  ],
  municipalities: [
    { code: '141305', name: '川崎市', prefecture: '神奈川県', participating: true },
    { code: '141003', name: '横浜市', prefecture: '神奈川県', participating: true },
    { code: '132063', name: '府中市', prefecture: '東京都', participating: true },
    { code: '131059', name: '文京区', prefecture: '東京都', participating: true },
    { code: '999991', name: 'まぼろし村', prefecture: '北海道', participating: false },
  ],
  home: demoHome(),
};

export const DEMO_DEVICES: DeviceStatus = {
  clock: '2026-11-24T10:00:00+09:00',
  reader: { name: 'sim', cardPresent: false, card: null },
  cash: { accepting: false, escrow: 0, tubes: { 10: 50, 50: 20, 100: 50, 500: 20, 1000: 20 } },
  printer: { paper: 500, jammed: false, online: true, sheetsPrinted: 0 },
  centerOnline: true,
  documents: [],
};

const household = [
  { id: 'kawasaki-taro', name: '川崎 太郎', relationship: '世帯主' },
  { id: 'kawasaki-hanako', name: '川崎 花子', relationship: '妻' },
  { id: 'kawasaki-ichiro', name: '川崎 一郎', relationship: '子' },
];

export function baseView(screen: Screen = 'top', language: Language = 'ja'): KioskView {
  return {
    screen,
    step: null,
    ...declaredFor(screen, null),
    totalSteps: TOTAL_STEPS,
    language,
    medium: 'card',
    warning: false,
    notice: null,
    reason: null,
    renewal: null,
    unsupportedCard: null,
    service: 'certificates',
    registeredFrom: null,
    reset: null,
    triesLeft: 3,
    pinWrong: false,
    cardPlaced: false,
    cardOnReader: false,
    holder: {
      name: '川崎 太郎', foreign: false, household,
      familyRegister: [
        { id: 'kawasaki-taro', name: '川崎 太郎', relationship: '筆頭者' },
        { id: 'kawasaki-hanako', name: '川崎 花子', relationship: '妻' },
        { id: 'kawasaki-ichiro', name: '川崎 一郎', relationship: '長男' },
      ],
    },
    city: { code: '141305', name: '川崎市', printsMyNumber: false, maxCopies: 10 },
    scope: 'residence',
    certificates: [
      { id: 'juminhyo', fee: 200, counterFee: 300, unavailable: null },
      { id: 'kisai', fee: null, counterFee: null, unavailable: 'not-offered' },
      { id: 'inkan', fee: 200, counterFee: 300, unavailable: null },
      { id: 'kazei', fee: 200, counterFee: 300, unavailable: null },
      { id: 'koseki', fee: 350, counterFee: 450, unavailable: null },
      { id: 'fuhyo', fee: 200, counterFee: 300, unavailable: 'outside-hours' },
    ],
    taxYears: [2026],
    taxKinds: ['kazei', 'shotoku'],
    request: {
      certificate: 'juminhyo',
      subtype: { kind: 'juminhyo', scope: 'household', members: [] },
      options: { householdHead: true, domicile: false, myNumber: false, nationality: false, residenceStatus: false, residenceCardNumber: false },
      copies: 2,
    },
    offeredInfo: ['householdHead', 'domicile'],
    due: 400,
    inserted: 0,
    refunded: 0,
    printed: 0,
    payout: null,
  };
}

/** Screen-specific defaults that make each demo screen look as it does in a real journey. */
const PER_SCREEN: Partial<Record<Screen, Partial<KioskView>>> = {
  top: { medium: null, holder: null, city: null, certificates: [], request: { certificate: null, subtype: null, options: null, copies: 1 }, due: 0 },
  'government-menu': { medium: null },
  'advanced-menu': { medium: null },
  'pin-entry': { step: 'entering', triesLeft: 2, pinWrong: true },
  payment: { step: 'accepting', inserted: 100 },
  printing: { step: 'working', inserted: 1000, printed: 1 },
  refused: { reason: 'unsupported-card' },
  'pin-locked': { triesLeft: 0 },
  'out-of-service': { reason: 'outside-hours' },
  'print-failed': { reason: 'paper-jam', inserted: 1000, printed: 1, payout: { change: 600, refunded: 200, failed: false } },
  cancelled: { reason: 'cancelled' },
  'pin-reset': { step: 'choosing', service: 'pin-reset', reset: { pin: null, mismatch: false, offered: ['auth', 'sign'] }, triesLeft: null },
  registered: { step: 'done', service: 'registration', registeredFrom: '2026-11-26', city: { code: '131059', name: '文京区', printsMyNumber: false, maxCopies: 10 } },
};

/** A notice as the demo route names it: `cash-rejected:not-accepted`, `not-simulated:copy`. */
function noticeOf(text: string): Notice | null {
  const [kind, detail] = text.split(':', 2);
  if (kind === 'not-simulated' && isOneOf(detail, OTHER_SERVICES)) return { kind, service: detail };
  if (kind === 'cash-rejected' && isOneOf(detail, CASH_REJECTIONS)) return { kind, reason: detail };
  return null;
}

export interface DemoRoute {
  screen: Screen;
  language: Language;
  params: Record<string, string>;
}

/** Reads `demo=<screen>&lang=..&step=..&reason=..&warning=1&notice=..&tries=..&renewal=YYYY-MM-DD&collect=1&recovery=1` from a hash. */
export function parseDemo(hash: string): DemoRoute | null {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const screen = q.get('demo');
  if (!screen || !(SCREENS as readonly string[]).includes(screen)) return null;
  const lang = q.get('lang') ?? 'ja';
  const params: Record<string, string> = {};
  q.forEach((v, k) => { params[k] = v; });
  return { screen: screen as Screen, language: (LANGUAGES as readonly string[]).includes(lang) ? (lang as Language) : 'ja', params };
}

export function demoState(route: DemoRoute): ConnectionState {
  const p = route.params;
  const view: KioskView = { ...baseView(route.screen, route.language), ...PER_SCREEN[route.screen] };
  if (p.step) view.step = p.step;
  if (p.reason) view.reason = p.reason as KioskView['reason'];
  if (p.warning === '1') view.warning = true;
  if (p.notice) view.notice = noticeOf(p.notice);
  if (p.tries) view.triesLeft = Number(p.tries);
  if (p.onreader === '1') view.cardOnReader = true;
  if (p.renewal) view.renewal = { expiresOn: p.renewal };
  if (route.screen === 'pin-reset' && (p.pin === 'auth' || p.pin === 'sign')) view.reset = { pin: p.pin, mismatch: p.mismatch === '1', offered: p.offered === 'sign' ? ['sign'] : ['auth', 'sign'] };
  if (p.card === 'juki-card' || p.card === 'other') view.unsupportedCard = p.card;
  if (p.medium === 'card' || p.medium === 'phone') view.medium = p.medium;
  if (p.certificate) {
    const c = p.certificate as NonNullable<KioskView['request']['certificate']>;
    view.request = { ...view.request, certificate: c, subtype: null };
  }
  if (p.foreign === '1' && view.holder) view.holder = { ...view.holder, name: 'SILVA ANA', foreign: true };
  if (p.mynumber === '1' && view.city) view.city = { ...view.city, printsMyNumber: true };
  if (p.failed === '1') view.payout = { change: 0, refunded: 200, failed: true };
  if (route.screen === 'printing' && p.step === 'collect') {
    view.printed = 2;
    view.payout = p.failed === '1' ? { change: 600, refunded: 0, failed: true } : { change: 600, refunded: 0, failed: false };
  }
  // What the machine declares for this screen and sub-step, and the items this person's certificate offers.
  Object.assign(view, declaredFor(view.screen, view.step));
  view.offeredInfo = offeredInfo(view.request.certificate, view.city, !!view.holder?.foreign);
  if (view.screen === 'cancelled') view.refunded = Number(p.refunded ?? 0);
  const devices = { ...DEMO_DEVICES };
  if (p.step === 'collect' || route.screen === 'print-failed') devices.documents = ['/spool/demo-juminhyo-1.pdf', '/spool/demo-receipt.pdf'];
  // The longest notice a restart can leave: copies printed, cash returned and a refund slip.
  if (p.recovery === '1') devices.recovery = { printed: 1, copies: 2, returned: 1300, owed: 200 };
  return { status: 'open', hello: DEMO_HELLO, view, devices, rev: 1, error: null };
}
