// The card store: every physical card the simulator has made, one record each, so that a card is the same card
// every time it goes on a reader, in the state it was left: its PIN counters and locks (its memory), its
// certificates, its history. `kiosk start` keeps it under --var (var/cards), `kiosk card serve` and `kiosk card`
// use the same folder, journeys keep theirs in memory (each journey starts from fresh cards).
//
// On disk: <dir>/<card id>.json per card (e.g. kawasaki-taro-1.json), written whole and renamed into place with an
// fsync, only by the process that holds the card; <dir>/<card id>.lock is flock'ed by that process for as long as the
// card is on one of its readers (a card is in one reader at a time: a second process is told where it is). A
// persona's current card is its highest-numbered one: making a card adds a file and never rewrites another.
// The record holds no PIN: the card's memory keeps salted SHA-256 digests (reader/virtual-card.ts PinSecret).
import { closeSync, constants, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ALWAYS_IN_MEMORY, MATCHING_NUMBERS, PIN_MAX_TRIES, PIN_NAMES, type CardMemory, type PinMemory, type PinName, type VirtualMyNumberCard } from '../reader/virtual-card.ts';
import { FolderLockedError, lockFile, lockHolder, type LockHolder } from './folder-lock.ts';
import { StateFileError, readStateFile, writeStateFile } from '../storage/state-file.ts';
import type { DiskReserve } from './disk-reserve.ts';
import type { CardContents, CardVariant, SampleData } from '../samples/sample-data.ts';

/** One event of a card's life, as its record keeps it (the last HISTORY_KEPT of them). */
export interface CardEvent {
  at: string;
  /** made, a PIN locked, tries given back by an operator, or a counter's action (reset-pin, renew…). */
  event: 'made' | 'pin-locked' | 'tries-restored' | 'counter';
  /** The counter's action, for event 'counter'. */
  action?: string;
  pin?: PinName;
  /** Who did it (an operator action names itself). */
  by?: string;
}

export interface CardRecord {
  version: 1;
  /** `<persona>-<n>`: the persona's n-th card. */
  id: string;
  persona: string;
  kind: CardContents['kind'];
  /** The kiosk clock when the card was made. */
  madeAt: string;
  variant?: CardVariant;
  /** DER, base64. */
  certificates: { auth?: string; sign?: string };
  memory: CardMemory;
  history: CardEvent[];
}

/** What a list or the operator panel shows of a card: counters and where it is, never a PIN or a digest. */
export interface CardListing {
  id: string;
  persona: string;
  kind: string;
  madeAt: string;
  /** Whether it is the persona's current card (the one `insert-card PERSONA` puts on the reader). */
  current: boolean;
  pins: Partial<Record<PinName, { triesLeft: number; locked: boolean }>>;
  /** The process whose reader holds it, or null. */
  onReader: string | null;
  /** What is wrong with its record, when it cannot be read. */
  damaged?: string;
}

/** A card taken out of the store onto a reader: release() when it comes off. */
export interface HeldCard {
  readonly id: string;
  readonly card: VirtualMyNumberCard;
  release(): void;
}

export class CardStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CardStoreError';
  }
}

const HISTORY_KEPT = 100;
/** A card's record is a few KB (two certificates, a hundred events); anything far larger is not one. */
const MAX_RECORD_BYTES = 256 * 1024;
const CARD_KINDS: readonly string[] = ['my-number-card', 'juki-card', 'smartphone', 'city-card'];
/** Whether a card has a PIN: one set (its digest kept), or a 照合番号 (the card's own data; only its counter kept). */
const hasPin = (m: PinMemory | undefined, pin: PinName): m is PinMemory => !!m && (m.secret !== null || MATCHING_NUMBERS.includes(pin));
const CARD_ID = /^([a-z0-9][a-z0-9-]{0,62})-(\d{1,6})$/;
const MAX_CARDS = 999_999;

export interface CardStoreOptions {
  /** The store's folder; in memory when null. */
  dir: string | null;
  data: SampleData;
  clock: { now(): string; nowMs(): number };
  /** Room given up when the disk fills, so that a card's memory still goes in. */
  reserve?: DiskReserve;
}

export class CardStore {
  readonly dir: string | null;
  readonly #data: SampleData;
  readonly #clock: CardStoreOptions['clock'];
  readonly #reserve: DiskReserve | null;
  /** In memory (dir null): the records, and the cards on a reader. */
  readonly #records = new Map<string, CardRecord>();
  readonly #held = new Map<string, { card: VirtualMyNumberCard; by: string }>();
  /** The records of the cards on this process's readers: the one copy their changes are written from. */
  readonly #live = new Map<string, CardRecord>();
  /** Records whose last write failed (a full or broken disk): written before the card is given out again. */
  readonly #unsaved = new Map<string, CardRecord>();
  #writeFailed: ((e: Error) => void) | null = null;

  constructor(options: CardStoreOptions) {
    this.dir = options.dir;
    this.#data = options.data;
    this.#clock = options.clock;
    this.#reserve = options.reserve ?? null;
    if (this.dir) {
      try {
        // The owner's only: a card's record holds its PINs' digests, which a 4-digit PIN does not protect from whoever
        // can read them.
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      } catch (e) {
        throw new CardStoreError(`the card store ${this.dir} cannot be used (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): give a writable folder`);
      }
    }
  }

  /** The persona's current card's id, or null when it has none yet. */
  current(persona: string): string | null {
    let best: [number, string] | null = null;
    for (const id of this.#ids()) {
      const m = CARD_ID.exec(id);
      if (m && m[1] === persona && (!best || Number(m[2]) > best[0])) best = [Number(m[2]), id];
    }
    return best?.[1] ?? null;
  }

  /** Makes a new card for the persona (it becomes the current one; an older card stays what it was). */
  make(persona: string, variant?: CardVariant, by = 'the card store', certificates?: CardContents['certificates']): CardRecord {
    const contents = this.#data.mintCard(persona, this.#clock.nowMs(), variant);
    // A card J-LIS made again (a re-issue at the counter) carries certificates of its own.
    if (certificates) contents.certificates = certificates;
    const n = Number(CARD_ID.exec(this.current(persona) ?? '')?.[2] ?? 0);
    const now = this.#clock.now();
    for (let next = n + 1; ; next++) {
      if (next > MAX_CARDS) throw new CardStoreError(`${persona} has had ${MAX_CARDS} cards: no more are made`);
      const record: CardRecord = {
        version: 1, id: `${persona}-${next}`, persona, kind: contents.kind, madeAt: now, ...(variant && Object.keys(variant).length ? { variant } : {}),
        certificates: { auth: contents.certificates.auth?.toString('base64'), sign: contents.certificates.sign?.toString('base64') },
        memory: contents.memory,
        history: [{ at: now, event: 'made', by }],
      };
      if (this.#create(record)) return record;
    }
  }

  /**
   * Takes the persona's current card onto a reader (made first when the persona has none, with `variantIfNew`).
   * Throws CardStoreError when the card is on another reader (the message says whose).
   */
  take(persona: string, holder: string, variantIfNew?: CardVariant): HeldCard {
    const id = this.current(persona) ?? this.make(persona, variantIfNew, holder).id;
    const lock = this.#lock(id, holder);
    try {
      // A change this store could not write is written first: a card never goes out older than it is.
      const unsaved = this.#unsaved.get(id);
      if (unsaved) this.#write(unsaved);
      const record = this.#read(id);
      const card = this.#data.assembleCard(record.persona, contentsOf(record), (memory) => this.#remember(record, memory));
      if (!this.dir) this.#held.set(id, { card, by: holder });
      this.#live.set(id, record);
      let held = true;
      return {
        id, card,
        release: () => {
          if (!held) return;
          held = false;
          this.#held.delete(id);
          this.#live.delete(id);
          lock.release();
        },
      };
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /**
   * Gives the persona's current card its PIN counters back (one PIN, or all), recorded in its history as done `by`
   * whom: the operator's stand-in for the ward office's reset. A card on this process's reader (`live`) is changed
   * where it is; a card on another process's reader is refused.
   */
  restoreTries(persona: string, pins: PinName[], by: string, live?: HeldCard | null): CardRecord {
    const id = this.current(persona);
    if (!id) throw new CardStoreError(`${persona} has no card yet: it is made when first put on a reader (or with kiosk card new --persona ${persona})`);
    const has = this.#read(id).memory;
    pins = pins.filter((pin) => hasPin(has[pin], pin));
    if (!pins.length) throw new CardStoreError(`${id} has no PIN of that kind (a ${this.#read(id).kind})`);
    if (live?.id === id && this.#live.has(id)) {
      for (const pin of pins) live.card.restoreTries(pin);
      return structuredClone(this.#addHistory(id, pins.map((pin) => ({ at: this.#clock.now(), event: 'tries-restored' as const, pin, by }))));
    }
    const held = this.take(persona, `restoring tries (${by})`);
    try {
      for (const pin of pins) held.card.restoreTries(pin);
      return structuredClone(this.#addHistory(id, pins.map((pin) => ({ at: this.#clock.now(), event: 'tries-restored' as const, pin, by }))));
    } finally {
      held.release();
    }
  }

  /**
   * A counter's change to a card in hand (kiosk/counter/): `change` alters the record (its PIN memory, its
   * certificates) and returns what to write in its history. The card must be off every reader: at the counter it is
   * in the clerk's hands. Written before this returns.
   */
  alter(id: string, by: string, change: (record: CardRecord) => Omit<CardEvent, 'at' | 'by'>[]): CardRecord {
    if (this.#live.has(id)) throw new CardStoreError(`${id} is on this kiosk's reader: take it off first (at the counter the card is in the clerk's hands)`);
    const lock = this.#lock(id, `the counter (${by})`);
    try {
      const unsaved = this.#unsaved.get(id);
      if (unsaved) this.#write(unsaved);
      const record = this.#read(id);
      const at = this.#clock.now();
      record.history.push(...change(record).map((e) => ({ ...e, at, by })));
      if (record.history.length > HISTORY_KEPT) record.history.splice(0, record.history.length - HISTORY_KEPT);
      const problem = recordProblem(record, id);
      if (problem) throw new CardStoreError(`the counter would leave ${id} unusable (${problem})`);
      this.#write(record);
      return structuredClone(record);
    } finally {
      lock.release();
    }
  }

  /**
   * Takes back a card just made that is on no reader (a counter's re-issue the center could not record), as if it had
   * never been made: the persona's current card is again the one before it.
   */
  discard(id: string): void {
    if (this.#live.has(id) || this.#held.has(id)) throw new CardStoreError(`${id} is on a reader: it cannot be taken back`);
    if (!this.dir) {
      this.#records.delete(id);
      return;
    }
    rmSync(join(this.dir, `${id}.json`), { force: true });
  }

  /** Told when a card's record cannot be written (the card answers 6581 and the kiosk cannot trust its store). */
  onWriteError(listener: (e: Error) => void): void {
    this.#writeFailed = listener;
  }

  /** Writes the records a disk failure left in memory (staff freed the disk); throws if it still fails. */
  flush(): void {
    for (const record of [...this.#unsaved.values()]) this.#write(record);
  }

  /** Every card in the store, current ones first by persona; a damaged record is listed as such. */
  list(): CardListing[] {
    const ids = this.#ids().sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const currents = new Set([...new Set(ids.map((id) => CARD_ID.exec(id)?.[1] ?? ''))].map((p) => this.current(p)));
    return ids.map((id): CardListing => {
      const persona = CARD_ID.exec(id)?.[1] ?? id;
      const onReader = this.#holderOf(id);
      try {
        const r = this.#read(id);
        const pins: CardListing['pins'] = {};
        for (const pin of PIN_NAMES) {
          const m = r.memory[pin];
          if (hasPin(m, pin)) pins[pin] = { triesLeft: m.triesLeft, locked: m.triesLeft === 0 };
        }
        return { id, persona, kind: r.kind, madeAt: r.madeAt, current: currents.has(id), pins, onReader };
      } catch (e) {
        return { id, persona, kind: '?', madeAt: '', current: currents.has(id), pins: {}, onReader, damaged: (e as Error).message };
      }
    });
  }

  /** The whole record of a card (no PIN: digests only), e.g. for its history. */
  record(id: string): CardRecord {
    return this.#read(id);
  }

  #ids(): string[] {
    if (!this.dir) return [...this.#records.keys()];
    try {
      return readdirSync(this.dir).filter((f) => f.endsWith('.json') && CARD_ID.test(f.slice(0, -5))).map((f) => f.slice(0, -5));
    } catch (e) {
      throw new CardStoreError(`the card store ${this.dir} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  #holderOf(id: string): string | null {
    if (!this.dir) return this.#held.get(id)?.by ?? null;
    const h: LockHolder | null = lockHolder(join(this.dir, `${id}.lock`));
    return h ? `${h.what}${h.pid ? ` (pid ${h.pid})` : ''}` : null;
  }

  #lock(id: string, holder: string): { release(): void } {
    const where = `${id.replace(/-\d+$/, '')}'s card (${id})`;
    if (!this.dir) {
      const by = this.#held.get(id)?.by;
      if (by) throw new CardStoreError(`${where} is on another reader (${by}): take it off there first`);
      return { release: () => this.#held.delete(id) };
    }
    try {
      return lockFile(join(this.dir, `${id}.lock`), holder, where);
    } catch (e) {
      if (e instanceof FolderLockedError) {
        throw new CardStoreError(`${where} is on another reader (${e.holder ? `${e.holder.what}, pid ${e.holder.pid}` : 'another process'}): take it off there first`);
      }
      throw new CardStoreError((e as Error).message);
    }
  }

  #read(id: string): CardRecord {
    if (!this.dir) {
      const r = this.#records.get(id);
      if (!r) throw new CardStoreError(`no card ${id} in the store`);
      return structuredClone(r);
    }
    const file = join(this.dir, `${id}.json`);
    const damaged = (why: string) => new CardStoreError(`${file} is damaged (${why}): move it away, and the persona gets a new card (kiosk card new)`);
    let r: CardRecord;
    try {
      const text = readStateFile(file, MAX_RECORD_BYTES);
      if (text === null) throw new CardStoreError(`no card ${id} in the store`);
      r = JSON.parse(text) as CardRecord;
    } catch (e) {
      if (e instanceof CardStoreError) throw e;
      throw damaged(e instanceof StateFileError ? e.detail : (e as NodeJS.ErrnoException).code ?? 'not JSON');
    }
    const problem = recordProblem(r, id);
    if (problem) throw damaged(problem);
    return r;
  }

  /** Writes a new record; false when a record of that id exists already (another process made that card first). */
  #create(record: CardRecord): boolean {
    if (!this.dir) {
      if (this.#records.has(record.id)) return false;
      this.#records.set(record.id, structuredClone(record));
      return true;
    }
    const file = join(this.dir, `${record.id}.json`);
    const temp = join(this.dir, `.${record.id}.${process.pid}.new`);
    try {
      writeTemp(temp, JSON.stringify(record) + '\n');
      linkSync(temp, file); // atomic, and refuses an existing name: two makers never share a number
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw new CardStoreError(`cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    } finally {
      rmSync(temp, { force: true });
    }
  }

  /** The card wrote its memory: the record takes it (synchronously, before the card answers). */
  #remember(record: CardRecord, memory: CardMemory): void {
    const now = this.#clock.now();
    for (const pin of PIN_NAMES) {
      if (memory[pin]?.triesLeft === 0 && (record.memory[pin]?.triesLeft ?? 1) > 0) record.history.push({ at: now, event: 'pin-locked', pin });
    }
    record.memory = memory;
    if (record.history.length > HISTORY_KEPT) record.history.splice(0, record.history.length - HISTORY_KEPT);
    this.#write(record);
  }

  #addHistory(id: string, events: CardEvent[]): CardRecord {
    const r = this.#live.get(id) ?? this.#read(id);
    r.history.push(...events);
    if (r.history.length > HISTORY_KEPT) r.history.splice(0, r.history.length - HISTORY_KEPT);
    this.#write(r);
    return r;
  }

  #write(record: CardRecord): void {
    if (!this.dir) {
      this.#records.set(record.id, structuredClone(record));
      return;
    }
    const file = join(this.dir, `${record.id}.json`);
    try {
      const write = () => writeStateFile(file, JSON.stringify(record) + '\n', { temp: join(this.dir!, `.${record.id}.${process.pid}.tmp`) });
      if (this.#reserve) this.#reserve.write(write);
      else write();
      this.#unsaved.delete(record.id);
    } catch (e) {
      this.#unsaved.set(record.id, structuredClone(record));
      const err = new CardStoreError(`cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): the card is not given out until it is written`);
      this.#writeFailed?.(err);
      throw err;
    }
  }


}

/** What the sample data needs to put a stored card together again. */
function contentsOf(r: CardRecord): CardContents {
  const der = (b64: string | undefined) => (b64 ? Buffer.from(b64, 'base64') : undefined);
  return { kind: r.kind, certificates: { auth: der(r.certificates.auth), sign: der(r.certificates.sign) }, memory: r.memory };
}

/** What is wrong with a record read back as card `id`, or null: every field a card is assembled from is checked. */
function recordProblem(r: unknown, id: string): string | null {
  const x = r as CardRecord;
  if (!x || typeof x !== 'object' || x.version !== 1) return 'not a card record';
  if (x.id !== id) return `it says it is card ${String(x.id).slice(0, 40)}`;
  if (x.persona !== CARD_ID.exec(id)?.[1]) return 'its persona is not the one its name says';
  if (!CARD_KINDS.includes(x.kind)) return 'an unknown kind of card';
  if (typeof x.madeAt !== 'string' || !Array.isArray(x.history)) return 'not a card record';
  const b64 = (v: unknown) => v === undefined || (typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length <= 16_384);
  if (!x.certificates || typeof x.certificates !== 'object' || !b64(x.certificates.auth) || !b64(x.certificates.sign)) return 'its certificates are not DER in base64';
  for (const pin of PIN_NAMES) {
    const m = x.memory?.[pin];
    // The 照合番号 and 住基 counters came later: a record kept before has none (the card starts them full).
    if (m === undefined && !ALWAYS_IN_MEMORY.includes(pin)) continue;
    if (!m || !Number.isInteger(m.triesLeft) || m.triesLeft < 0 || m.triesLeft > PIN_MAX_TRIES[pin]) return `the ${pin} PIN's counter is not 0-${PIN_MAX_TRIES[pin]}`;
    if (m.secret !== null && (typeof m.secret?.salt !== 'string' || !/^[0-9a-f]{64}$/.test(m.secret.salt) || typeof m.secret.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.secret.sha256))) {
      return `the ${pin} PIN's secret is not a salted digest`;
    }
  }
  return null;
}

/** A new file of its own (never through a link, refused if the name exists), synced, mode 0600. */
function writeTemp(temp: string, text: string): void {
  rmSync(temp, { force: true });
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
