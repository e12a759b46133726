// The center's side of a card's life (../shared/spec/card-life.md §9): what a ward-office counter or the 24-hour call
// center changes at J-LIS and the municipality when a card is lost, found, renewed, replaced, or its holder moves or
// dies, and what the center then answers a kiosk. Every change is one transaction of the records with the action that
// caused it, by the center's clock. The center reads the certificates it is given itself (DER, chained to its CAs by
// their issuer's signature): a counter tells it which card, never what the card holds.
import { X509Certificate } from 'node:crypto';
import { caCertificate } from './x509/test-ca.ts';
import { cardValidity } from '../machine/rules/card-life.ts';
import { japanTime, startOfJapanDay } from '../machine/rules/japan-time.ts';
import { isPermanent } from './documents.ts';
import type { CenterClock } from './issuance-center.ts';
import { householdOfResident, serialFor, type Household, type Persona, type PersonaCard, type Registry, type Resident } from './registry.ts';
import type {
  CardRow, CardStatus, CenterRecords, CertificateKind, CertificateRow, CounterAction, ResidentChange, RevocationCause,
} from './records/center-records.ts';

/** A card's certificates as it holds them (DER). */
export type CardCertificates = Partial<Record<CertificateKind, Buffer>>;

/** What the center holds of one certificate now: its status, or `expired` by its dates and the center's clock. */
export interface CertificateStanding {
  kind: CertificateKind;
  serial: string;
  notBefore: string;
  notAfter: string;
  status: CertificateRow['status'] | 'expired';
  reason: RevocationCause | null;
}

export interface CardStanding {
  card: string;
  persona: string;
  status: CardStatus;
  reason: RevocationCause | null;
  usableFrom: string | null;
  /** After a 転入届: the last day (Japan date) of the 90 days for the 継続利用; null when nothing is pending. */
  continueBy: string | null;
  certificates: CertificateStanding[];
  actions: CounterAction[];
}

export class CardLifeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CardLifeError';
  }
}

export interface CardLifeOptions {
  records: CenterRecords;
  clock: CenterClock;
  /** The CAs whose certificates the center registers (JPKI user authentication and signature). */
  trusted: Buffer[];
}

export class CardLife {
  readonly records: CenterRecords;
  readonly #clock: CenterClock;
  readonly #trusted: X509Certificate[];

  constructor(o: CardLifeOptions) {
    this.records = o.records;
    this.#clock = o.clock;
    this.#trusted = o.trusted.map((der) => caCertificate(der));
  }

  /** The card's standing: its row (active when the center never heard of it) and each certificate it carries. */
  standing(card: string, persona: string, certificates: CardCertificates): CardStanding {
    const row = this.cardNow(card);
    const now = this.#clock.nowMs();
    const lapsed = row?.reason === 'not-continued' && row.continueBy;
    const certs = this.parse(certificates).map(({ kind, serial, notBefore, notAfter }): CertificateStanding => {
      const kept = this.records.certificate(serial);
      const status = kept?.status ?? 'good';
      // A lapsed card's certificates end with it (they are revoked when a counter next writes them).
      if (lapsed && status !== 'revoked') return { kind, serial, notBefore, notAfter, reason: 'not-continued', status: 'revoked' };
      return { kind, serial, notBefore, notAfter, reason: kept?.reason ?? null, status: status === 'good' && Date.parse(notAfter) < now ? 'expired' : status };
    });
    return {
      card, persona, status: row?.status ?? 'active', reason: row?.reason ?? null, usableFrom: row?.usableFrom ?? null,
      continueBy: row?.status === 'active' ? row.continueBy ?? null : null,
      certificates: certs, actions: this.records.actions(card, 50),
    };
  }

  /**
   * The card's row as it stands by the center's clock now: a card whose 継続利用 is still pending after its last day
   * has lapsed (失効, card-life.md §7.2) and is abolished (`not-continued`). Nothing is written: there is no
   * background job, the lapse is read from the recorded dates whenever the card is looked at or used.
   */
  cardNow(card: string): CardRow | null {
    const row = this.records.card(card);
    if (row?.status === 'active' && row.continueBy && japanTime(this.#clock.now()).date > row.continueBy) {
      return { ...row, status: 'abolished', reason: 'not-continued', usableFrom: null };
    }
    return row;
  }

  /**
   * Performs one event: `change` writes the rows (given the parsed certificates), and the action is recorded with
   * it, all in one transaction.
   */
  perform(
    event: { card: string; persona: string; action: string; by: string; detail?: Record<string, unknown> },
    change: (tools: CardChange) => void,
  ): CounterAction {
    const at = this.#clock.now();
    return this.records.atomically(() => {
      change(new CardChange(this, event.card, event.persona, at));
      const detail = event.detail ?? {};
      const id = this.records.act({ at, card: event.card, action: event.action, by: event.by, detail });
      return { id, at, card: event.card, action: event.action, by: event.by, detail };
    });
  }

  /**
   * When the card that holds `certificate` expires (card-life.md §6.1), as J-LIS knows it: from the issue of the
   * card's earliest certificate the center knows (its row, or the one presented): for a persona's card the sample
   * world made (serial serialFor), that card's date (cardOlderDays), for a card a counter issued, that certificate's
   * own. Its certificates cannot outlive it, whatever dates they carry.
   */
  cardExpires(persona: Persona, resident: Resident, card: string | null, certificate: { serial: string; notBefore: string }): string {
    const first = serialFor(persona.id);
    const made = new Set([first.toString(16), (first + 1n).toString(16)]);
    const rows = card ? this.records.certificatesOf(card) : [];
    const earliest = rows.reduce((a, b) => (Date.parse(b.notBefore) < Date.parse(a.notBefore) ? b : a), certificate);
    return cardDates(resident, earliest.notBefore, made.has(earliest.serial) ? cardOlderDays(persona.card) : 0).expires;
  }

  /** The certificates' serials and dates, each checked to come from a CA the center trusts. */
  parse(certificates: CardCertificates): Array<{ kind: CertificateKind; serial: string; notBefore: string; notAfter: string }> {
    const out = [];
    for (const kind of ['auth', 'sign'] as const) {
      const der = certificates[kind];
      if (!der) continue;
      const x = new X509Certificate(der);
      if (!this.#trusted.some((ca) => x.issuer === ca.subject && x.verify(ca.publicKey))) {
        throw new CardLifeError(`the card's ${kind} certificate is not one J-LIS issued (issuer ${x.issuer.replaceAll('\n', ', ')})`);
      }
      out.push({ kind, serial: BigInt('0x' + x.serialNumber).toString(16), notBefore: new Date(x.validFrom).toISOString(), notAfter: new Date(x.validTo).toISOString() });
    }
    return out;
  }
}

/** The writes of one event, inside its transaction. */
export class CardChange {
  constructor(readonly life: CardLife, readonly card: string, readonly persona: string, readonly at: string) {}

  /** Sets the card's status (and its next-day wait, when given). */
  setCard(status: CardStatus, reason: RevocationCause | null, usableFrom?: string | null): void {
    const old = this.life.records.card(this.card);
    const row: CardRow = {
      card: this.card, persona: this.persona, status, reason, changedAt: this.at, usableFrom: usableFrom === undefined ? old?.usableFrom ?? null : usableFrom,
      continueBy: old?.continueBy ?? null,
    };
    this.life.records.putCard(row);
  }

  /** Gives the certificates a status (hold, revoked, good again), writing their rows the first time. */
  setCertificates(certificates: CardCertificates, status: CertificateRow['status'], reason: RevocationCause | null): string[] {
    return this.life.parse(certificates).map((c) => {
      this.life.records.putCertificate({ ...c, card: this.card, persona: this.persona, status, reason, changedAt: this.at });
      return c.serial;
    });
  }

  /** Writes a row, as good, for each certificate the center has none of yet (so it finds the card by its serial). */
  register(certificates: CardCertificates): void {
    for (const c of this.life.parse(certificates)) {
      if (!this.life.records.certificate(c.serial)) this.life.records.putCertificate({ ...c, card: this.card, persona: this.persona, status: 'good', reason: null, changedAt: this.at });
    }
  }

  /** Starts (a Japan date, the last day) or ends (null) the card's wait for its 継続利用 after a move (§7.2). */
  setContinuation(lastDay: string | null): void {
    const old = this.life.records.card(this.card);
    this.life.records.putCard({
      card: this.card, persona: this.persona, status: old?.status ?? 'active', reason: old?.reason ?? null, changedAt: this.at,
      usableFrom: old?.usableFrom ?? null, continueBy: lastDay,
    });
  }

  /** The 0:00 (Japan) after this event: the next-day rule (card-life.md §2, §4, §6.2). */
  nextJapanMidnight(): string {
    const { date } = japanTime(this.at);
    return new Date(Date.parse(`${date}T00:00:00+09:00`) + 86_400_000).toISOString();
  }
}

/**
 * The resident as the center knows them at `nowMs`: the registry's record with what counters changed since (a move
 * out, a death, a new name, a 本籍地 registration approved and still tied to a good certificate), or undefined.
 */
export function residentNow(registry: Registry, records: CenterRecords, id: string, nowMs: number): Resident | undefined {
  const r = registry.residents.get(id);
  if (!r) return undefined;
  const change = records.resident(id);
  const register = r.familyRegister ? registry.familyRegisters.get(r.familyRegister) : undefined;
  const registered = !!register && records.domiciles(id).some((d) => {
    const cert = records.certificate(d.certificate);
    return d.city === register.city && Date.parse(d.usableFrom) <= nowMs && (!cert || cert.status === 'good');
  });
  if (!change && !registered) return r;
  const statuses = new Set(r.statuses ?? []);
  if (change?.movingOut) statuses.add('moved-out');
  if (change?.deceased) statuses.add('deceased');
  return {
    ...r, statuses: [...statuses], ...(change?.name ? { name: change.name } : {}), ...(registered ? { domicileRegistered: true } : {}),
    ...(change ? movedIn(registry, r, change) : {}),
  };
}

/** The household of a resident who moved in to another city: their own (one person), at the address recorded. */
const MOVED_HOUSEHOLD = (resident: string, city: string) => `moved-in:${resident}:${city}`;

/**
 * A resident who moved in to another city (転入届) is there alone, in a household of their own, resident since the
 * 転入; what the old city kept does not follow them (its 印鑑登録 ends with the 転出, its tax records stay there).
 */
function movedIn(registry: Registry, r: Resident, change: ResidentChange): Partial<Resident> {
  if (!change.city || !change.movedInAt || change.city === householdOfResident(registry, r).city) return {};
  const since = japanTime(change.movedInAt).date;
  return {
    household: MOVED_HOUSEHOLD(r.id, change.city), relationship: '世帯主', residentSince: since, seal: undefined, tax: undefined,
    addressHistory: [...(r.addressHistory ?? []), ...(change.address ? [{ address: change.address, from: since }] : [])],
  };
}

/**
 * The registers as one resident's documents see them: for a resident who moved in to another city, with their
 * household there (see movedIn), and themselves a member of it. The other members of the old household are as the
 * registers have them (a simplification: a move is of one person).
 */
export function registryFor(registry: Registry, records: CenterRecords, r: Resident): Registry {
  if (registry.households.has(r.household)) return registry;
  const change = records.resident(r.id);
  if (!change?.city) return registry;
  const household: Household = { id: r.household, city: change.city, address: change.address ?? '' };
  return {
    ...registry,
    residents: new Map([...registry.residents].map(([id, x]) => [id, id === r.id ? r : x])),
    households: new Map([...registry.households, [household.id, household]]),
  };
}

/** The last day of a resident's period of stay (YYYY-MM-DD), or undefined: a citizen, a permanent resident. */
export function periodOfStayEnd(r: Resident): string | undefined {
  const f = r.foreign;
  return f && !isPermanent(f.residenceStatus) && /^\d{4}-\d\d-\d\d$/.test(f.stayUntil) ? f.stayUntil : undefined;
}

/**
 * How many days a persona's card is older than the certificates the sample world mints for it: 0 for a card issued
 * with them, `cardIssuedDaysAgo − issuedDaysAgo` for one whose certificates were renewed since.
 */
export const cardOlderDays = (card: PersonaCard): number => Math.max(0, (card.cardIssuedDaysAgo ?? 0) - (card.issuedDaysAgo ?? 0));

/**
 * A card's own dates (card-life.md §6.1), from the issue of its first certificates: issued that day (or `olderDays`
 * before, see cardOlderDays), valid to the holder's 10th birthday after (the 5th under 18), or to the end of the
 * period of stay. The sample world dates the cards it makes by this, and the center the cards it knows.
 */
export function cardDates(resident: Resident, certificatesIssued: string, olderDays = 0): { issued: string; expires: string } {
  const issued = new Date(startOfJapanDay(Date.parse(certificatesIssued)) - olderDays * 86_400_000).toISOString();
  return { issued, expires: cardValidity(resident.birthDate, issued, periodOfStayEnd(resident)) };
}
