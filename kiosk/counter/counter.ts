// The ward-office counter (窓口) and the 24-hour call center: every event of a card's life that happens away from the
// kiosk (../shared/spec/card-life.md §9), performed on a card from the card store and recorded at the center. Each
// verb checks its preconditions first (the counter's hours, the card's state, the renewal window, the new PIN's form,
// who came) and refuses with the reason and what to do; then it changes the card in the clerk's hands (its PIN
// memory, its certificates: the card store writes it) and the center's records (one transaction with the action).
// The card is changed first: if the center's write then fails, the card is written back as it was.
//
// No PIN is kept, shown or recorded: a new PIN goes straight into the card's salted digest.
import { createHash, randomBytes } from 'node:crypto';
import { ApplicationRefused, type CardApplications } from '../../center/applications.ts';
import { registryFor, type CardLife, type CardStanding } from '../../center/card-life.ts';
import { isPermanent } from '../../center/documents.ts';
import type { Application, CounterAction, ResidentChange, RevocationCause } from '../../center/records/center-records.ts';
import { householdOfResident, type Persona, type Registry, type Resident } from '../../center/registry.ts';
import type { CollectionNotice } from '../../printer/document.ts';
import { afterBusinessDays, ageOn, cardValidity, certificateValidity, counterClosure, newPinProblem, renewalOpensOn, type CounterPin } from '../../machine/rules/card-life.ts';
import { japanTime } from '../../machine/rules/japan-time.ts';
import type { Municipality } from '../../machine/types.ts';
import { pinSecret, secretMatches } from '../../reader/virtual-card.ts';
import type { SampleData } from '../../samples/sample-data.ts';
import type { CardRecord, CardStore } from '../card-store.ts';
import { CardStoreError } from '../card-store.ts';
import { DOMICILE_APPROVAL_DAYS, RESET_RESERVATION_MS } from '../../center/sim-center.ts';

export const COUNTER_VERBS = [
  'status', 'apply', 'notice', 'collect', 'reset-pin', 'change-pin', 'report-lost', 'cancel-suspension', 'reissue', 'renew', 'issue-certificates', 'change-address',
  'change-name', 'register-domicile', 'return-card', 'move-out', 'move-in', 'continue-card', 'death', 'reserve-pin-reset',
] as const;
export type CounterVerb = (typeof COUNTER_VERBS)[number];

/** Who came to the counter for a PIN reset (seed 001): the holder, a legal representative, or a voluntary proxy. */
export const VISITORS = ['holder', 'representative', 'proxy'] as const;
export type Visitor = (typeof VISITORS)[number];

/**
 * A move to another city (card-life.md §7.2): the 転入届 within 14 days of the 転出届 (the simulator takes the day of
 * the 転出届 as the day of the move and does not model the 転出予定日), then the 継続利用 within 90 days of the
 * 転入届, counted from the day after it.
 */
export const MOVE_IN_DAYS = 14;
/** What the holder hands back when collecting the card (card-life.md §8: the old 住基カード, the 通知カード). */
export const HANDED_BACK = ['juki-card', 'notification-card'] as const;

/** The days an office keeps a new card for its holder when the city does not say (Municipality.cardKeptDays). */
export const CARD_KEPT_DAYS = 90;
export const CONTINUATION_DAYS = 90;

/** The PINs by the names the counter uses: 利用者証明用 (auth), 署名用 (sign), 券面事項入力補助用 (kenhojo). */
export const COUNTER_PINS: Record<string, CounterPin> = { auth: 'auth', sign: 'sign', kenhojo: 'cardInfo' };

/**
 * The next-day rule after each kind of change (card-life.md §10: UNCONFIRMED except after a PIN change, a move in and
 * issuance): the user-authentication certificate may be used at a kiosk from the next 0:00 Japan time.
 */
export interface CounterSettings {
  /** Business days the 本籍地 city takes to approve a 利用登録 (1–3, konbini-service-facts S18). */
  domicileApprovalDays: number;
  nextDayAfterReset: boolean;
  nextDayAfterChange: boolean;
  nextDayAfterRenewal: boolean;
  nextDayAfterCancel: boolean;
}

/** Toshima states the rule for a PIN change; a reset is the same operation with another form, so it is not applied. */
export const COUNTER_SETTINGS: CounterSettings = { domicileApprovalDays: DOMICILE_APPROVAL_DAYS, nextDayAfterReset: false, nextDayAfterChange: true, nextDayAfterRenewal: true, nextDayAfterCancel: true };

/** Refusals that are the caller's input, not the card's state (exit 2 on the command line, 400 from the API). */
export const INPUT_REFUSALS: readonly string[] = ['bad-pin-name', 'bad-new-pin', 'bad-name', 'bad-pin', 'bad-address', 'unknown-city', 'bad-handed-back'];

/** A precondition not met: `reason` for scripts, the message says why and what to do. */
export class CounterRefusal extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'CounterRefusal';
  }
}

/** What the counter needs of the center: its records of cards' lives and its registers (a SimCenter has them). */
export interface CounterCenter {
  readonly life: CardLife;
  readonly registry: Registry;
  readonly municipalities: Municipality[];
  /** J-LIS's applications: the cards made of them reach the holder's office (applications.ts). */
  readonly applications: CardApplications;
  /** The resident as the center knows them now (card-life.ts residentNow). */
  resident(id: string): Resident | undefined;
}

export interface CounterOptions {
  cards: CardStore;
  center: CounterCenter;
  data: SampleData;
  clock: { now(): string };
  /** Who is at the desk, recorded with every action (e.g. 中原区役所 区民課 窓口1). */
  desk?: string;
  settings?: Partial<CounterSettings>;
}

/** What the counter tells after taking an application: the application, and when its card comes. */
export interface ApplicationResult {
  application: Application;
  summary: string;
  /** The Japan date the card reaches the office (the holder is sent the 交付通知書 then). */
  arrivesOn: string;
}

/** What a counter tells after an action: the action recorded, and the card and the center as they are now. */
export interface CounterResult {
  action: CounterAction | null;
  /** One line for a person, in English (the clerk's screen words it in Japanese from `action.action`). */
  summary: string;
  status: CounterStatus;
}

/** A card as the counter sees it: the card's own state (counters, certificates) and the center's. */
export interface CounterStatus {
  card: string;
  persona: string;
  holder: { name: string; birthDate: string; city: string; cityName: string } | null;
  pins: Partial<Record<'auth' | 'sign' | 'kenhojo', { triesLeft: number; locked: boolean }>>;
  center: CardStanding;
  /** The certificates' renewal: from when, and whether it is open now. */
  renewal: { opensOn: string; open: boolean } | null;
  /** A new card waiting at the office for its holder (kiosk counter collect): the last day it is kept, or null. */
  collection: { keptUntil: string } | null;
  /** Whether the counter of the holder's city is open now (and why not). */
  counter: { open: boolean; closed: string | null };
  history: CardRecord['history'];
}

const PIN_LABEL: Record<CounterPin, string> = { auth: 'user-authentication PIN (利用者証明用)', sign: 'signature password (署名用)', cardInfo: 'card-information PIN (券面事項入力補助用)' };
const MAX_TRIES: Record<CounterPin, number> = { auth: 3, sign: 5, cardInfo: 3 };

export class WardCounter {
  readonly #cards: CardStore;
  readonly #center: CounterCenter;
  readonly #life: CardLife;
  readonly #data: SampleData;
  readonly #clock: CounterOptions['clock'];
  readonly #desk: string;
  readonly #settings: CounterSettings;

  constructor(o: CounterOptions) {
    this.#cards = o.cards;
    this.#center = o.center;
    this.#life = o.center.life;
    this.#data = o.data;
    this.#clock = o.clock;
    this.#desk = o.desk ?? 'counter';
    this.#settings = { ...COUNTER_SETTINGS, ...o.settings };
  }

  /**
   * A card by its id (kawasaki-taro-2) or its persona (that persona's current card). A card J-LIS made of the
   * persona's application that has reached the office by now is received first: it is the persona's current card.
   */
  resolve(card: string): string {
    this.#receive(card);
    const current = this.#cards.current(card);
    if (current) return current;
    if (/-\d+$/.test(card)) {
      this.#record(card);
      return card;
    }
    const p = this.#data.persona(card); // an unknown persona throws with the list
    const applications = this.#center.applications;
    const pending = p.resident ? this.#life.records.applications(p.resident).find((a) => a.card === null && !applications.voided(a)) : undefined;
    if (pending) throw new CounterRefusal('no-card', `${card}'s card is being made: it reaches the office on ${japanTime(this.#center.applications.arrivesAt(pending)).date}`);
    throw new CounterRefusal('no-card', `${card} has no card yet: one is made when it is first put on a reader (or with kiosk card new --persona ${card})`);
  }

  status(card: string): CounterStatus {
    const id = this.resolve(card);
    const record = this.#record(id);
    const resident = this.#resident(record.persona);
    const city = resident ? this.#cityOf(resident) : null;
    const standing = this.#life.standing(id, record.persona, certificatesOf(record));
    const auth = standing.certificates.find((c) => c.kind === 'auth');
    const opensOn = auth ? renewalOpensOn(auth.notAfter) : null;
    const pins: CounterStatus['pins'] = {};
    for (const [name, pin] of Object.entries(COUNTER_PINS)) {
      const m = record.memory[pin];
      if (m.secret) pins[name as keyof typeof pins] = { triesLeft: m.triesLeft, locked: m.triesLeft === 0 };
    }
    const closed = city ? counterClosure(city, this.#clock.now()) : 'no-counter';
    return {
      card: id, persona: record.persona,
      holder: resident && city ? { name: resident.name, birthDate: resident.birthDate, city: city.code, cityName: city.name } : null,
      pins, center: standing,
      renewal: opensOn ? { opensOn, open: japanTime(this.#clock.now()).date >= opensOn } : null,
      collection: record.variant?.uncollected && city ? { keptUntil: this.#keptUntil(record, city) } : null,
      counter: { open: closed === null, closed },
      history: record.history,
    };
  }

  /**
   * The collection of a new card (交付, card-life.md §2): the card J-LIS made waits at the office (kiosk card new
   * --uncollected) until its holder comes, during the office's hours and within the days the city keeps it. The
   * holder sets the PINs on the counter's touch panel: one 4-digit PIN for ② and ④ (the combined setting most offices
   * offer) and the signature password ①. The certificates are issued now, as the notice's name says (個人番号カード
   * 交付・電子証明書発行通知書): valid from now, usable at the kiosk from 0:00 tomorrow. None for a card whose
   * certificates were declined at application; no signature certificate under 15 or for an adult ward (L10, L43).
   * A holder who cannot come sends a proxy with the notice's 照会書 answered; a child's legal representative comes
   * with the child. The old card (a renewal's or a re-issue's) is not asked back here: `return-card` records it.
   */
  collect(o: { card: string; newPin: string; password?: string; who?: Visitor; answered?: boolean; handedBack?: readonly string[] }): CounterResult {
    const handedBack = [...new Set(o.handedBack ?? [])];
    const unknown = handedBack.find((x) => !(HANDED_BACK as readonly string[]).includes(x));
    if (unknown !== undefined) throw new CounterRefusal('bad-handed-back', `what is handed back at collection is ${HANDED_BACK.join(' or ')}, not "${unknown.slice(0, 30)}"`);
    const pin = this.#newPin('auth', o.newPin);
    if (o.password !== undefined) this.#newPin('sign', o.password);
    const { id, record, resident } = this.#visit(o.card, 'a new card is handed over');
    if (!record.variant?.uncollected) throw new CounterRefusal('already-collected', `${id} was handed over already (its PINs are set): a PIN is changed or reset, not set again`);
    if (record.kind !== 'my-number-card') throw new CounterRefusal('not-a-my-number-card', `${id} is a ${record.kind}: only a My Number Card is collected at the counter`);
    const city = this.#cityOf(resident);
    const keptUntil = this.#keptUntil(record, city);
    const today = japanTime(this.#clock.now()).date;
    if (today > keptUntil) {
      throw new CounterRefusal('collection-expired', `${id} was kept at the office until ${keptUntil} (${city.cardKeptDays ?? CARD_KEPT_DAYS} days) and has been destroyed: the holder applies for a card again`);
    }
    const who = o.who ?? 'holder';
    const minor = ageOn(resident.birthDate, today) < 15 || !!resident.statuses?.includes('adult-ward');
    if (who === 'representative' && !minor) throw new CounterRefusal('not-a-representative', 'a legal representative collects the card of a holder under 15 or an adult ward only; this holder comes in person (or, unable to, sends a proxy)');
    if (who === 'proxy' && !o.answered) {
      throw new CounterRefusal('no-inquiry', "a proxy collects a card only when the holder cannot come (illness, disability), with the notice's 照会書 answered by the holder: come back with it (--answered)");
    }
    const withCertificates = !record.variant.declined;
    const withSign = withCertificates && !minor;
    if (withSign && o.password === undefined) throw new CounterRefusal('password-needed', `${id} gets a signature certificate: its holder sets the signature password (署名用, 6-16 of A-Z and 0-9 with a letter and a digit) too`);
    if (!withSign && o.password !== undefined) {
      throw new CounterRefusal('no-signature-certificate', `${id} gets no signature certificate (${withCertificates ? 'a holder under 15 or an adult ward' : 'the certificates were declined at application'}): leave its password out`);
    }
    const fresh = withCertificates ? this.#mint(record.persona, resident, false) : null;
    const action = this.#changeCard(id, record, 'collect', { who, certificates: fresh ? (withSign ? fresh.serials : { auth: fresh.serials.auth }) : null, handedBack }, (r) => {
      if (fresh) r.certificates = { auth: fresh.der.auth.toString('base64'), sign: withSign ? fresh.der.sign.toString('base64') : undefined };
      r.memory = {
        auth: { secret: fresh ? pinSecret(o.newPin) : null, triesLeft: MAX_TRIES[pin] },
        sign: { secret: withSign ? pinSecret(o.password!) : null, triesLeft: MAX_TRIES.sign },
        cardInfo: { secret: pinSecret(o.newPin), triesLeft: MAX_TRIES.cardInfo },
        // The combined setting covers the 住基AP's PIN too (the 4-digit PINs are one choice at collection).
        juki: { secret: pinSecret(o.newPin), triesLeft: 3 },
      };
      const { uncollected: _, ...variant } = r.variant ?? {};
      r.variant = variant;
      return [{ event: 'counter', action: 'collect' }];
    }, (change) => {
      // As after any issuance: the kiosk takes the card from the next day (kiosk.md "not yet valid", L14).
      change.setCard('active', null, change.nextJapanMidnight());
    });
    const what = fresh ? `its certificates issued${withSign ? '' : ' (no signature certificate)'}, usable at the kiosk from 0:00 tomorrow` : 'without electronic certificates (declined at application)';
    const back = handedBack.length ? `; the ${handedBack.map((x) => (x === 'juki-card' ? '住基カード' : '通知カード')).join(' and the ')} handed back (kept by the office)` : '';
    return this.#result(action, `${id} is handed over to ${who === 'holder' ? 'its holder' : who === 'proxy' ? "the holder's proxy" : "the holder's legal representative"}: its PINs are set, ${what}${back}`);
  }

  /**
   * An application for a card at the counter (申請時来庁方式, photo-booth.md §7): the office prints a form for the
   * resident, takes the photograph (free) and sends the application to J-LIS, during its hours. The card reaches the
   * office weeks later (applications.ts) and is handed over then (collect). `persona` needs no card yet.
   */
  apply(o: { persona: string; certificates?: boolean; braille?: boolean; form?: string }): ApplicationResult {
    const p = this.#data.persona(o.persona);
    const resident = p.resident ? this.#center.resident(p.resident) : undefined;
    if (!resident || p.card.kind !== 'my-number-card') throw new CounterRefusal('not-a-resident', `${o.persona} is nobody registered in these cities: no card is applied for here`);
    this.#needOpen(resident, 'an application is taken');
    const jlis = this.#center.applications;
    try {
      // A form that came by mail (its photo glued on, its boxes filled) is scanned here; otherwise the office prints one.
      const form = o.form !== undefined ? jlis.check(o.form.replace(/\s/g, '')).form : jlis.printForm(resident.id);
      if (form.resident !== resident.id) throw new CounterRefusal('not-their-form', `form ${form.id} was printed for someone else, not ${resident.name}`);
      const photo = createHash('sha256').update(`${o.form !== undefined ? 'the photograph glued on the mailed form' : "the counter's photograph"} of ${resident.id} at ${this.#clock.now()}`).digest('hex');
      const application = jlis.apply({
        form: form.id, route: o.form !== undefined ? 'mail' : 'counter', by: this.#desk, birthDate: resident.birthDate, certificates: o.certificates ?? true, braille: o.braille ?? false, photoSha256: photo,
      });
      const arrivesOn = japanTime(jlis.arrivesAt(application)).date;
      return {
        application, arrivesOn,
        summary: `${resident.name}'s application (form ${form.id}) is sent to J-LIS${application.certificates ? '' : ' without electronic certificates'}: the card reaches the office on ${arrivesOn}, and is handed over from then (kiosk counter collect)`,
      };
    } catch (e) {
      if (e instanceof ApplicationRefused) throw new CounterRefusal(e.reason, e.message);
      throw e;
    }
  }

  /**
   * The 交付通知書 兼 照会書 of a card waiting at the office (what the municipality mails when it arrives): the holder,
   * the office of their ward and its hours, the last day it is kept. Refused for a card handed over already.
   */
  notice(card: string): CollectionNotice {
    const id = this.resolve(card);
    const record = this.#record(id);
    const resident = this.#needResident(record);
    if (!record.variant?.uncollected) throw new CounterRefusal('already-collected', `${id} was handed over already: no notice is sent for it`);
    const city = this.#cityOf(resident);
    const household = householdOfResident(registryFor(this.#center.registry, this.#life.records, resident), resident);
    const office = city.pinReset?.offices.find((o) => o.name === household.ward) ?? city.pinReset?.offices[0];
    const h = city.pinReset?.hours;
    const hours = h ? `平日 ${h.weekdays.open}〜${h.weekdays.close}${h.saturdays ? `、第${h.saturdays.weeks.join('・第')}土曜 ${h.saturdays.open}〜${h.saturdays.close}` : ''}（祝日・年末年始を除く）` : `${city.name}の開庁時間`;
    const arrived = record.history.find((e) => e.event === 'made');
    return {
      cardId: id, name: resident.name, address: this.#life.records.resident(resident.id)?.address ?? household.address, birthDate: resident.birthDate,
      arrivedOn: japanTime(arrived?.at ?? record.madeAt).date, keptUntil: this.#keptUntil(record, city), municipality: city.name,
      office: office ? { name: office.office, address: office.address } : null, hours, certificates: !record.variant.declined, printedAt: this.#clock.now(),
    };
  }

  /** Resets a PIN (any of the card's), its counter back to full: seed 001's procedure, during the office's hours. */
  resetPin(o: { card: string; pin: string; newPin: string; who?: Visitor; answered?: boolean }): CounterResult {
    const pin = this.#newPin(o.pin, o.newPin);
    const { id, record, resident } = this.#visit(o.card, 'a PIN is reset', 'have its PIN reset');
    if (!record.memory[pin].secret) throw new CounterRefusal('no-such-pin', `${id} has no ${PIN_LABEL[pin]}: its certificate was never issued`);
    const who = o.who ?? 'holder';
    if (who === 'representative' && !(ageOn(resident.birthDate, japanTime(this.#clock.now()).date) < 15 || resident.statuses?.includes('adult-ward'))) {
      throw new CounterRefusal('not-a-representative', 'a legal representative resets the PIN of a holder under 15 or an adult ward only; this holder comes in person (or sends a proxy)');
    }
    if (who === 'proxy' && !o.answered) {
      // The first of a proxy's two visits: the office mails the 照会書兼回答書 to the holder's address.
      const action = this.#act(id, record, 'proxy-applied', { pin: o.pin }, () => {});
      return this.#result(action, `the inquiry (照会書兼回答書) is mailed to the holder's address; the proxy comes back with it answered (kiosk counter reset-pin --who proxy --answered)`);
    }
    if (who === 'proxy' && !this.#life.records.actions(id).some((a) => a.action === 'proxy-applied' && a.detail.pin === o.pin)) {
      throw new CounterRefusal('no-inquiry', 'no inquiry was mailed for this PIN: the proxy applies first (without --answered), and comes back with the answer');
    }
    const action = this.#changeCard(id, record, 'reset-pin', { pin: o.pin, who }, (r) => {
      r.memory[pin] = { secret: pinSecret(o.newPin), triesLeft: MAX_TRIES[pin] };
      return [{ event: 'counter', action: 'reset-pin', pin }];
    }, (change) => {
      if (this.#settings.nextDayAfterReset && pin === 'auth') change.setCard('active', null, change.nextJapanMidnight());
    });
    return this.#result(action, `the ${PIN_LABEL[pin]} of ${id} is reset: ${MAX_TRIES[pin]} tries`);
  }

  /**
   * The JPKI 暗証番号リセット app's step (card-life.md §3.3; not a counter: any hour, by the holder's smartphone): the
   * card read over NFC, the *other* PIN entered and checked (a wrong one spends a try, as on the card), the face
   * matched, and a reset of `pin` (auth ② or sign ①) reserved for 24 hours at a kiosk. Both certificates must be good.
   */
  reservePinReset(o: { card: string; pin: string; other: string }): CounterResult {
    if (o.pin !== 'auth' && o.pin !== 'sign') throw new CounterRefusal('bad-pin-name', `the app resets auth (利用者証明用) or sign (署名用) only, not "${o.pin.slice(0, 20)}"; the others are reset at the counter`);
    const pin: 'auth' | 'sign' = o.pin;
    const other = pin === 'auth' ? 'sign' : 'auth';
    const id = this.resolve(o.card);
    const record = this.#record(id);
    this.#needResident(record);
    this.#needUsableCard(id, record, 'have a PIN reset');
    const standing = this.#life.standing(id, record.persona, certificatesOf(record));
    for (const kind of ['auth', 'sign'] as const) {
      const c = standing.certificates.find((x) => x.kind === kind);
      if (!c || c.status !== 'good') {
        throw new CounterRefusal('certificate-unusable', `the ${kind === 'auth' ? '利用者証明用' : '署名用'} certificate of ${id} is ${c ? c.status : 'missing'}: a reset needs both certificates valid; have them issued again at the counter`);
      }
    }
    const m = record.memory[other];
    if (m.triesLeft === 0) throw new CounterRefusal('other-pin-locked', `the ${PIN_LABEL[other]} is locked too: both PINs are reset at the counter only`);
    if (!secretMatches(m.secret, o.other)) {
      const left = m.triesLeft - 1;
      this.#cards.alter(id, 'JPKI暗証番号リセット app', (r) => {
        r.memory[other] = { ...r.memory[other], triesLeft: left };
        return [{ event: 'counter', action: 'reserve-pin-reset', pin: other }];
      });
      throw new CounterRefusal('wrong-pin', `the ${PIN_LABEL[other]} is wrong: ${left} tries left${left === 0 ? ' (locked: both PINs are reset at the counter only)' : ''}`);
    }
    // A right PIN gives its counter back, as the card's VERIFY does.
    if (m.triesLeft < MAX_TRIES[other]) {
      this.#cards.alter(id, 'JPKI暗証番号リセット app', (r) => {
        r.memory[other] = { ...r.memory[other], triesLeft: MAX_TRIES[other] };
        return [{ event: 'counter', action: 'reserve-pin-reset', pin: other }];
      });
    }
    const until = new Date(Date.parse(this.#clock.now()) + RESET_RESERVATION_MS).toISOString();
    const action = this.#life.perform({ card: id, persona: record.persona, action: 'reserve-pin-reset', by: 'JPKI暗証番号リセット app', detail: { pin, until } }, (change) => {
      // The kiosk's center finds the card by its certificates' serials.
      change.register(certificatesOf(record));
    });
    const u = japanTime(until);
    const untilText = `${u.date} ${String(u.hour).padStart(2, '0')}:${String(u.minute).padStart(2, '0')} Japan time`;
    return this.#result(action, `a reset of the ${PIN_LABEL[pin]} of ${id} is reserved until ${untilText}: at a kiosk (行政サービス → 暗証番号リセット, 6:30-23:00) with the ${PIN_LABEL[other]}`);
  }

  /** Changes a PIN the holder knows (not a locked one): the kiosk takes the card from the next day. */
  changePin(o: { card: string; pin: string; newPin: string }): CounterResult {
    const pin = this.#newPin(o.pin, o.newPin);
    const { id, record, resident } = this.#visit(o.card, 'a PIN is changed', 'have its PIN changed');
    const m = record.memory[pin];
    if (!m.secret) throw new CounterRefusal('no-such-pin', `${id} has no ${PIN_LABEL[pin]}`);
    if (m.triesLeft === 0) throw new CounterRefusal('pin-locked', `the ${PIN_LABEL[pin]} is locked: it is reset, not changed (kiosk counter reset-pin)`);
    const action = this.#changeCard(id, record, 'change-pin', { pin: o.pin }, (r) => {
      r.memory[pin] = { secret: pinSecret(o.newPin), triesLeft: MAX_TRIES[pin] };
      return [{ event: 'counter', action: 'change-pin', pin }];
    }, (change) => {
      if (this.#settings.nextDayAfterChange && pin === 'auth') change.setCard('active', null, change.nextJapanMidnight());
    });
    return this.#result(action, `the ${PIN_LABEL[pin]} of ${id} is changed${this.#settings.nextDayAfterChange && pin === 'auth' ? '; the kiosk takes the card from 0:00 tomorrow' : ''}`);
  }

  /** The call to マイナンバー総合フリーダイヤル 0120-95-0178 (24 hours): the card suspended, its certificates on hold. */
  reportLost(o: { card: string; police?: string }): CounterResult {
    const id = this.resolve(o.card);
    const record = this.#record(id);
    if (record.variant?.uncollected) throw new CounterRefusal('not-collected', `${id} has not left the office yet (it waits for its holder): nothing to suspend`);
    const standing = this.#life.standing(id, record.persona, certificatesOf(record));
    if (standing.status !== 'active') throw new CounterRefusal(`card-${standing.status}`, `${id} is already ${standing.status}`);
    const action = this.#life.perform({ card: id, persona: record.persona, action: 'report-lost', by: 'call-center', detail: o.police ? { police: o.police } : {} }, (change) => {
      change.setCard('suspended', 'lost');
      change.setCertificates(certificatesOf(record), 'hold', 'lost');
    });
    return this.#result(action, `${id} is suspended (一時停止) and its certificates are on hold: found again, cancel the suspension at the counter; not found, re-issue`);
  }

  /** The card found again: the suspension cancelled at the counter, new certificates (the held ones are revoked). */
  cancelSuspension(o: { card: string }): CounterResult {
    const { id, record, resident } = this.#visit(o.card, 'a suspension is cancelled');
    const standing = this.#life.standing(id, record.persona, certificatesOf(record));
    if (standing.status !== 'suspended') throw new CounterRefusal(`card-${standing.status}`, `${id} is ${standing.status}, not suspended`);
    const old = certificatesOf(record);
    const fresh = this.#mint(record.persona, resident, false, this.#cardEnds(id, record, resident));
    const action = this.#changeCard(id, record, 'cancel-suspension', { serials: fresh.serials }, (r) => {
      r.certificates = { auth: fresh.der.auth.toString('base64'), sign: record.certificates.sign ? fresh.der.sign.toString('base64') : undefined };
      return [{ event: 'counter', action: 'cancel-suspension' }];
    }, (change) => {
      change.setCertificates(old, 'revoked', 'suspension-cancelled');
      change.setCertificates(this.#kept(fresh.der, record), 'good', null);
      change.setCard('active', null, this.#settings.nextDayAfterCancel ? change.nextJapanMidnight() : null);
    });
    return this.#result(action, `the suspension of ${id} is cancelled: new certificates (the held ones are revoked)${this.#settings.nextDayAfterCancel ? ', usable at the kiosk from 0:00 tomorrow' : ''}`);
  }

  /** Renews the electronic certificates, from 3 months before they expire (§6.2). */
  renew(o: { card: string }): CounterResult {
    const { id, record, resident } = this.#visit(o.card, 'certificates are renewed', 'have its certificates renewed');
    const standing = this.#life.standing(id, record.persona, certificatesOf(record));
    const auth = standing.certificates.find((c) => c.kind === 'auth');
    if (!auth) throw new CounterRefusal('no-certificate', `${id} has no user-authentication certificate: it is issued, not renewed`);
    const opensOn = renewalOpensOn(auth.notAfter);
    const today = japanTime(this.#clock.now()).date;
    if (auth.status === 'good' && today < opensOn) {
      throw new CounterRefusal('too-early', `the certificates of ${id} expire on ${japanTime(auth.notAfter).date}; they can be renewed from ${opensOn} (3 months before)`);
    }
    const cardEnds = this.#cardEnds(id, record, resident);
    if (cardEnds && Date.parse(cardEnds) < Date.parse(this.#clock.now())) {
      throw new CounterRefusal('card-expired', `${id} itself expired on ${japanTime(cardEnds).date}: its certificates cannot outlive it; a new card is applied for`);
    }
    const old = certificatesOf(record);
    const fresh = this.#mint(record.persona, resident, true, cardEnds);
    const action = this.#changeCard(id, record, 'renew', { serials: fresh.serials, notAfter: fresh.validity.notAfter }, (r) => {
      r.certificates = { auth: fresh.der.auth.toString('base64'), sign: record.certificates.sign ? fresh.der.sign.toString('base64') : undefined };
      return [{ event: 'counter', action: 'renew' }];
    }, (change) => {
      change.setCertificates(old, 'revoked', 'renewed');
      change.setCertificates(this.#kept(fresh.der, record), 'good', null);
      change.setCard('active', null, this.#settings.nextDayAfterRenewal ? change.nextJapanMidnight() : null);
    });
    return this.#result(action, `the certificates of ${id} are renewed to ${japanTime(fresh.validity.notAfter).date}${this.#settings.nextDayAfterRenewal ? ', usable at the kiosk from 0:00 tomorrow' : ''}`);
  }

  /**
   * The user-authentication certificate issued to a card that has none (declined at application, L13), with its
   * 4-digit PIN; the kiosk takes it from the next day. (The signature certificate is asked for separately.)
   */
  issueCertificates(o: { card: string; newPin: string }): CounterResult {
    const pin = this.#newPin('auth', o.newPin);
    const { id, record, resident } = this.#visit(o.card, 'certificates are issued', 'have certificates issued');
    const auth = this.#life.standing(id, record.persona, certificatesOf(record)).certificates.find((c) => c.kind === 'auth');
    if (auth && auth.status === 'good') throw new CounterRefusal('has-certificate', `${id} has a valid user-authentication certificate: it is renewed from 3 months before expiry, not issued again`);
    const fresh = this.#mint(record.persona, resident, false);
    const old = certificatesOf(record);
    const action = this.#changeCard(id, record, 'issue-certificates', { serials: { auth: fresh.serials.auth } }, (r) => {
      r.certificates = { ...r.certificates, auth: fresh.der.auth.toString('base64') };
      r.memory[pin] = { secret: pinSecret(o.newPin), triesLeft: MAX_TRIES[pin] };
      return [{ event: 'counter', action: 'issue-certificates', pin }];
    }, (change) => {
      if (old.auth) change.setCertificates({ auth: old.auth }, 'revoked', 'renewed');
      change.setCard('active', null, change.nextJapanMidnight());
    });
    return this.#result(action, `a user-authentication certificate is issued to ${id} with its PIN, usable at the kiosk from 0:00 tomorrow`);
  }

  /** A new card (紛失届 and re-issue): the old one abolished with its certificates, the new one the persona's current. */
  reissue(o: { card: string; express?: boolean }): CounterResult {
    const { id, record, resident } = this.#visit(o.card, 'a card is re-issued');
    if (record.variant?.uncollected) throw new CounterRefusal('not-collected', `${id} waits at the office for its holder: it is handed over (kiosk counter collect), not re-issued`);
    const standing = this.#life.standing(id, record.persona, certificatesOf(record));
    if (standing.status === 'abolished') throw new CounterRefusal('card-abolished', `${id} is abolished already: the persona's current card is ${this.#cards.current(record.persona)}`);
    const withCertificates = !!record.certificates.auth;
    const fee = (o.express ? 2000 : 1000) - (withCertificates ? 0 : 200);
    const fresh = this.#mint(record.persona, resident, false);
    const made = this.#cards.make(record.persona, undefined, this.#desk, withCertificates ? { auth: fresh.der.auth, sign: record.certificates.sign ? fresh.der.sign : undefined } : {});
    let action: CounterAction;
    try {
      // The old card's end and the new card's start are one transaction at the center.
      action = this.#life.records.atomically(() => {
        const ended = this.#life.perform({ card: id, persona: record.persona, action: 'reissue', by: this.#desk, detail: { newCard: made.id, fee, express: !!o.express } }, (change) => {
          change.setCard('abolished', 'reissued');
          change.setCertificates(certificatesOf(record), 'revoked', 'reissued');
        });
        this.#life.perform({ card: made.id, persona: record.persona, action: 'issued', by: this.#desk, detail: { replaces: id, serials: fresh.serials } }, (change) => {
          change.setCertificates(this.#kept(fresh.der, record), 'good', null);
          // As after any collection: usable at the kiosk from the next day (kiosk.md "not yet valid").
          change.setCard('active', null, change.nextJapanMidnight());
        });
        return ended;
      });
    } catch (e) {
      // The center did not record it: the new card is taken back, and the old one stays the persona's current card.
      this.#cards.discard(made.id);
      throw e;
    }
    return this.#result(action, `${id} is abolished; the new card ${made.id} is handed over (fee ${fee} yen${o.express ? ', express' : ''}), usable at the kiosk from 0:00 tomorrow`, made.id);
  }

  /** A change of address within the city (転居): the signature certificate is revoked, the user one continues (§7.1). */
  changeAddress(o: { card: string; to?: string; address?: string }): CounterResult {
    const id = this.resolve(o.card);
    const record = this.#record(id);
    const resident = this.#needResident(record);
    const city = this.#cityOf(resident);
    if (o.to && o.to !== city.code && o.to !== city.name) {
      throw new CounterRefusal('other-city', `a move from ${city.name} to another city is a moving-out notice here (kiosk counter move-out), then a moving-in notice at the new city (kiosk counter move-in --to CITY) and the card's continuation there (kiosk counter continue-card)`);
    }
    this.#needOpen(resident, 'an address is changed');
    this.#needUsableCard(id, record, 'have its address changed');
    const sign = record.certificates.sign ? { sign: Buffer.from(record.certificates.sign, 'base64') } : {};
    const action = this.#life.perform({ card: id, persona: record.persona, action: 'change-address', by: this.#desk, detail: o.address ? { address: o.address } : {} }, (change) => {
      if (sign.sign) change.setCertificates(sign, 'revoked', 'address-changed');
      change.register(certificatesOf(record));
      this.#changeResident(resident.id, change.at, o.address ? { address: o.address } : {});
    });
    return this.#result(action, `the address of ${id}'s holder is changed in ${city.name}: the signature certificate is revoked, the user-authentication certificate continues`);
  }

  /** A change of name (marriage and others, §7.3): the signature certificate is revoked, the user one continues. */
  changeName(o: { card: string; name: string }): CounterResult {
    const name = o.name.trim();
    if (!name || name.length > 40 || /[\u0000-\u001f]/.test(name)) throw new CounterRefusal('bad-name', 'the new name is 1-40 characters');
    const { id, record, resident } = this.#visit(o.card, 'a name is changed', 'have its name changed');
    const action = this.#life.perform({ card: id, persona: record.persona, action: 'change-name', by: this.#desk, detail: { name } }, (change) => {
      if (record.certificates.sign) change.setCertificates({ sign: Buffer.from(record.certificates.sign, 'base64') }, 'revoked', 'name-changed');
      change.register(certificatesOf(record));
      this.#changeResident(resident.id, change.at, { name });
    });
    return this.#result(action, `the holder of ${id} is now ${name}: the signature certificate is revoked, the user-authentication certificate continues`);
  }

  /**
   * 戸籍証明書交付の利用登録 for a holder whose 本籍地 is another city: 戸籍 certificates of that city at the kiosk,
   * once it has approved (after a few business days), for as long as this user-authentication certificate is good.
   */
  registerDomicile(o: { card: string }): CounterResult {
    const { id, record, resident } = this.#visit(o.card, 'a 本籍地 is registered', 'be registered');
    const register = resident.familyRegister ? this.#center.registry.familyRegisters.get(resident.familyRegister) : undefined;
    const home = this.#cityOf(resident);
    if (!register) throw new CounterRefusal('no-family-register', `the holder of ${id} has no 戸籍 on record here`);
    if (register.city === home.code) throw new CounterRefusal('same-city', `the 本籍地 of ${id}'s holder is ${home.name}, where they live: no registration is needed`);
    const domicile = this.#center.municipalities.find((m) => m.code === register.city);
    if (!domicile?.participating) throw new CounterRefusal('city-not-participating', `the 本籍地 city does not take part in the konbini service`);
    const auth = this.#life.standing(id, record.persona, certificatesOf(record)).certificates.find((c) => c.kind === 'auth');
    if (!auth || auth.status !== 'good') throw new CounterRefusal('no-certificate', `${id} has no good user-authentication certificate: the registration is tied to one`);
    const usableFrom = afterBusinessDays(domicile, this.#clock.now(), this.#settings.domicileApprovalDays);
    const action = this.#life.perform({ card: id, persona: record.persona, action: 'register-domicile', by: this.#desk, detail: { city: domicile.code, usableFrom } }, (change) => {
      change.register(certificatesOf(record));
      this.#life.records.putDomicile({ resident: resident.id, city: domicile.code, appliedAt: change.at, usableFrom, certificate: auth.serial });
    });
    return this.#result(action, `the 本籍地 ${domicile.name} is registered for ${id}: its 戸籍 certificates at the kiosk from ${usableFrom.slice(0, 10)} (after ${this.#settings.domicileApprovalDays} business days)`);
  }

  /** The card handed back (自主返納): abolished with its certificates. */
  returnCard(o: { card: string }): CounterResult {
    const { id, record, resident } = this.#visit(o.card, 'a card is returned');
    const standing = this.#life.standing(id, record.persona, certificatesOf(record));
    if (standing.status === 'abolished') throw new CounterRefusal('card-abolished', `${id} is abolished already`);
    const action = this.#life.perform({ card: id, persona: record.persona, action: 'return-card', by: this.#desk }, (change) => {
      change.setCard('abolished', 'returned');
      change.setCertificates(certificatesOf(record), 'revoked', 'returned');
    });
    return this.#result(action, `${id} is handed back and abolished (自主返納)`);
  }

  /**
   * The moving-out notice (転出届): the kiosk refuses the holder until they move in elsewhere (kiosk counter move-in).
   * A card still waiting for its continuation after an earlier move lapses now (§7.2: moved again within the 90 days).
   */
  moveOut(o: { card: string }): CounterResult {
    const { id, record, resident } = this.#visit(o.card, 'a moving-out notice is taken');
    if (this.#life.records.resident(resident.id)?.movingOut) {
      throw new CounterRefusal('moved-out', `${resident.name} has filed a moving-out notice already: the moving-in notice is next, at the new city (kiosk counter move-in --to CITY)`);
    }
    const standing = this.#life.standing(id, record.persona, certificatesOf(record));
    const lapses = standing.status === 'active' && !!standing.continueBy;
    const action = this.#life.perform({ card: id, persona: record.persona, action: 'move-out', by: this.#desk, detail: lapses ? { lapsed: id } : {} }, (change) => {
      if (lapses) {
        change.setCard('abolished', 'not-continued');
        change.setCertificates(certificatesOf(record), 'revoked', 'not-continued');
      }
      this.#changeResident(resident.id, change.at, { movingOut: true, movedOutAt: change.at });
    });
    return this.#result(action, `${resident.name} has filed a moving-out notice: the kiosk refuses them (moved out) until they move in${lapses ? `; ${id}, not continued since the last move, has lapsed (失効)` : ''}`);
  }

  /**
   * The moving-in notice (転入届) at the new city, for a holder who filed a 転出届 within the last 14 days: they become
   * its resident, the signature certificate is revoked (the address changed, §7.1; the user-authentication one
   * continues) and the card waits for its continuation (継続利用, continue-card) for 90 days. Later than 14 days, the
   * 転入 is taken with a paper 転出証明書 and the card lapses (late-move-in): recorded, and refused.
   */
  moveIn(o: { card: string; to: string; address?: string }): CounterResult {
    const to = this.#municipality(o.to);
    const address = o.address?.trim();
    if (address !== undefined && (!address || address.length > 200 || /[\u0000-\u001f]/.test(address))) throw new CounterRefusal('bad-address', 'the new address is 1-200 characters');
    const id = this.resolve(o.card);
    const record = this.#record(id);
    const resident = this.#needResident(record);
    const was = this.#life.records.resident(resident.id);
    const from = this.#cityOf(resident);
    if (!was?.movingOut) {
      throw new CounterRefusal('not-moved-out', `${resident.name} has filed no moving-out notice: it comes first, at ${from.name} (kiosk counter move-out)`);
    }
    if (to.code === from.code) throw new CounterRefusal('not-another-city', `${resident.name} lives in ${to.name} already: a move within the city is a change of address (kiosk counter change-address)`);
    this.#needOpenAt(to, 'a moving-in notice is taken');
    this.#needUsableCard(id, record, 'move in with it');
    const movedOutOn = japanTime(was.movedOutAt ?? was.changedAt).date;
    const lastDay = addDays(movedOutOn, MOVE_IN_DAYS);
    const today = japanTime(this.#clock.now()).date;
    const newAddress = address ?? `${to.prefecture}${to.name}`;
    const detail = { from: from.code, city: to.code, ...(address ? { address } : {}) };
    if (today > lastDay) {
      this.#life.perform({ card: id, persona: record.persona, action: 'move-in', by: this.#desk, detail: { ...detail, late: true } }, (change) => {
        change.setCard('abolished', 'late-move-in');
        change.setCertificates(certificatesOf(record), 'revoked', 'late-move-in');
        this.#changeResident(resident.id, change.at, { city: to.code, address: newAddress, movingOut: false, movedInAt: change.at });
      });
      throw new CounterRefusal('late-move-in', `the moving-out notice was filed on ${movedOutOn}, more than ${MOVE_IN_DAYS} days ago (the last day was ${lastDay}): ${resident.name} moves in to ${to.name} with a paper 転出証明書, and ${id} has lapsed (失効, abolished with its certificates); a new card is applied for (re-issue, 1,000 yen)`);
    }
    const sign = record.certificates.sign ? { sign: Buffer.from(record.certificates.sign, 'base64') } : {};
    const continueBy = addDays(today, CONTINUATION_DAYS);
    const action = this.#life.perform({ card: id, persona: record.persona, action: 'move-in', by: this.#desk, detail: { ...detail, continueBy } }, (change) => {
      if (sign.sign) change.setCertificates(sign, 'revoked', 'address-changed');
      change.register(certificatesOf(record));
      change.setContinuation(continueBy);
      this.#changeResident(resident.id, change.at, { city: to.code, address: newAddress, movingOut: false, movedInAt: change.at });
    });
    return this.#result(action, `${resident.name} has moved in to ${to.name}: the signature certificate is revoked, the user-authentication certificate continues; the card is continued at the counter (kiosk counter continue-card, the holder enters its PIN) by ${continueBy}, or it lapses`);
  }

  /**
   * The continuation (継続利用) at the new city after a 転入届: the holder shows the card and enters its 4-digit PIN
   * (the user-authentication PIN here; a wrong one costs a try, as on any reader). Within the 90 days, not for a card
   * suspended or expired; the kiosk takes it from 0:00 the next day (§7.2, L14), if the new city takes part.
   */
  continueCard(o: { card: string; pin: string }): CounterResult {
    if (!/^\d{4}$/.test(o.pin)) throw new CounterRefusal('bad-pin', 'the PIN the holder enters is 4 digits');
    const { id, record, resident } = this.#visit(o.card, 'a card is continued');
    const standing = this.#life.standing(id, record.persona, certificatesOf(record));
    if (standing.status === 'abolished' && standing.reason === 'not-continued') {
      throw new CounterRefusal('card-abolished', `${id} was not continued within ${CONTINUATION_DAYS} days of the moving-in notice: it has lapsed (失効); a new card is applied for (re-issue, 1,000 yen)`);
    }
    this.#needUsableCard(id, record, 'be continued');
    if (!standing.continueBy) throw new CounterRefusal('not-pending', `${id} has nothing to continue: a card is continued after a moving-in notice at a new city (kiosk counter move-in)`);
    const auth = standing.certificates.find((c) => c.kind === 'auth');
    if (!auth || auth.status === 'expired') throw new CounterRefusal('card-expired', `${id}'s user-authentication certificate has expired: an expired card is not continued; a new card or certificate is applied for`);
    const m = record.memory.auth;
    if (!m.secret) throw new CounterRefusal('no-such-pin', `${id} has no ${PIN_LABEL.auth}`);
    if (m.triesLeft === 0) throw new CounterRefusal('pin-locked', `the ${PIN_LABEL.auth} is locked: reset it first (kiosk counter reset-pin --pin auth), then continue the card`);
    if (!secretMatches(m.secret, o.pin)) {
      const after = this.#cards.alter(id, this.#desk, (r) => {
        r.memory.auth = { ...r.memory.auth, triesLeft: Math.max(0, r.memory.auth.triesLeft - 1) };
        return [{ event: 'counter', action: 'continue-card-wrong-pin', pin: 'auth' }];
      });
      const left = after.memory.auth.triesLeft;
      throw new CounterRefusal('wrong-pin', `the PIN entered is not ${id}'s: ${left ? `${left} ${left === 1 ? 'try' : 'tries'} left` : 'it is locked now; reset it (kiosk counter reset-pin --pin auth)'}`);
    }
    const city = this.#cityOf(resident);
    const action = this.#changeCard(id, record, 'continue-card', { city: city.code }, (r) => {
      r.memory.auth = { ...r.memory.auth, triesLeft: MAX_TRIES.auth };
      return [{ event: 'counter', action: 'continue-card' }];
    }, (change) => {
      change.setContinuation(null);
      change.setCard('active', null, change.nextJapanMidnight());
    });
    return this.#result(action, `${id} is continued in ${city.name}: ${city.participating ? 'usable at the kiosk from 0:00 tomorrow' : `${city.name} does not take part in the konbini service`}`);
  }

  /** The death notice (死亡届): the resident removed, the card abolished, its certificates revoked. */
  death(o: { card: string }): CounterResult {
    const { id, record, resident } = this.#visit(o.card, 'a death notice is taken');
    const action = this.#life.perform({ card: id, persona: record.persona, action: 'death', by: this.#desk }, (change) => {
      change.setCard('abolished', 'deceased');
      change.setCertificates(certificatesOf(record), 'revoked', 'deceased');
      this.#changeResident(resident.id, change.at, { deceased: true });
    });
    return this.#result(action, `the death of ${resident.name} is recorded: the card ${id} is abolished and its certificates revoked`);
  }

  /**
   * The cards J-LIS made of a persona's applications that reached the office by now (applications.ts arrived): each
   * goes into the card store awaiting collection (without certificates when they were declined), recorded with its
   * application in one transaction; a card the center could not record is taken back.
   */
  #receive(persona: string): void {
    let p: Persona;
    try {
      p = this.#data.persona(persona);
    } catch {
      return; // a card id, or nobody: resolve() says which
    }
    if (!p.resident || p.card.kind !== 'my-number-card') return;
    for (const application of this.#center.applications.arrived(p.resident)) {
      const made = this.#cards.make(p.id, { uncollected: true, ...(application.certificates ? {} : { declined: true }) }, 'J-LIS');
      try {
        this.#life.records.atomically(() => {
          this.#life.records.setApplicationCard(application.id, made.id);
          this.#life.perform({ card: made.id, persona: p.id, action: 'card-arrived', by: 'J-LIS', detail: { application: application.id, route: application.route } }, () => {});
        });
      } catch (e) {
        this.#cards.discard(made.id);
        throw e;
      }
    }
  }

  /**
   * The card at the desk: its id, its record and its holder, once the counter is open for `what` and (with
   * `usableFor`) the card is neither suspended nor abolished.
   */
  #visit(card: string, what: string, usableFor?: string): { id: string; record: CardRecord; resident: Resident } {
    const id = this.resolve(card);
    const record = this.#record(id);
    const resident = this.#needResident(record);
    this.#needOpen(resident, what);
    if (usableFor) this.#needUsableCard(id, record, usableFor);
    return { id, record, resident };
  }

  /** What the center knows of the resident now, with `patch` over it. */
  #changeResident(id: string, at: string, patch: Partial<Omit<ResidentChange, 'resident' | 'changedAt'>>): void {
    const was = this.#life.records.resident(id);
    this.#life.records.putResident({
      resident: id, name: null, city: null, address: null, movingOut: false, deceased: false, ...was, ...patch, changedAt: at,
    });
  }

  #result(action: CounterAction | null, summary: string, card?: string): CounterResult {
    return { action, summary, status: this.status(card ?? action?.card ?? '') };
  }

  #record(id: string): CardRecord {
    try {
      return this.#cards.record(id);
    } catch (e) {
      if (e instanceof CardStoreError) throw new CounterRefusal('no-card', e.message);
      throw e;
    }
  }

  /** The PIN named, once its new value is one the card takes (the caller's input is checked before anything else). */
  #newPin(name: string, value: string): CounterPin {
    const pin = COUNTER_PINS[name];
    if (!pin) throw new CounterRefusal('bad-pin-name', `no PIN "${name.slice(0, 20)}": auth (利用者証明用), sign (署名用) or kenhojo (券面事項入力補助用)`);
    const problem = newPinProblem(pin, value);
    if (problem) throw new CounterRefusal('bad-new-pin', `the new PIN is not accepted: ${problem}`);
    return pin;
  }

  #resident(persona: string): Resident | undefined {
    const p: Persona = this.#data.persona(persona);
    return p.resident ? this.#center.resident(p.resident) : undefined;
  }

  #needResident(record: CardRecord): Resident {
    const r = this.#resident(record.persona);
    if (!r) throw new CounterRefusal('not-a-resident', `${record.id} belongs to nobody registered in these cities (${record.kind}): no counter here can act on it`);
    if (r.statuses?.includes('deceased')) throw new CounterRefusal('deceased', `the holder of ${record.id} is deceased: the card is abolished`);
    return r;
  }

  #cityOf(r: Resident): Municipality {
    const code = this.#life.records.resident(r.id)?.city ?? householdOfResident(this.#center.registry, r).city;
    return this.#center.municipalities.find((m) => m.code === code)!;
  }

  #needOpen(r: Resident, what: string): void {
    this.#needOpenAt(this.#cityOf(r), what);
  }

  #needOpenAt(city: Municipality, what: string): void {
    const closed = counterClosure(city, this.#clock.now());
    if (!closed) return;
    const hours = city.pinReset;
    const when = hours
      ? `weekdays ${hours.hours.weekdays.open}-${hours.hours.weekdays.close}${hours.hours.saturdays ? `, Saturdays of weeks ${hours.hours.saturdays.weeks.join(' and ')} ${hours.hours.saturdays.open}-${hours.hours.saturdays.close}` : ''}`
      : 'its own hours';
    const t = japanTime(this.#clock.now());
    throw new CounterRefusal(`counter-${closed}`, `${city.name}'s counter is closed now (${closed}, ${t.date} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')} Japan time): ${what} ${when}`);
  }

  /** The last day (Japan date) the office keeps a new card for its holder. */
  #keptUntil(record: CardRecord, city: Municipality): string {
    return addDays(japanTime(record.madeAt).date, city.cardKeptDays ?? CARD_KEPT_DAYS);
  }

  /** A municipality the center knows, by its code or its name. */
  #municipality(to: string): Municipality {
    const name = to.trim();
    const city = this.#center.municipalities.find((m) => m.code === name || m.name === name);
    if (!city) throw new CounterRefusal('unknown-city', `no municipality "${name.slice(0, 40)}" here: ${this.#center.municipalities.map((m) => `${m.name} (${m.code})`).join(', ')}`);
    return city;
  }

  #needUsableCard(id: string, record: CardRecord, what: string): void {
    if (record.variant?.uncollected) throw new CounterRefusal('not-collected', `${id} waits at the office for its holder: it is handed over first (kiosk counter collect), then it can ${what}`);
    const s = this.#life.standing(id, record.persona, certificatesOf(record)).status;
    if (s === 'suspended') throw new CounterRefusal('card-suspended', `${id} is suspended (reported lost): cancel the suspension first (kiosk counter cancel-suspension), then ${what}`);
    if (s === 'abolished') throw new CounterRefusal('card-abolished', `${id} is abolished: it cannot ${what}; the persona's current card is ${this.#cards.current(record.persona)}`);
  }

  /** New certificates for the persona, with serials the center has never given (the signature one is serial + 1). */
  #mint(persona: string, resident: Resident, renewal: boolean, cardEnds?: string) {
    const now = this.#clock.now();
    // A foreign resident's card ends with the period of stay; a permanent resident has none. A card in use keeps its
    // own end (the new certificates end with it); a new card is dated from today.
    const stay = resident.foreign && !isPermanent(resident.foreign.residenceStatus) && /^\d{4}-\d\d-\d\d$/.test(resident.foreign.stayUntil) ? resident.foreign.stayUntil : undefined;
    const cardExpires = cardEnds ?? cardValidity(resident.birthDate, now, stay);
    const validity = certificateValidity(resident.birthDate, now, { renewal, cardExpires });
    let serial: bigint;
    do {
      const b = randomBytes(8);
      b[0] = (b[0] & 0x7f) | 0x10;
      serial = BigInt('0x' + b.toString('hex'));
    } while (this.#life.records.certificate(serial.toString(16)) || this.#life.records.certificate((serial + 1n).toString(16)));
    const der = this.#data.mintCertificates(persona, serial, { notBefore: new Date(validity.notBefore), notAfter: new Date(validity.notAfter) });
    return { der, validity, serials: { auth: serial.toString(16), sign: (serial + 1n).toString(16) } };
  }

  /** When the card in hand itself expires (dated from its certificates, as the center dates it), or undefined without one. */
  #cardEnds(id: string, record: CardRecord, resident: Resident): string | undefined {
    const auth = record.certificates.auth;
    if (!auth) return undefined;
    const [first] = this.#life.parse({ auth: Buffer.from(auth, 'base64') });
    return this.#life.cardExpires(this.#data.persona(record.persona), resident, id, first);
  }

  /** The new certificates the card keeps (no signature certificate where it had none). */
  #kept(der: { auth: Buffer; sign: Buffer }, record: CardRecord): { auth: Buffer; sign?: Buffer } {
    return record.certificates.sign ? der : { auth: der.auth };
  }

  /** An action with no change to the card (recorded at the center alone). */
  #act(id: string, record: CardRecord, action: string, detail: Record<string, unknown>, change: Parameters<CardLife['perform']>[1]): CounterAction {
    return this.#life.perform({ card: id, persona: record.persona, action, by: this.#desk, detail }, change);
  }

  /**
   * Changes the card in hand, then the center; when the center's write fails, the card is written back as it was
   * (a counter never leaves a card the center does not know).
   */
  #changeCard(
    id: string, record: CardRecord, action: string, detail: Record<string, unknown>,
    onCard: Parameters<CardStore['alter']>[2], atCenter: Parameters<CardLife['perform']>[1],
  ): CounterAction {
    const before = structuredClone(record);
    const after = this.#cards.alter(id, this.#desk, onCard);
    try {
      return this.#life.perform({ card: id, persona: record.persona, action, by: this.#desk, detail }, (change) => {
        // Every certificate the card carries now has its row, so that the center finds the card by its serial.
        change.register(certificatesOf(after));
        atCenter(change);
      });
    } catch (e) {
      this.#cards.alter(id, this.#desk, (r) => {
        r.memory = before.memory;
        r.certificates = before.certificates;
        return [{ event: 'counter', action: `${action}-undone` }];
      });
      throw e;
    }
  }
}

/** A Japan date `n` days after `date` (YYYY-MM-DD). */
function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The certificates a card record carries, as DER. */
function certificatesOf(r: CardRecord): { auth?: Buffer; sign?: Buffer } {
  return {
    ...(r.certificates.auth ? { auth: Buffer.from(r.certificates.auth, 'base64') } : {}),
    ...(r.certificates.sign ? { sign: Buffer.from(r.certificates.sign, 'base64') } : {}),
  };
}

export type { RevocationCause };
