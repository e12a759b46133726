// The center's side of a card's life (../shared/spec/card-life.md §9): what a ward-office counter or the 24-hour call
// center changes at J-LIS and the municipality when a card is lost, found, renewed, replaced, or its holder moves or
// dies, and what the center then answers a kiosk. Every change is one transaction of the records with the action that
// caused it, by the center's clock. The center reads the certificates it is given itself (DER, chained to its CAs by
// their issuer's signature): a counter tells it which card, never what the card holds.
import { X509Certificate } from 'node:crypto';
import { cardValidity } from '../machine/rules/card-life.ts';
import { japanTime, startOfJapanDay } from '../machine/rules/japan-time.ts';
import { isPermanent } from './documents.ts';
import type { CenterClock } from './issuance-center.ts';
import { serialFor, type Persona, type PersonaCard, type Registry, type Resident } from './registry.ts';
import type {
  CardRow, CardStatus, CenterRecords, CertificateKind, CertificateRow, CounterAction, RevocationCause,
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
    this.#trusted = o.trusted.map((der) => new X509Certificate(der));
  }

  /** The card's standing: its row (active when the center never heard of it) and each certificate it carries. */
  standing(card: string, persona: string, certificates: CardCertificates): CardStanding {
    const row = this.records.card(card);
    const now = this.#clock.nowMs();
    const certs = this.parse(certificates).map(({ kind, serial, notBefore, notAfter }): CertificateStanding => {
      const kept = this.records.certificate(serial);
      const status = kept?.status ?? 'good';
      return { kind, serial, notBefore, notAfter, reason: kept?.reason ?? null, status: status === 'good' && Date.parse(notAfter) < now ? 'expired' : status };
    });
    return {
      card, persona, status: row?.status ?? 'active', reason: row?.reason ?? null, usableFrom: row?.usableFrom ?? null,
      certificates: certs, actions: this.records.actions(card, 50),
    };
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
    const row: CardRow = { card: this.card, persona: this.persona, status, reason, changedAt: this.at, usableFrom: usableFrom === undefined ? old?.usableFrom ?? null : usableFrom };
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
  return { ...r, statuses: [...statuses], ...(change?.name ? { name: change.name } : {}), ...(registered ? { domicileRegistered: true } : {}) };
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
