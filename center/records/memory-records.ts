// The center's records in memory: a journey's or a test's center, which starts empty and is gone with its process.
// The same contract as SQLite's (a transaction all or nothing: the maps are put back when it throws), at a fraction
// of its cost: a journey makes a center of its own, and the library of journeys runs hundreds a second.
import type { Application, ApplicationForm, CardRow, CenterRecords, CertificateRow, CounterAction, DomicileRegistration, ResidentChange } from './center-records.ts';

export class MemoryCenterRecords implements CenterRecords {
  readonly location = ':memory:';
  #certificates = new Map<string, CertificateRow>();
  #cards = new Map<string, CardRow>();
  #residents = new Map<string, ResidentChange>();
  #domiciles = new Map<string, DomicileRegistration>();
  #actions: CounterAction[] = [];
  #forms = new Map<string, ApplicationForm>();
  #applications: Application[] = [];

  certificate(serial: string): CertificateRow | null {
    const r = this.#certificates.get(serial);
    return r ? { ...r } : null;
  }

  certificatesOf(card: string): CertificateRow[] {
    return [...this.#certificates.values()].filter((c) => c.card === card)
      .sort((a, b) => a.notBefore.localeCompare(b.notBefore) || a.serial.localeCompare(b.serial)).map((c) => ({ ...c }));
  }

  putCertificate(row: CertificateRow): void {
    const old = this.#certificates.get(row.serial);
    // As SQLite's upsert: a serial's card and dates are its own; only its status changes.
    this.#certificates.set(row.serial, old ? { ...old, status: row.status, reason: row.reason, changedAt: row.changedAt } : { ...row });
  }

  card(card: string): CardRow | null {
    const r = this.#cards.get(card);
    return r ? { ...r } : null;
  }

  putCard(row: CardRow): void {
    const old = this.#cards.get(row.card);
    this.#cards.set(row.card, { ...row, persona: old?.persona ?? row.persona });
  }

  resident(resident: string): ResidentChange | null {
    const r = this.#residents.get(resident);
    return r ? { ...r } : null;
  }

  putResident(row: ResidentChange): void {
    this.#residents.set(row.resident, { ...row });
  }

  domiciles(resident: string): DomicileRegistration[] {
    return [...this.#domiciles.values()].filter((d) => d.resident === resident).sort((a, b) => a.city.localeCompare(b.city)).map((d) => ({ ...d }));
  }

  putDomicile(row: DomicileRegistration): void {
    this.#domiciles.set(`${row.resident}|${row.city}`, { ...row });
  }

  act(action: Omit<CounterAction, 'id'>): number {
    const id = this.#actions.length + 1;
    this.#actions.push({ ...action, id, detail: structuredClone(action.detail) });
    return id;
  }

  actions(card?: string, limit = 1000): CounterAction[] {
    return this.#actions.filter((a) => card === undefined || a.card === card).slice(-limit).map((a) => structuredClone(a));
  }

  form(id: string): ApplicationForm | null {
    const f = this.#forms.get(id);
    return f ? { ...f } : null;
  }

  putForm(row: ApplicationForm): boolean {
    if (this.#forms.has(row.id)) return false;
    this.#forms.set(row.id, { ...row });
    return true;
  }

  apply(row: Omit<Application, 'id' | 'card'>): number | null {
    if (this.#applications.some((a) => a.form === row.form)) return null;
    const id = this.#applications.length + 1;
    this.#applications.push({ ...row, id, card: null });
    return id;
  }

  applications(resident?: string): Application[] {
    return this.#applications.filter((a) => resident === undefined || a.resident === resident).map((a) => ({ ...a }));
  }

  setApplicationCard(id: number, card: string): void {
    const a = this.#applications.find((x) => x.id === id);
    if (a) a.card = card;
  }

  atomically<T>(fn: () => T): T {
    const saved = [
      new Map(this.#certificates), new Map(this.#cards), new Map(this.#residents), this.#actions.length, new Map(this.#domiciles),
      new Map(this.#forms), this.#applications.map((a) => ({ ...a })),
    ] as const;
    try {
      return fn();
    } catch (e) {
      [this.#certificates, this.#cards, this.#residents, this.#domiciles, this.#forms] = [saved[0], saved[1], saved[2], saved[4], saved[5]];
      this.#actions.length = saved[3];
      this.#applications = saved[6];
      throw e;
    }
  }

  close(): void {}
}
