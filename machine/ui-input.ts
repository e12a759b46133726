// What a screen may send, checked once, for the runtime (a WebSocket message) and the center (an HTTP body) alike:
// pure functions with one set of limits. Screens are outside the kiosk's trust: a message can say anything, and a
// guard that meets a field of the wrong kind would stop the machine.
import type { UiEvent } from './events.ts';
import {
  CERTIFICATES, INFO_KEYS, JUMINHYO_SCOPES, KOSEKI_FORMS, LANGUAGES, MEDIUMS, OTHER_SERVICES, RESETTABLE_PINS, SCOPES, SUBTYPE_KINDS, TAX_KINDS,
  type InfoOptions, type Subtype,
} from './types.ts';

/** UI events as a screen sends them: the runtime stamps the time on those whose rules need it. */
export type WithoutTime<E> = E extends unknown ? Omit<E, 'at'> : never;
export type UiInput = WithoutTime<UiEvent>;

/** A message from a screen that is no kiosk event (unknown type, a field of the wrong kind or out of range). */
export class KioskInputError extends Error {
  override readonly name = 'KioskInputError';
  constructor(detail: string) {
    super(`Not a kiosk event: ${detail}.`);
  }
}

/** The limits, the same wherever a request is checked. */
export const INPUT_LIMITS = { idLength: 64, members: 32, copies: 1000, year: { from: 1900, to: 2999 } } as const;

const TAPS_WITHOUT_DATA = new Set(['ui.start', 'ui.certificateService', 'ui.domicileRegistration', 'ui.pinResetService', 'ui.acceptTerms', 'ui.confirm', 'ui.back', 'ui.cancel', 'ui.done', 'ui.continue']);
const CORRECTABLE = ['certificate-select', 'type-select', 'info-select', 'copies'] as const;

/** Ids (residents, municipalities) are short plain strings; anything longer is no id of this kiosk. */
export const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= INPUT_LIMITS.idLength;
export const isOneOf = <T extends string>(v: unknown, values: readonly T[]): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);
const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * A checked value, or what is wrong with it (to be worded by the caller: the runtime's error, the center's 400):
 * `field` names the part at fault (`members`), `missing` says it was not there at all.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string; field?: string; missing?: boolean };
const good = <T>(value: T): Checked<T> => ({ ok: true, value });
const wrong = (problem: string, field?: string, of?: Record<string, unknown>): Checked<never> =>
  ({ ok: false, problem, ...(field ? { field, missing: of?.[field] === undefined } : {}) });

/** A certificate's sub-type, rebuilt from the fields it may carry. */
export function checkSubtype(v: unknown): Checked<Subtype> {
  if (!isRecord(v)) return wrong('subtype is an object');
  switch (v.kind) {
    case 'juminhyo':
      if (!isOneOf(v.scope, JUMINHYO_SCOPES)) return wrong(`a 住民票 subtype's scope is one of ${JUMINHYO_SCOPES.join(', ')}`, 'scope', v);
      if (!Array.isArray(v.members) || v.members.length > INPUT_LIMITS.members || !v.members.every(isId)) {
        return wrong(`a 住民票 subtype's members are a list of at most ${INPUT_LIMITS.members} resident ids`, 'members', v);
      }
      return good({ kind: 'juminhyo', scope: v.scope, members: [...v.members] });
    case 'koseki':
      if (!isOneOf(v.form, KOSEKI_FORMS)) return wrong(`a 戸籍 subtype's form is one of ${KOSEKI_FORMS.join(', ')}`, 'form', v);
      if (!(v.person === null || isId(v.person))) return wrong("a 戸籍 subtype's person is a resident id or null", 'person', v);
      return good({ kind: 'koseki', form: v.form, person: v.person });
    case 'kazei': {
      const { from, to } = INPUT_LIMITS.year;
      if (!Number.isInteger(v.year) || (v.year as number) < from || (v.year as number) > to) return wrong(`a tax subtype's year is a whole number from ${from} to ${to}`, 'year', v);
      if (v.taxKind === undefined) return good({ kind: 'kazei', year: v.year as number });
      if (!isOneOf(v.taxKind, TAX_KINDS)) return wrong(`a tax subtype's taxKind is one of ${TAX_KINDS.join(', ')}`, 'taxKind', v);
      return good({ kind: 'kazei', year: v.year as number, taxKind: v.taxKind });
    }
    case 'fuhyo':
      return isId(v.person) ? good({ kind: 'fuhyo', person: v.person }) : wrong("a 附票 subtype's person is a resident id", 'person', v);
    default:
      return wrong(`a subtype's kind is one of ${SUBTYPE_KINDS.join(', ')}`, 'kind', v);
  }
}

/** The information options: every key, each true or false (`partial`: a missing key is false). */
export function checkInfoOptions(v: unknown, o: { partial?: boolean } = {}): Checked<InfoOptions> {
  if (!isRecord(v)) return wrong('options is an object');
  const invalid = INFO_KEYS.find((k) => !(typeof v[k] === 'boolean' || (o.partial && v[k] === undefined)));
  if (invalid) return wrong(`options has the booleans ${INFO_KEYS.join(', ')}`, invalid, v);
  return good(Object.fromEntries(INFO_KEYS.map((k) => [k, v[k] === true])) as unknown as InfoOptions);
}

/**
 * The event a screen may send, rebuilt from the fields it may carry (anything else is dropped: a stray `at` must not
 * set the machine's time), or a KioskInputError.
 */
export function checkUiInput(input: unknown): UiInput {
  if (!isRecord(input)) throw new KioskInputError('an event is an object with a type');
  const e = input;
  const bad = (what: string): never => {
    throw new KioskInputError(`${String(e.type).slice(0, 40)}: ${what}`);
  };
  const checked = <T>(c: Checked<T>): T => (c.ok ? c.value : bad(c.field ? `${c.field}: ${c.problem}` : c.problem));
  if (typeof e.type !== 'string') return bad('no type');
  if (TAPS_WITHOUT_DATA.has(e.type)) return { type: e.type } as UiInput;
  switch (e.type) {
    case 'ui.otherService':
      return isOneOf(e.service, OTHER_SERVICES) ? { type: e.type, service: e.service } : bad(`service is ${OTHER_SERVICES.join(', ')}`);
    case 'ui.chooseMedium':
      return isOneOf(e.medium, MEDIUMS) ? { type: e.type, medium: e.medium } : bad(`medium is ${MEDIUMS.join(' or ')}`);
    case 'ui.choosePinToReset':
      return isOneOf(e.pin, RESETTABLE_PINS) ? { type: e.type, pin: e.pin } : bad(`pin is ${RESETTABLE_PINS.join(' or ')}`);
    case 'ui.selectCity':
      if (!isOneOf(e.scope, SCOPES)) return bad(`scope is ${SCOPES.join(' or ')}`);
      if (e.city !== undefined && e.city !== null && !isId(e.city)) return bad('city is a municipality code');
      return isId(e.city) ? { type: e.type, scope: e.scope, city: e.city } : { type: e.type, scope: e.scope };
    case 'ui.selectCertificate':
      return isOneOf(e.certificate, CERTIFICATES) ? { type: e.type, certificate: e.certificate } : bad(`certificate is one of ${CERTIFICATES.join(', ')}`);
    case 'ui.selectType':
      return { type: e.type, subtype: checked(checkSubtype(e.subtype)) };
    case 'ui.selectInfo':
      return { type: e.type, options: checked(checkInfoOptions(e.options)) };
    case 'ui.selectCopies':
      return Number.isInteger(e.copies) && (e.copies as number) >= 0 && (e.copies as number) <= INPUT_LIMITS.copies ? { type: e.type, copies: e.copies as number } : bad('copies is a whole number');
    case 'ui.correct':
      return isOneOf(e.step, CORRECTABLE) ? { type: e.type, step: e.step } : bad(`step is one of ${CORRECTABLE.join(', ')}`);
    case 'ui.setLanguage':
      return isOneOf(e.language, LANGUAGES) ? { type: e.type, language: e.language } : bad(`language is one of ${LANGUAGES.join(', ')}`);
    default:
      return bad('unknown event');
  }
}
