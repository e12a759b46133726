// The journey file: a readable YAML script of one resident's visit — who (persona and card), when (clock), in which
// language, what they and the devices do (steps) and what a QA engineer expects to see. Parsing is strict: an
// unknown step, a misspelled key or a wrong value is an error naming the file and line and what was expected,
// before anything runs. The language is documented in journeys/README.md.
import { COUNTER_VERBS, type CounterVerb } from '../counter/counter.ts';
import { parseBoothAction, type BoothAction } from './booth-steps.ts';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Node as YamlNode, type Pair } from 'yaml';
import { CERTIFICATES, INFO_KEYS, LANGUAGES, SCREENS, TAX_KINDS, type Certificate, type Language, type Screen, type TaxKind } from '../../machine/types.ts';
import { ClockTimeError, parseClockTime } from '../../machine/rules/japan-time.ts';
import type { JournalFact } from '../journal.ts';
import { FAULTS } from '../terminal.ts';

/** Buttons a journey can tap, by the ids the UI gives them. */
export const TAPS = {
  'government-service': { type: 'ui.start' },
  copy: { type: 'ui.otherService', service: 'copy' },
  print: { type: 'ui.otherService', service: 'print' },
  photo: { type: 'ui.otherService', service: 'photo' },
  'certificate-service': { type: 'ui.certificateService' },
  'domicile-registration': { type: 'ui.domicileRegistration' },
  'pin-reset': { type: 'ui.pinResetService' },
  'reset-auth': { type: 'ui.choosePinToReset', pin: 'auth' },
  'reset-sign': { type: 'ui.choosePinToReset', pin: 'sign' },
  'my-number-card': { type: 'ui.chooseMedium', medium: 'card' },
  smartphone: { type: 'ui.chooseMedium', medium: 'phone' },
  'accept-terms': { type: 'ui.acceptTerms' },
  residence: { type: 'ui.selectCity', scope: 'residence' },
  confirm: { type: 'ui.confirm' },
  back: { type: 'ui.back' },
  cancel: { type: 'ui.cancel' },
  done: { type: 'ui.done' },
  continue: { type: 'ui.continue' },
} as const;
export type Tap = keyof typeof TAPS;

export const CORRECTABLE = ['certificate-select', 'type-select', 'info-select', 'copies'] as const;

/** Faults a journey can script: the operator's (kiosk/terminal.ts FAULTS) and a mute card, which the runner adds. */
export const JOURNEY_FAULTS = [...new Set([...FAULTS, 'card-mute'] as const)];
export type JourneyFault = (typeof JOURNEY_FAULTS)[number];

/** When `remove-card: { during: … }` pulls the card: at the first READ BINARY, at the PIN's VERIFY, at the signature. */
export const REMOVE_DURING = ['read', 'pin', 'sign'] as const;
export type RemoveDuring = (typeof REMOVE_DURING)[number];

/** Device work a journey may hold back (`hold:`) and let go (`release:`), by the runtime command it answers. */
export const HOLDABLE = {
  'card-read': 'reader.readCard',
  'pin-check': 'reader.verifyPin',
  authentication: 'center.authenticate',
  registration: 'center.registerDomicile',
  refund: 'cash.refund',
  print: 'print.start',
  payout: 'cash.payout',
} as const;
export type Holdable = keyof typeof HOLDABLE;

/** The journal's record types (kiosk/journal.ts), for `expect: { journal: [...] }`. */
export const JOURNAL_TYPES = ['cash.in', 'cash.rejected', 'cash.refunded', 'payment.collected', 'issued', 'print.copy.start', 'print.copy',
  'print.failed', 'print.receipt', 'cash.payout.start', 'cash.out', 'refund.slip', 'print.refundSlip', 'recovered', 'booth.applying', 'booth.applied',
  'terminal.outOfOrder', 'terminal.inService'] as const satisfies ReadonlyArray<JournalFact['type']>;
/** A record type the journal gained and this list lacks is a type error here: add it above (and to journeys/README.md). */
const everyJournalType: [Exclude<JournalFact['type'], (typeof JOURNAL_TYPES)[number]>] extends [never] ? true : never = true;
void everyJournalType;

export const DOCUMENT_KINDS = ['juminhyo', 'kisai', 'inkan', 'kazei', 'shotoku', 'shotoku-kazei', 'nozei', 'koseki-zenbu', 'koseki-kojin', 'fuhyo'] as const;

/** Overrides of the persona's card: fewer tries left, an older (or expired) certificate (samples/sample-data.ts). */
export type { CardVariant } from '../../samples/sample-data.ts';
import type { CardVariant } from '../../samples/sample-data.ts';
const CARD_KEYS = ['triesLeft', 'issuedDaysAgo', 'expired', 'declined', 'uncollected'] as const;

/** A record the journal must hold: its type and, optionally, fields that must match. */
export type JournalExpectation = { type: (typeof JOURNAL_TYPES)[number] } & Record<string, string | number | boolean | null>;

export interface DocumentExpectation {
  /** Which certificate copy printed in this journey, 1 = the first (default: the last one). */
  copy?: number;
  title?: string;
  kind?: (typeof DOCUMENT_KINDS)[number];
  /** Texts the document carries (white space ignored). */
  contains?: string[];
  /** Texts it must not carry. */
  absent?: string[];
}

export interface Expectation {
  screen?: Screen;
  /** The step within the screen (pin-reset: choosing, other, new, confirm, done…), or null for a screen without steps. */
  step?: string | null;
  reason?: string | null;
  triesLeft?: number | null;
  pinWrong?: boolean;
  warning?: boolean;
  notice?: string | null;
  /** The renewal notice after the PIN: the date the certificate expires (YYYY-MM-DD), or null for none. */
  renewal?: string | null;
  /** The 本籍地 registration's answer: the date 戸籍 can be had from (YYYY-MM-DD). */
  registeredFrom?: string | null;
  holder?: string | null;
  language?: Language;
  due?: number;
  inserted?: number;
  /** Certificate copies printed in the journey so far. */
  printed?: number;
  /** Yen kept as fees, given as change, refunded (before or after printing), owed on a refund slip. */
  charged?: number;
  change?: number;
  refunded?: number;
  owed?: number;
  /** Certificates shown disabled on certificate-select, with their reason (null: available). */
  unavailable?: Partial<Record<Certificate, string | null>>;
  /** Whether a card is on the reader. */
  cardPresent?: boolean;
  /** APDUs the reader exchanged with cards in this journey so far: exactly, or at most. */
  apdus?: number;
  apdusAtMost?: number;
  /** Records the journal holds, in this order (others may come between). */
  journal?: JournalExpectation[];
  /** A printed certificate's content. */
  document?: DocumentExpectation;
  /** The receipt (利用明細) printed last. */
  receipt?: Pick<DocumentExpectation, 'contains' | 'absent'>;
}

export type Step =
  | { kind: 'tap'; tap: Tap; ignored?: true }
  | { kind: 'domicile'; city: string }
  | { kind: 'language'; language: Language }
  | ({ kind: 'insert-card'; persona: string } & CardVariant)
  /** A card described by a card profile (reader/PROFILE.md), the file's path resolved from the journey's folder. */
  | { kind: 'insert-card'; persona: string; profile: string }
  | { kind: 'remove-card'; during?: RemoveDuring; atApdu?: number }
  | { kind: 'pin'; digits: string }
  | { kind: 'certificate'; certificate: Certificate }
  | { kind: 'type'; value: Record<string, unknown> }
  | { kind: 'info'; options: Record<(typeof INFO_KEYS)[number], boolean> }
  | { kind: 'copies'; copies: number }
  | { kind: 'correct'; step: (typeof CORRECTABLE)[number] }
  | { kind: 'insert-cash'; yen: number[] }
  | { kind: 'wait'; seconds: number }
  | { kind: 'clock'; at: string }
  | { kind: 'fault'; fault: JourneyFault }
  | { kind: 'paper'; sheets: number }
  | { kind: 'jam-after'; sheets: number }
  | { kind: 'hold'; work: Holdable }
  | { kind: 'release'; work: Holdable | 'all' }
  | { kind: 'expect'; expect: Expectation }
  /**
   * The ward-office counter or the call center between visits (kiosk/counter/): `verb` on the persona's current
   * card, with its fields; `refused` expects it refused for that reason instead.
   */
  | { kind: 'counter'; verb: CounterVerb; persona: string; fields: CounterFields; refused?: string }
  /** J-LIS prints a 交付申請書 for the persona (its 申請書ID is what `booth: { scan: form }` holds to the scanner). */
  | { kind: 'form'; persona: string }
  /** The photo booth beside the terminal (booth-steps.ts). */
  | { kind: 'booth'; action: BoothAction };

/**
 * A counter step's fields, as the control API takes them (`new`, `password` and `other` are PINs, and so is
 * continue-card's `pin`: never shown in a report).
 */
export interface CounterFields {
  /** A card of the persona by its id (kawasaki-taro-1), when not its current one. */
  card?: string;
  /** Which PIN (auth, sign, kenhojo); for continue-card, the 4-digit PIN the holder enters. */
  pin?: string;
  new?: string;
  /** collect's signature password (a secret, as `new`). */
  password?: string;
  who?: string;
  answered?: boolean;
  /** apply: a mailed form scanned at the counter (`form`: the last one a `form` step printed, or its ID). */
  form?: string;
  /** apply: the certificate boxes blackened, the name in Braille. */
  declined?: boolean;
  braille?: boolean;
  police?: string;
  express?: boolean;
  to?: string;
  address?: string;
  name?: string;
}

export interface Journey {
  file: string;
  name: string;
  persona: string | null;
  clock: string;
  language: Language;
  /** Overrides for every card this journey inserts (an `insert-card` map may give its own). */
  card: CardVariant | null;
  steps: Array<Step & { line: number }>;
}

export class JourneyFormatError extends Error {
  constructor(readonly file: string, readonly line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'JourneyFormatError';
  }
}

export const STEP_KINDS = ['tap', 'domicile', 'language', 'insert-card', 'remove-card', 'pin', 'certificate', 'type', 'info',
  'copies', 'correct', 'insert-cash', 'wait', 'clock', 'fault', 'paper', 'jam-after', 'hold', 'release', 'expect', 'counter', 'form', 'booth'] as const;
const TOP_KEYS = ['name', 'persona', 'clock', 'language', 'card', 'steps'];
/** The longest wait a journey may script: the runner fires every timer on the way, and the top screen re-arms its own. */
const MAX_WAIT_SECONDS = 86_400;
const MAX_DAYS_AGO = 3650;

/**
 * A value from the file as a message shows it: quoted and cut to 60 characters (a file may hold a 1 MB string), and
 * never through String(), which throws on a map with a `toString` key.
 */
const quote = (value: unknown): string => {
  const text = typeof value === 'object' && value !== null ? JSON.stringify(value) ?? '' : String(value);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
};

const isInt = (v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isPlainMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
/** Why a journey's time is not one (strictly parsed, within the kiosk clock's years), or null when it is. */
export function journeyTimeProblem(v: unknown): string | null {
  try {
    parseClockTime(v);
    return null;
  } catch (e) {
    return e instanceof ClockTimeError ? e.message : String(e);
  }
}
export const isJourneyTime = (v: unknown): v is string => journeyTimeProblem(v) === null;

/** What each expectation takes: a check, and the words for the message when it fails. */
const yen = { ok: (v: unknown) => isInt(v), expected: 'yen as a whole number' };
const count = { ok: (v: unknown) => isInt(v), expected: 'a whole number' };
const text = { ok: (v: unknown) => typeof v === 'string' || v === null, expected: 'a text (or null)' };
const EXPECT_SPEC: Record<string, { ok: (v: unknown) => boolean; expected: string }> = {
  screen: { ok: (v) => SCREENS.includes(v as Screen), expected: `one of the screens: ${SCREENS.join(', ')}` },
  step: text,
  reason: text,
  triesLeft: { ok: (v) => v === null || isInt(v, 0, 3), expected: '0 to 3 (or null)' },
  pinWrong: { ok: (v) => typeof v === 'boolean', expected: 'true or false' },
  warning: { ok: (v) => typeof v === 'boolean', expected: 'true or false' },
  notice: text,
  renewal: { ok: (v) => v === null || (typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v)), expected: 'a date YYYY-MM-DD (or null)' },
  registeredFrom: { ok: (v) => v === null || (typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v)), expected: 'a date YYYY-MM-DD (or null)' },
  holder: text,
  language: { ok: (v) => LANGUAGES.includes(v as Language), expected: `one of ${LANGUAGES.join(', ')}` },
  due: yen, inserted: yen, printed: count, charged: yen, change: yen, refunded: yen, owed: yen,
  unavailable: {
    ok: (v) => isPlainMap(v) && Object.entries(v).every(([k, x]) => CERTIFICATES.includes(k as Certificate) && (typeof x === 'string' || x === null)),
    expected: `a map of certificates (${CERTIFICATES.join(', ')}) to a reason, or null for available`,
  },
  cardPresent: { ok: (v) => typeof v === 'boolean', expected: 'true or false' },
  apdus: count,
  apdusAtMost: count,
  journal: { ok: () => true, expected: '' }, // checked below, item by item
  document: { ok: () => true, expected: '' },
  receipt: { ok: () => true, expected: '' },
};
export const EXPECT_KEYS = Object.keys(EXPECT_SPEC);

/** The municipalities a `domicile:` may name (code or name); given, a journey naming another is malformed. */
export type KnownCities = ReadonlyArray<{ code: string; name: string }>;

export function parseJourney(file: string, personas: readonly string[], cities?: KnownCities): Journey {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (e) {
    throw new JourneyFormatError(file, 0, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? e}); expected a readable journey file`);
  }
  return parseJourneyText(file, content, personas, cities);
}

/**
 * Nesting a journey may have (it needs a few levels). The yaml package recurses once per level, and some thousands of
 * `[` or indented lines overflow the stack: slowly, and at times fatally for the process (V8 aborting in its RegExp
 * compiler). So the text is checked before it is parsed.
 */
const MAX_NESTING = 64;

/** The first line at which `text` nests deeper than MAX_NESTING (flow `[`/`{`, or the indentation and `- ? :` before a line's content), or 0. */
function tooDeepAt(text: string): number {
  let flow = 0;
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    const lead = /^(?:[ \t]|[-?:](?=[ \t]|$)|[&!][^ \t]*)*/.exec(line)![0].length;
    if (lead > 4 * MAX_NESTING) return i + 1;
    let quote = '';
    for (let j = lead; j < line.length; j += 1) {
      const c = line[j];
      if (quote) {
        if (c === '\\' && quote === '"') j += 1;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '#' && (j === 0 || line[j - 1] === ' ' || line[j - 1] === '\t')) break;
      else if (c === '[' || c === '{') {
        if (++flow > MAX_NESTING) return i + 1;
      } else if ((c === ']' || c === '}') && flow > 0) flow -= 1;
    }
  }
  return 0;
}

export function parseJourneyText(file: string, source: string, personas: readonly string[], cities?: KnownCities): Journey {
  const deep = tooDeepAt(source);
  if (deep) throw new JourneyFormatError(file, deep, `nested more than ${MAX_NESTING} levels deep; a journey needs a few at most (steps, a step, its map)`);
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, uniqueKeys: true });
  const lineOf = (n: YamlNode | null | undefined) => (n?.range ? lines.linePos(n.range[0]).line : 1);
  const fail = (n: YamlNode | null | undefined, detail: string): never => {
    throw new JourneyFormatError(file, lineOf(n), detail);
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new JourneyFormatError(file, e.linePos?.[0].line ?? 1, `not valid YAML: ${e.message.split('\n')[0].slice(0, 200)}`);
  }
  // Aliases are refused rather than resolved: none is needed, and a "billion laughs" of nested aliases must not expand.
  visit(doc, {
    Alias: (_, alias) => fail(alias, `YAML aliases (here *${quote(alias.source).slice(1, -1)}) are not allowed in a journey; write the value out in full`),
  });
  const root = doc.contents;
  if (!isMap(root)) fail(root, 'a journey is a map with name, clock, steps (and optionally persona, language, card)');
  const top = new Map((root as { items: Pair[] }).items.map((p) => [String((p.key as { value: unknown }).value), p]));
  for (const [k, p] of top) {
    if (!TOP_KEYS.includes(k)) fail(p.key as YamlNode, `unknown key ${quote(k)} (expected ${TOP_KEYS.join(', ')})`);
  }
  const scalar = (key: string, required: boolean): string | null => {
    const p = top.get(key);
    if (!p) return required ? fail(root, `missing "${key}" (a journey needs name, clock and steps)`) : null;
    if (!isScalar(p.value) || p.value.value === null || typeof p.value.value === 'object') return fail(p.value as YamlNode, `"${key}" must be a single value`);
    return String(p.value.value);
  };
  const name = scalar('name', true)!;
  const clock = scalar('clock', true)!;
  const clockProblem = journeyTimeProblem(clock);
  if (clockProblem) fail(top.get('clock')!.value as YamlNode, `clock: ${clockProblem}`);
  const language = (scalar('language', false) ?? 'ja') as Language;
  if (!LANGUAGES.includes(language)) fail(top.get('language')!.value as YamlNode, `language ${quote(language)} is not one of ${LANGUAGES.join(', ')}`);
  const persona = scalar('persona', false);
  const checkPersona = (id: string, n: YamlNode | null | undefined) => {
    if (!personas.includes(id)) fail(n, `unknown persona ${quote(id)} (known: ${personas.join(', ')})`);
  };
  if (persona) checkPersona(persona, top.get('persona')!.value as YamlNode);

  /** A card variant from a map (the journey's `card:` or an `insert-card:` map), keys checked. */
  const cardVariant = (js: Record<string, unknown>, n: YamlNode | null | undefined, also: readonly string[] = []): CardVariant => {
    for (const k of Object.keys(js)) {
      if (!(CARD_KEYS as readonly string[]).includes(k) && !also.includes(k)) fail(n, `unknown card key ${quote(k)} (expected ${[...also, ...CARD_KEYS].join(', ')})`);
    }
    const v: CardVariant = {};
    if (js.triesLeft !== undefined) {
      if (!isInt(js.triesLeft, 0, 3)) fail(n, `card "triesLeft" must be 0 to 3, not ${quote(js.triesLeft)}`);
      v.triesLeft = js.triesLeft as number;
    }
    if (js.issuedDaysAgo !== undefined) {
      if (!isInt(js.issuedDaysAgo, 0, MAX_DAYS_AGO)) fail(n, `card "issuedDaysAgo" must be a whole number of days, 0 to ${MAX_DAYS_AGO}, not ${quote(js.issuedDaysAgo)}`);
      v.issuedDaysAgo = js.issuedDaysAgo as number;
    }
    if (js.expired !== undefined) {
      if (typeof js.expired !== 'boolean') fail(n, `card "expired" must be true or false, not ${quote(js.expired)}`);
      if (js.expired && v.issuedDaysAgo !== undefined) fail(n, 'a card takes "expired: true" or "issuedDaysAgo", not both (expected one of them)');
      if (js.expired) v.expired = true;
    }
    if (js.declined !== undefined) {
      if (typeof js.declined !== 'boolean') fail(n, `card "declined" must be true or false, not ${quote(js.declined)}`);
      if (js.declined) v.declined = true;
    }
    if (js.uncollected !== undefined) {
      if (typeof js.uncollected !== 'boolean') fail(n, `card "uncollected" must be true or false, not ${quote(js.uncollected)}`);
      if (js.uncollected) v.uncollected = true;
    }
    return v;
  };
  let card: CardVariant | null = null;
  if (top.has('card')) {
    const n = top.get('card')!.value as YamlNode;
    const js = (n as { toJSON?(): unknown } | null)?.toJSON?.() ?? null;
    if (!isPlainMap(js)) return fail(n, `"card" must be a map of ${CARD_KEYS.join(', ')}, e.g. card: { triesLeft: 1 }`);
    card = cardVariant(js, n);
  }
  if (!top.has('steps')) fail(root, 'missing "steps" (a journey needs name, clock and steps)');
  const stepsNode = top.get('steps')?.value as YamlNode | undefined;
  if (!isSeq(stepsNode)) return fail(stepsNode ?? root, '"steps" must be a list of steps');

  const steps = (stepsNode as { items: YamlNode[] }).items.map((node): Step & { line: number } => {
    const line = lineOf(node);
    let kind: string;
    let value: YamlNode | null = null;
    if (isScalar(node) && typeof node.value === 'string') kind = node.value;
    else if (isMap(node) && node.items.length === 1) {
      kind = String((node.items[0].key as { value: unknown }).value);
      value = node.items[0].value as YamlNode;
    } else return fail(node, 'a step is one "kind: value" pair (or a bare word such as remove-card)');
    if (!STEP_KINDS.includes(kind as (typeof STEP_KINDS)[number])) fail(node, `unknown step ${quote(kind)} (known: ${STEP_KINDS.join(', ')})`);
    const js = value === null ? null : (value as { toJSON(): unknown }).toJSON();
    const need = (ok: boolean, what: string) => {
      if (!ok) fail(value ?? node, `"${kind}" needs ${what}`);
    };
    const where = value ?? node;
    const step = ((): Step => {
      switch (kind) {
        case 'tap': {
          if (isPlainMap(js)) {
            // { button: cancel, ignored: true }: the tap is expected to do nothing on this screen (and is sent anyway).
            for (const k of Object.keys(js)) if (k !== 'button' && k !== 'ignored') fail(where, `"tap" takes button and ignored; ${quote(k)} is not one (expected e.g. tap: { button: cancel, ignored: true })`);
            need(typeof js.button === 'string' && Object.hasOwn(TAPS, js.button), `a button, one of: ${Object.keys(TAPS).join(', ')}`);
            need(js.ignored === true || js.ignored === undefined, '"ignored: true" (or a bare button id)');
            return js.ignored ? { kind, tap: js.button as Tap, ignored: true } : { kind, tap: js.button as Tap };
          }
          need(typeof js === 'string' && Object.hasOwn(TAPS, js), `one of: ${Object.keys(TAPS).join(', ')}`);
          return { kind, tap: js as Tap };
        }
        case 'domicile': {
          need(typeof js === 'string' || typeof js === 'number', 'a municipality code or name');
          const city = String(js);
          if (cities && !cities.some((m) => m.code === city || m.name === city)) {
            fail(where, `unknown municipality ${quote(city)} for "domicile" (expected a code or name: ${cities.map((m) => m.name).join(', ')})`);
          }
          return { kind, city };
        }
        case 'language':
          need(LANGUAGES.includes(js as Language), `one of ${LANGUAGES.join(', ')}`);
          return { kind, language: js as Language };
        case 'insert-card': {
          if (isPlainMap(js) && js.profile !== undefined) {
            // A card as data, whoever it is: not the persona's card from the store, and no variant of one.
            need(Object.keys(js).length === 1, '{ profile: FILE } alone (a profile card has no persona or variant)');
            const name = js.profile;
            if (typeof name !== 'string' || !name || name.length > 500 || isAbsolute(name)) return fail(where, '"profile" is the path of a card profile relative to the journey\'s folder');
            const path = resolve(dirname(file), name);
            if (!existsSync(path)) return fail(where, `"profile" names a missing file: no card profile ${quote(name)} beside the journey (kiosk card profile --persona ID --out DIR writes one)`);
            return { kind, persona: persona ?? 'profile', profile: path };
          }
          if (isPlainMap(js)) {
            const id = js.persona === undefined ? persona : js.persona;
            if (typeof id !== 'string') return fail(where, '"insert-card" needs a persona (persona: id in the map, or the journey\'s persona)');
            checkPersona(id, where);
            return { kind, persona: id, ...cardVariant(js, where, ['persona']) };
          }
          need(js === null || typeof js !== 'object', 'a persona id, a map { persona, triesLeft, issuedDaysAgo, expired, declined, uncollected }, { profile: FILE }, or nothing for the journey\'s persona');
          const id = js === null ? persona : String(js);
          if (!id) return fail(node, '"insert-card" needs a persona (here or as the journey\'s persona)');
          checkPersona(id, where);
          return { kind, persona: id };
        }
        case 'remove-card': {
          if (js === null) return { kind };
          const expected = `nothing (take the card off now), { during: ${REMOVE_DURING.join('|')} } or { at-apdu: N } (pull it as the Nth APDU from now is sent)`;
          need(isPlainMap(js) && Object.keys(js).length === 1, expected);
          const m = js as Record<string, unknown>;
          if ('during' in m) {
            need(REMOVE_DURING.includes(m.during as RemoveDuring), `"during" to be one of ${REMOVE_DURING.join(', ')}`);
            return { kind, during: m.during as RemoveDuring };
          }
          if ('at-apdu' in m) {
            need(isInt(m['at-apdu'], 1, 10_000), '"at-apdu" to be a whole number from 1');
            return { kind, atApdu: m['at-apdu'] as number };
          }
          return fail(where, `"remove-card" needs ${expected}`);
        }
        case 'pin':
          // Digits (or a PIN reset's signature password, A-Z and 0-9), given as a string; never echoed in errors or reports.
          need(typeof js === 'string' && /^[0-9A-Z]{1,16}$/.test(js), 'the digits as a quoted string, e.g. pin: "1234" (a signature password: "ABC123")');
          return { kind, digits: js as string };
        case 'form': {
          const id = js === null ? persona : js;
          if (typeof id !== 'string') return fail(where, '"form" needs a persona (form: id, or the journey\'s persona)');
          checkPersona(id, where);
          return { kind, persona: id };
        }
        case 'booth':
          return { kind, action: parseBoothAction(js, (what) => fail(where, `"booth" needs ${what}`)) };
        case 'certificate':
          need(CERTIFICATES.includes(js as Certificate), `one of ${CERTIFICATES.join(', ')}`);
          return { kind, certificate: js as Certificate };
        case 'type': {
          const expected = `a map: {scope: household|self|members, members: [...]}, {form: zenbu|kojin, person}, {year: 2026, tax: ${TAX_KINDS.join('|')}} or {person: id}`;
          need(isPlainMap(js), expected);
          const v = js as Record<string, unknown>;
          for (const [k, x] of Object.entries(v)) {
            const ok = k === 'scope' ? ['household', 'self', 'members'].includes(x as string)
              : k === 'members' ? Array.isArray(x) && x.every((m) => typeof m === 'string')
                : k === 'form' ? x === 'zenbu' || x === 'kojin'
                  : k === 'person' ? typeof x === 'string'
                    : k === 'year' ? isInt(x, 1900, 2200)
                      : k === 'tax' ? TAX_KINDS.includes(x as TaxKind) : null;
            if (ok === null) fail(where, `"type" takes scope, members, form, person, year or tax; ${quote(k)} is not one (expected ${expected})`);
            if (!ok) fail(where, `"type" has a wrong ${k}: ${quote(x)} (expected ${expected})`);
          }
          return { kind, value: v };
        }
        case 'info': {
          need(isPlainMap(js), `a map of ${INFO_KEYS.join(', ')} to true/false`);
          for (const [k, v] of Object.entries(js as object)) {
            if (!INFO_KEYS.includes(k as (typeof INFO_KEYS)[number]) || typeof v !== 'boolean') fail(value, `"info" takes ${INFO_KEYS.join(', ')} as true/false; ${quote(k)} is not one`);
          }
          const options = Object.fromEntries(INFO_KEYS.map((k) => [k, !!(js as Record<string, boolean>)[k]]));
          return { kind, options: options as Record<(typeof INFO_KEYS)[number], boolean> };
        }
        case 'copies':
          need(isInt(js, 0, 1000), 'a whole number');
          return { kind, copies: js as number };
        case 'correct':
          need(CORRECTABLE.includes(js as (typeof CORRECTABLE)[number]), `one of ${CORRECTABLE.join(', ')}`);
          return { kind, step: js as (typeof CORRECTABLE)[number] };
        case 'insert-cash': {
          const yenList = typeof js === 'number' ? [js] : js;
          need(Array.isArray(yenList) && yenList.length > 0 && yenList.length <= 100 && yenList.every((y) => isInt(y, 1, 1_000_000)), 'yen as a number or a list, e.g. [1000, 100]');
          return { kind, yen: yenList as number[] };
        }
        case 'wait':
          need(typeof js === 'number' && js > 0 && js <= MAX_WAIT_SECONDS, `seconds as a positive number, at most ${MAX_WAIT_SECONDS} (a day)`);
          return { kind, seconds: js as number };
        case 'clock':
          need(isJourneyTime(js), `an ISO time with its offset to jump to, e.g. clock: 2026-11-24T23:30:00+09:00 (${journeyTimeProblem(js)})`);
          return { kind, at: js as string };
        case 'fault':
          need(JOURNEY_FAULTS.includes(js as JourneyFault), `one of ${JOURNEY_FAULTS.join(', ')}`);
          return { kind, fault: js as JourneyFault };
        case 'paper':
        case 'jam-after':
          need(isInt(js, 0, 100_000), 'a number of sheets');
          return { kind, sheets: js as number };
        case 'hold':
          need(typeof js === 'string' && Object.hasOwn(HOLDABLE, js), `the device work to hold back, one of ${Object.keys(HOLDABLE).join(', ')}`);
          return { kind, work: js as Holdable };
        case 'release':
          need(js === null || (typeof js === 'string' && Object.hasOwn(HOLDABLE, js)), `the held work to let go, one of ${Object.keys(HOLDABLE).join(', ')} (or nothing for all)`);
          return { kind, work: js === null ? 'all' : (js as Holdable) };
        case 'expect':
          return { kind, expect: parseExpectation(js, where) };
        case 'counter': {
          const expected = `a verb (${COUNTER_VERBS.join(', ')}) or a map { do: VERB, persona, card, pin, new, password, other, who, answered, police, express, declined, braille, to, address, name, refused: REASON }`;
          const m: Record<string, unknown> = typeof js === 'string' ? { do: js } : isPlainMap(js) ? js : {};
          need(COUNTER_VERBS.includes(m.do as CounterVerb), expected);
          const id = m.persona === undefined ? persona : m.persona;
          if (typeof id !== 'string') return fail(where, '"counter" needs a persona (persona: id in the map, or the journey\'s persona)');
          checkPersona(id, where);
          const fields: CounterFields = {};
          for (const [k, v] of Object.entries(m)) {
            if (k === 'do' || k === 'persona' || k === 'refused') continue;
            if (['answered', 'express', 'declined', 'braille'].includes(k)) need(typeof v === 'boolean', `"${k}" to be true or false`);
            else if (['card', 'pin', 'new', 'password', 'other', 'who', 'police', 'to', 'address', 'name', 'form'].includes(k)) need((typeof v === 'string' || typeof v === 'number') && String(v).length <= 200, `"${k}" to be a text`);
            else fail(where, `"counter" takes do, persona, card, pin, new, password, other, who, answered, police, express, declined, braille, form, to, address, name and refused; ${quote(k)} is not one`);
            (fields as Record<string, unknown>)[k] = typeof v === 'number' ? String(v) : v;
          }
          if (m.refused !== undefined) need(typeof m.refused === 'string' && /^[a-z-]{1,40}$/.test(m.refused), '"refused" to be the reason expected, e.g. counter-weekend');
          return { kind, verb: m.do as CounterVerb, persona: id, fields, ...(m.refused === undefined ? {} : { refused: m.refused as string }) };
        }
      }
      return fail(node, `unknown step ${quote(kind)} (known: ${STEP_KINDS.join(', ')})`);
    })();
    return { ...step, line };
  });
  return { file, name, persona, clock, language, card, steps };

  function parseExpectation(js: unknown, n: YamlNode): Expectation {
    if (!isPlainMap(js)) return fail(n, `"expect" needs a map of ${EXPECT_KEYS.join(', ')}`);
    for (const [k, v] of Object.entries(js)) {
      if (!Object.hasOwn(EXPECT_SPEC, k)) fail(n, `unknown expectation ${quote(k)} (known: ${EXPECT_KEYS.join(', ')})`);
      if (k === 'screen' && !SCREENS.includes(v as Screen)) fail(n, `unknown screen ${quote(v)} (screens: ${SCREENS.join(', ')})`);
      if (!EXPECT_SPEC[k].ok(v)) fail(n, `expectation "${k}" must be ${EXPECT_SPEC[k].expected}, not ${quote(v)}`);
    }
    const e = { ...js } as Expectation;
    if (js.journal !== undefined) e.journal = journalExpectation(js.journal, n);
    if (js.document !== undefined) e.document = documentExpectation(js.document, n, 'document', ['copy', 'title', 'kind', 'contains', 'absent']);
    if (js.receipt !== undefined) e.receipt = documentExpectation(js.receipt, n, 'receipt', ['contains', 'absent']);
    return e;
  }

  function journalExpectation(v: unknown, n: YamlNode): JournalExpectation[] {
    const expected = `a list of journal records, each a type (${JOURNAL_TYPES.join(', ')}) or a map with its type and fields, e.g. [cash.in, { type: cash.out, change: 600 }]`;
    if (!Array.isArray(v) || v.length === 0) return fail(n, `expectation "journal" must be ${expected}`);
    return v.map((item) => {
      const record = typeof item === 'string' ? { type: item } : item;
      if (!isPlainMap(record) || !JOURNAL_TYPES.includes(record.type as (typeof JOURNAL_TYPES)[number])) {
        return fail(n, `journal record ${quote(item)} is not known: expected ${expected}`);
      }
      for (const [k, x] of Object.entries(record)) {
        const single = x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));
        if (!single) fail(n, `journal field ${quote(k)} must be a single value (a number, text, true/false or null), not ${quote(x)}`);
      }
      return record as JournalExpectation;
    });
  }

  function documentExpectation(v: unknown, n: YamlNode, key: string, keys: string[]): DocumentExpectation {
    const expected = `a map of ${keys.join(', ')}`;
    if (!isPlainMap(v)) return fail(n, `expectation "${key}" must be ${expected}, e.g. ${key}: { contains: [川崎 太郎] }`);
    const out: DocumentExpectation = {};
    for (const [k, x] of Object.entries(v)) {
      if (!keys.includes(k)) fail(n, `unknown ${key} key ${quote(k)} (expected ${keys.join(', ')})`);
      if (k === 'copy') {
        if (!isInt(x, 1, 1000)) fail(n, `${key} "copy" must be a whole number from 1 (the first certificate printed), not ${quote(x)}`);
        out.copy = x as number;
      } else if (k === 'title') {
        if (typeof x !== 'string') fail(n, `${key} "title" must be a text, e.g. 住民票の写し`);
        out.title = x as string;
      } else if (k === 'kind') {
        if (!DOCUMENT_KINDS.includes(x as (typeof DOCUMENT_KINDS)[number])) fail(n, `${key} "kind" must be one of ${DOCUMENT_KINDS.join(', ')}`);
        out.kind = x as DocumentExpectation['kind'];
      } else {
        const list = typeof x === 'string' ? [x] : x;
        if (!Array.isArray(list) || !list.every((s) => typeof s === 'string' && s.trim() !== '')) fail(n, `${key} "${k}" must be a text or a list of texts, e.g. [川崎 太郎, 世帯主]`);
        out[k as 'contains' | 'absent'] = list as string[];
      }
    }
    return out;
  }
}
