// J-LIS's side of a card's beginning (../shared/spec/photo-booth.md §5, §8): the 交付申請書 it prints for a resident,
// each with a 23-digit 申請書ID bound to the name and address printed on it; the application that comes back on a
// form by a route (a photo booth, a smartphone, a PC, the mail); and the card made of it, which reaches the
// holder's office after the processing time. Every answer is checked against the center's own records and clock:
// a booth tells which form it scanned and what the person entered, never who the person is.
import { randomInt } from 'node:crypto';
import { japanTime } from '../machine/rules/japan-time.ts';
import { periodOfStayEnd, registryFor, residentNow } from './card-life.ts';
import { householdOfResident, type Registry, type Resident } from './registry.ts';
import type { ApplicationRefusal } from './issuance-center.ts';
import type { Application, ApplicationForm, ApplicationRoute, CenterRecords } from './records/center-records.ts';
import type { ApplicationFormDocument } from '../printer/document.ts';
import type { Municipality } from '../machine/types.ts';

export { APPLICATION_REFUSALS, type ApplicationRefusal } from './issuance-center.ts';

export class ApplicationRefused extends Error {
  constructor(readonly reason: ApplicationRefusal, message: string) {
    super(message);
    this.name = 'ApplicationRefused';
  }
}

/**
 * The days between an application and its card at the office (photo-booth.md §8: about 3 weeks for J-LIS to make
 * it, the notice "about one month" after the application). UNCONFIRMED per case; a setting.
 */
export interface ApplicationSettings {
  /** Days from the application until the card reaches the holder's office (J-LIS's 3 weeks and the transport). */
  cardArrivesAfterDays: number;
}
export const APPLICATION_SETTINGS: ApplicationSettings = { cardArrivesAfterDays: 28 };

/**
 * Wrong birth dates J-LIS takes on one form, from any booths, before it refuses the form as not the person's: a form's
 * ID is printed on paper that others may see, and the birth date is what proves the person at a booth.
 */
export const WRONG_BIRTH_DATES_PER_FORM = 10;

export interface ApplicationOffice {
  records: CenterRecords;
  registry: Registry;
  /** The center's clock (issuance-center.ts CenterClock). */
  clock: { now(): string; nowMs(): number };
  settings?: Partial<ApplicationSettings>;
}

/** What an application carries beside its form: what the person entered and the photograph's digest. */
export interface ApplicationRequest {
  form: string;
  route: ApplicationRoute;
  /** The booth's terminal id, or the route's name. */
  by: string;
  /** YYYY-MM-DD as entered; checked against the resident's. */
  birthDate: string;
  certificates: boolean;
  braille: boolean;
  photoSha256: string;
}

export class CardApplications {
  readonly #o: ApplicationOffice;
  readonly settings: ApplicationSettings;
  /** Wrong birth dates given per form (in the center's memory: a restart forgets them, as it forgets challenges). */
  readonly #wrongBirthDates = new Map<string, number>();

  constructor(o: ApplicationOffice) {
    this.#o = o;
    this.settings = { ...APPLICATION_SETTINGS, ...o.settings };
  }

  /** Prints a new form for a resident: a fresh 申請書ID bound to their name and address now. */
  printForm(residentId: string): ApplicationForm {
    const resident = this.#resident(residentId);
    const { name, address } = this.#printed(resident);
    for (;;) {
      const form: ApplicationForm = { id: newFormId(), resident: resident.id, name, address, printedAt: this.#o.clock.now() };
      if (this.#o.records.putForm(form)) return form;
    }
  }

  /** A printed form as the printer lays it out: its ID and what it prints of the resident. */
  formDocument(form: ApplicationForm, municipalities: readonly Municipality[]): ApplicationFormDocument {
    const r = this.#resident(form.resident);
    const city = householdOfResident(registryFor(this.#o.registry, this.#o.records, r), r).city;
    const stay = r.foreign ? periodOfStayEnd(r) ?? null : null;
    return {
      formId: form.id, printedAt: form.printedAt, name: form.name, ...(r.kana ? { kana: r.kana } : {}), address: form.address, birthDate: r.birthDate,
      sex: r.sex ?? '', municipality: municipalities.find((m) => m.code === city)?.name ?? '',
      ...(r.foreign ? { foreign: { classification: r.foreign.residenceStatus, stayUntil: stay } } : {}),
    };
  }

  /** The form behind a scanned QR code or a typed ID, if it can carry an application now (else ApplicationRefused). */
  check(formId: string): { form: ApplicationForm; resident: Resident } {
    if (!/^\d{23}$/.test(formId)) throw new ApplicationRefused('form-malformed', 'an application form ID (申請書ID) is 23 digits');
    const form = this.#o.records.form(formId);
    if (!form) throw new ApplicationRefused('form-unknown', 'no application form has this ID: check the digits, or ask the municipality for a new form');
    if (this.#o.records.applications(form.resident).some((a) => a.form === form.id)) {
      throw new ApplicationRefused('form-used', 'an application was sent on this form already: ask the municipality for a new form if it must be sent again');
    }
    const resident = this.#resident(form.resident);
    const now = this.#printed(resident);
    if (now.name !== form.name || now.address !== form.address) {
      throw new ApplicationRefused('form-outdated', 'the name or address printed on this form has changed: ask the municipality for a new form');
    }
    const pending = this.#o.records.applications(resident.id).find((a) => a.card === null && !this.voided(a));
    if (pending) {
      throw new ApplicationRefused('application-pending', `an application of ${japanTime(pending.appliedAt).date} is being processed: its card reaches the office on ${japanTime(this.arrivesAt(pending)).date}`);
    }
    return { form, resident };
  }

  /**
   * Whether `birthDate` is the birth date of the person the form was printed for: false while the form has wrong
   * tries left, then ApplicationRefused (birth-date-mismatch) for good.
   */
  birthDateMatches(formId: string, birthDate: string): boolean {
    const { form, resident } = this.check(formId);
    if ((this.#wrongBirthDates.get(form.id) ?? 0) >= WRONG_BIRTH_DATES_PER_FORM) {
      throw new ApplicationRefused('birth-date-mismatch', 'too many wrong dates of birth were entered for this form: ask the municipality for a new form');
    }
    if (birthDate === resident.birthDate) return true;
    this.#wrongBirthDates.set(form.id, (this.#wrongBirthDates.get(form.id) ?? 0) + 1);
    return false;
  }

  /** Records an application (once per form: a second one, from any booth or route, is refused). */
  apply(request: ApplicationRequest): Application {
    const { form, resident } = this.check(request.form);
    if (!this.birthDateMatches(form.id, request.birthDate)) throw new ApplicationRefused('birth-date-mismatch', 'the date of birth entered is not the one on the form');
    if (!/^[0-9a-f]{64}$/.test(request.photoSha256)) throw new ApplicationRefused('photo-missing', 'the application carries no photograph');
    const row = {
      form: form.id, resident: resident.id, route: request.route, by: request.by.slice(0, 64), appliedAt: this.#o.clock.now(),
      certificates: request.certificates, braille: request.braille, photoSha256: request.photoSha256, city: this.#cityOf(resident),
    };
    const id = this.#o.records.apply(row);
    if (id === null) throw new ApplicationRefused('form-used', 'an application was sent on this form already (just now, from elsewhere)');
    return { ...row, id, card: null };
  }

  /** The resident's applications whose card has reached the office by now and is not yet in the office's hands. */
  arrived(residentId: string): Application[] {
    const now = this.#o.clock.nowMs();
    return this.#o.records.applications(residentId).filter((a) => a.card === null && !this.voided(a) && Date.parse(this.arrivesAt(a)) <= now);
  }

  /**
   * Whether an application whose card has not reached the office is void: its resident moved to another
   * municipality since (or out, or died). The card is not made (card-life.md §2, photo-booth.md §8.4: apply again).
   * Read from the records whenever it is asked, as a lapse is: nothing is written.
   */
  voided(a: Application): boolean {
    if (a.card !== null || !a.city) return false;
    const r = residentNow(this.#o.registry, this.#o.records, a.resident, this.#o.clock.nowMs());
    return !r || !!r.statuses?.includes('moved-out') || !!r.statuses?.includes('deceased') || this.#cityOf(r) !== a.city;
  }

  #cityOf(r: Resident): string {
    return householdOfResident(registryFor(this.#o.registry, this.#o.records, r), r).city;
  }

  /** When the card of an application reaches the office: the 0:00 (Japan) after the processing days. */
  arrivesAt(a: Pick<Application, 'appliedAt'>): string {
    const { date } = japanTime(a.appliedAt);
    return new Date(Date.parse(`${date}T00:00:00+09:00`) + (this.settings.cardArrivesAfterDays + 1) * 86_400_000).toISOString();
  }

  #resident(id: string): Resident {
    const r = residentNow(this.#o.registry, this.#o.records, id, this.#o.clock.nowMs());
    if (!r || r.statuses?.includes('deceased') || r.statuses?.includes('moved-out')) {
      throw new ApplicationRefused('not-resident', 'this person is not registered as a resident now: no card is made');
    }
    return r;
  }

  /** The name and address a form printed now would carry. */
  #printed(r: Resident): { name: string; address: string } {
    const change = this.#o.records.resident(r.id);
    const registry = registryFor(this.#o.registry, this.#o.records, r);
    return { name: r.name, address: change?.address ?? householdOfResident(registry, r).address };
  }
}

/** 23 random digits, the first not 0 (so that it reads as the same number everywhere). */
function newFormId(): string {
  let id = String(randomInt(1, 10));
  while (id.length < 23) id += String(randomInt(0, 10));
  return id;
}
