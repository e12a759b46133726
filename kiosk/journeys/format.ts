// The journey file: a readable YAML script of one resident's visit — who (persona), when (clock), in which
// language, what they do (steps) and what a QA engineer expects to see. Parsing is strict: an unknown step,
// a misspelled key or a wrong value is an error naming the file and line, before anything runs.
import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { CERTIFICATES, LANGUAGES, SCREENS, type Certificate, type Language, type Screen } from '../../machine/types.ts';
import { FAULTS, type Fault } from '../terminal.ts';

/** Buttons a journey can tap, by the ids the UI gives them. */
export const TAPS = {
  'government-service': { type: 'ui.start' },
  copy: { type: 'ui.otherService', service: 'copy' },
  print: { type: 'ui.otherService', service: 'print' },
  photo: { type: 'ui.otherService', service: 'photo' },
  'certificate-service': { type: 'ui.certificateService' },
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
const INFO_KEYS = ['householdHead', 'domicile', 'myNumber', 'nationality', 'residenceStatus', 'residenceCardNumber'] as const;

export interface Expectation {
  screen?: Screen;
  reason?: string;
  triesLeft?: number;
  warning?: boolean;
  notice?: string;
  holder?: string;
  due?: number;
  inserted?: number;
  /** Certificate copies printed in the journey so far. */
  printed?: number;
  /** Yen kept as fees, given as change, refunded (before or after printing), owed on a refund slip. */
  charged?: number;
  change?: number;
  refunded?: number;
  owed?: number;
  /** Certificates shown disabled on certificate-select, with their reason. */
  unavailable?: Partial<Record<Certificate, string>>;
}

export type Step =
  | { kind: 'tap'; tap: Tap }
  | { kind: 'domicile'; city: string }
  | { kind: 'language'; language: Language }
  | { kind: 'insert-card'; persona: string }
  | { kind: 'remove-card' }
  | { kind: 'pin'; digits: string }
  | { kind: 'certificate'; certificate: Certificate }
  | { kind: 'type'; value: Record<string, unknown> }
  | { kind: 'info'; options: Record<(typeof INFO_KEYS)[number], boolean> }
  | { kind: 'copies'; copies: number }
  | { kind: 'correct'; step: (typeof CORRECTABLE)[number] }
  | { kind: 'insert-cash'; yen: number[] }
  | { kind: 'wait'; seconds: number }
  | { kind: 'fault'; fault: Fault }
  | { kind: 'paper'; sheets: number }
  | { kind: 'jam-after'; sheets: number }
  | { kind: 'expect'; expect: Expectation };

export interface Journey {
  file: string;
  name: string;
  persona: string | null;
  clock: string;
  language: Language;
  steps: Array<Step & { line: number }>;
}

export class JourneyFormatError extends Error {
  constructor(readonly file: string, readonly line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'JourneyFormatError';
  }
}

const STEP_KINDS = ['tap', 'domicile', 'language', 'insert-card', 'remove-card', 'pin', 'certificate', 'type', 'info',
  'copies', 'correct', 'insert-cash', 'wait', 'fault', 'paper', 'jam-after', 'expect'] as const;
const EXPECT_KEYS = ['screen', 'reason', 'triesLeft', 'warning', 'notice', 'holder', 'due', 'inserted', 'printed',
  'charged', 'change', 'refunded', 'owed', 'unavailable'] as const;

export function parseJourney(file: string, personas: readonly string[]): Journey {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new JourneyFormatError(file, 0, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return parseJourneyText(file, text, personas);
}

export function parseJourneyText(file: string, text: string, personas: readonly string[]): Journey {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const lineOf = (n: YamlNode | null | undefined) => (n?.range ? lines.linePos(n.range[0]).line : 1);
  const fail = (n: YamlNode | null | undefined, detail: string): never => {
    throw new JourneyFormatError(file, lineOf(n), detail);
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new JourneyFormatError(file, e.linePos?.[0].line ?? 1, `not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) fail(root, 'a journey is a map with name, clock, steps (and optionally persona, language)');
  const top = new Map((root as { items: Pair[] }).items.map((p) => [String((p.key as { value: unknown }).value), p]));
  for (const [k, p] of top) {
    if (!['name', 'persona', 'clock', 'language', 'steps'].includes(k)) fail(p.key as YamlNode, `unknown key "${k}" (expected name, persona, clock, language, steps)`);
  }
  const scalar = (key: string, required: boolean): string | null => {
    const p = top.get(key);
    if (!p) return required ? fail(root, `missing "${key}"`) : null;
    if (!isScalar(p.value) || p.value.value === null || typeof p.value.value === 'object') return fail(p.value as YamlNode, `"${key}" must be a single value`);
    return String(p.value.value);
  };
  const name = scalar('name', true)!;
  const clock = scalar('clock', true)!;
  if (Number.isNaN(Date.parse(clock)) || !/[+-]\d\d:?\d\d$|Z$/.test(clock)) {
    fail(top.get('clock')!.value as YamlNode, `clock "${clock}" must be an ISO time with its offset, e.g. 2026-11-24T10:00:00+09:00`);
  }
  const language = (scalar('language', false) ?? 'ja') as Language;
  if (!LANGUAGES.includes(language)) fail(top.get('language')!.value as YamlNode, `language "${language}" is not one of ${LANGUAGES.join(', ')}`);
  const persona = scalar('persona', false);
  const checkPersona = (id: string, n: YamlNode | null | undefined) => {
    if (!personas.includes(id)) fail(n, `unknown persona "${id}" (known: ${personas.join(', ')})`);
  };
  if (persona) checkPersona(persona, top.get('persona')!.value as YamlNode);
  if (!top.has('steps')) fail(root, 'missing "steps"');
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
    if (!STEP_KINDS.includes(kind as (typeof STEP_KINDS)[number])) fail(node, `unknown step "${kind}" (known: ${STEP_KINDS.join(', ')})`);
    const js = value === null ? null : (value as { toJSON(): unknown }).toJSON();
    const need = (ok: boolean, what: string) => {
      if (!ok) fail(value ?? node, `"${kind}" needs ${what}`);
    };
    const step = ((): Step => {
      switch (kind) {
        case 'tap':
          need(typeof js === 'string' && js in TAPS, `one of: ${Object.keys(TAPS).join(', ')}`);
          return { kind, tap: js as Tap };
        case 'domicile':
          need(typeof js === 'string' || typeof js === 'number', 'a municipality code or name');
          return { kind, city: String(js) };
        case 'language':
          need(LANGUAGES.includes(js as Language), `one of ${LANGUAGES.join(', ')}`);
          return { kind, language: js as Language };
        case 'insert-card': {
          const id = js === null ? persona : String(js);
          if (!id) return fail(node, '"insert-card" needs a persona (here or as the journey\'s persona)');
          checkPersona(id, value ?? node);
          return { kind, persona: id };
        }
        case 'remove-card':
          need(js === null, 'no value');
          return { kind };
        case 'pin':
          // Digits only, given as a string; the value is never echoed in errors or reports.
          need(typeof js === 'string' && /^[0-9]{1,8}$/.test(js), 'the digits as a quoted string, e.g. pin: "1234"');
          return { kind, digits: js as string };
        case 'certificate':
          need(CERTIFICATES.includes(js as Certificate), `one of ${CERTIFICATES.join(', ')}`);
          return { kind, certificate: js as Certificate };
        case 'type':
          need(!!js && typeof js === 'object' && !Array.isArray(js), 'a map: {scope: household|self|members, members: [...]}, {form: zenbu|kojin, person}, {year: 2026} or {person: id}');
          return { kind, value: js as Record<string, unknown> };
        case 'info': {
          need(!!js && typeof js === 'object' && !Array.isArray(js), `a map of ${INFO_KEYS.join(', ')} to true/false`);
          for (const [k, v] of Object.entries(js as object)) {
            if (!INFO_KEYS.includes(k as (typeof INFO_KEYS)[number]) || typeof v !== 'boolean') fail(value, `"info" takes ${INFO_KEYS.join(', ')} as true/false; "${k}" is not one`);
          }
          const options = Object.fromEntries(INFO_KEYS.map((k) => [k, !!(js as Record<string, boolean>)[k]]));
          return { kind, options: options as Record<(typeof INFO_KEYS)[number], boolean> };
        }
        case 'copies':
          need(Number.isInteger(js), 'a whole number');
          return { kind, copies: js as number };
        case 'correct':
          need(CORRECTABLE.includes(js as (typeof CORRECTABLE)[number]), `one of ${CORRECTABLE.join(', ')}`);
          return { kind, step: js as (typeof CORRECTABLE)[number] };
        case 'insert-cash': {
          const yen = typeof js === 'number' ? [js] : js;
          need(Array.isArray(yen) && yen.length > 0 && yen.every((y) => Number.isInteger(y) && y > 0), 'yen as a number or a list, e.g. [1000, 100]');
          return { kind, yen: yen as number[] };
        }
        case 'wait':
          need(typeof js === 'number' && js > 0, 'seconds as a positive number');
          return { kind, seconds: js as number };
        case 'fault':
          need(FAULTS.includes(js as Fault), `one of ${FAULTS.join(', ')}`);
          return { kind, fault: js as Fault };
        case 'paper':
        case 'jam-after':
          need(Number.isInteger(js) && (js as number) >= 0, 'a number of sheets');
          return { kind, sheets: js as number };
        case 'expect': {
          need(!!js && typeof js === 'object' && !Array.isArray(js), `a map of ${EXPECT_KEYS.join(', ')}`);
          for (const k of Object.keys(js as object)) {
            if (!EXPECT_KEYS.includes(k as (typeof EXPECT_KEYS)[number])) fail(value, `unknown expectation "${k}" (known: ${EXPECT_KEYS.join(', ')})`);
          }
          const e = js as Expectation;
          if (e.screen !== undefined && !SCREENS.includes(e.screen)) fail(value, `unknown screen "${e.screen}" (screens: ${SCREENS.join(', ')})`);
          return { kind, expect: e };
        }
      }
      return fail(node, `unknown step "${kind}"`);
    })();
    return { ...step, line };
  });
  return { file, name, persona, clock, language, steps };
}
