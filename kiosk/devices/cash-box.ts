// The simulated cash box: a coin and bill acceptor with an escrow, change tubes and a vault. Like a real one it
// refuses what it cannot take (1 and 5 yen, foreign coins, a bill it could not give change for) and only pays out
// what its tubes hold. Operators and tests script it (fill or empty the tubes).
//
// Like a real cash module it outlives the kiosk process: given a state file, what it holds (tubes, vault, escrow),
// its audit counters and the outcome of its last operations are written there atomically with each change, so that
// coins in escrow are still there after a crash. Collect, escrow refund and payout take an idempotency key (`op`):
// an operation asked again under a key already done is not done twice, it answers what it did (recovery relies on
// this: a payout that was under way when the kiosk died is asked again, and pays at most once).
import type { DiskReserve } from '../disk-reserve.ts';
import { StateFileError, readStateFile, writeStateFile } from '../../storage/state-file.ts';
import { acceptsDenomination } from '../../machine/rules/money.ts';
import { crashPoint } from '../journal.ts';

/** Denominations the changer can pay out, largest first. 2000, 5000 and 10000 yen bills go to the vault. */
export const CHANGE_DENOMINATIONS = [1000, 500, 100, 50, 10] as const;
export type Tubes = Record<(typeof CHANGE_DENOMINATIONS)[number], number>;
/** The tubes as staff fill them each morning (and as the change-refill fault fills them again). */
export const FULL_TUBES: Readonly<Tubes> = { 1000: 20, 500: 20, 100: 50, 50: 20, 10: 50 };

export type InsertResult =
  | { accepted: true; total: number }
  | { accepted: false; reason: 'not-accepted' | 'change-unavailable' | 'not-accepting' };

/** Audit counters, in yen, since the box was first filled (a real module's totals). */
export interface CashCounters {
  /** Every coin and bill taken into escrow. */
  accepted: number;
  /** Escrow handed back as the very coins inserted. */
  returned: number;
  /** Change and refunds paid from the tubes. */
  paidOut: number;
}

export type CashOperation = 'collect' | 'refund' | 'payout';

interface State {
  tubes: Tubes;
  vault: number;
  escrow: number[];
  counters: CashCounters;
  /** The outcome (yen moved) of the last operations done under an idempotency key, oldest first. */
  ops: Array<[op: string, amount: number]>;
}

/** Operations remembered for idempotency: far more than one session's three. */
const OPS_KEPT = 64;

export class CashBoxStateError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}. The cash box's state is damaged; count the tubes, vault and escrow by hand and move the file away.`);
    this.name = 'CashBoxStateError';
  }
}

/** What the cash box tells of itself: the operator panel's figures. */
export interface CashBoxStatus {
  tubes: Tubes;
  vault: number;
  escrow: number;
  accepting: boolean;
  due: number | null;
}

/**
 * The one interface of the cash box (a coin and bill acceptor with escrow, change tubes and a vault) that the
 * runtime and crash recovery use. SimCashBox implements it; a real module's backend would implement the same.
 */
export interface CashBox {
  /** Opens the acceptor for a payment of `due` yen (a bill it could not change is refused). */
  accept(due: number): void;
  /** Closes the acceptor. */
  stop(): void;
  readonly accepting: boolean;
  readonly escrowTotal: number;
  readonly counters: CashCounters;
  /** Yen in the tubes and the vault. */
  readonly held: number;
  insert(yen: number): InsertResult;
  /** Hands the escrow back as the very coins; under a key already done, does nothing more and says what it did. */
  refundEscrow(op?: string): number;
  /** Takes the escrow into the tubes and vault; idempotent under a key. */
  collect(op?: string): number;
  /** Pays from the tubes, all or nothing; idempotent under a key. */
  payout(amount: number, op?: string): { paid: boolean; coins: Partial<Tubes> };
  /** Yen an operation moved under this key, or null when none was. */
  outcome(op: string | undefined): number | null;
  status(): CashBoxStatus;
  /** Told when the module cannot record its state (the kiosk then cannot safely take money). */
  onStorageError(listener: (e: Error) => void): void;
  /** Whether state is waiting to be recorded since a failure. */
  readonly unsaved: boolean;
  /** Records the state the failure missed; throws if it still fails. */
  flush(): void;
}

export class SimCashBox implements CashBox {
  #s: State;
  #due: number | null = null;
  readonly #file: string | null;
  #storageFailed: ((e: Error) => void) | null = null;
  #unsaved = false;
  /** Room given up when the disk fills, so that the state still goes in. */
  readonly #reserve: DiskReserve | null;

  constructor(tubes: Partial<Tubes> = {}, options: { stateFile?: string; reserve?: DiskReserve } = {}) {
    this.#file = options.stateFile ?? null;
    this.#reserve = options.reserve ?? null;
    this.#s = {
      tubes: { ...FULL_TUBES, ...tubes }, vault: 0, escrow: [],
      counters: { accepted: 0, returned: 0, paidOut: 0 }, ops: [],
    };
    const kept = this.#file ? load(this.#file) : null;
    if (kept) this.#s = kept;
  }

  /** Starts taking cash toward `due`. */
  accept(due: number): void {
    this.#due = due;
  }

  stop(): void {
    this.#due = null;
  }

  get accepting(): boolean {
    return this.#due !== null;
  }

  get escrowTotal(): number {
    return this.#s.escrow.reduce((a, b) => a + b, 0);
  }

  get counters(): CashCounters {
    return { ...this.#s.counters };
  }

  insert(yen: number): InsertResult {
    if (this.#due === null) return { accepted: false, reason: 'not-accepting' };
    if (!acceptsDenomination(yen)) return { accepted: false, reason: 'not-accepted' };
    const total = this.escrowTotal + yen;
    // A bill is handed back at once when the change it would need cannot be paid: nobody is left owed money.
    if (total > this.#due && !this.#canPay(total - this.#due, [...this.#s.escrow, yen])) {
      return { accepted: false, reason: 'change-unavailable' };
    }
    this.#change('insert', (s) => {
      s.escrow.push(yen);
      s.counters.accepted += yen;
    });
    return { accepted: true, total };
  }

  /** Returns the very coins and bills in escrow (a cancel before payment completes). */
  refundEscrow(op?: string): number {
    this.#due = null;
    const done = this.outcome(op);
    if (done !== null) return done;
    const amount = this.escrowTotal;
    this.#change('refund', (s) => {
      s.escrow = [];
      s.counters.returned += amount;
      remember(s, op, amount);
    });
    return amount;
  }

  /** Payment complete: escrow goes into the tubes (change denominations) and the vault. */
  collect(op?: string): number {
    this.#due = null;
    const done = this.outcome(op);
    if (done !== null) return done;
    const amount = this.escrowTotal;
    this.#change('collect', (s) => {
      for (const yen of s.escrow) {
        if ((CHANGE_DENOMINATIONS as readonly number[]).includes(yen)) s.tubes[yen as keyof Tubes] += 1;
        else s.vault += yen;
      }
      s.escrow = [];
      remember(s, op, amount);
    });
    return amount;
  }

  /** Pays `amount` from the tubes, all or nothing. Under a key already paid, pays nothing more and says it paid. */
  payout(amount: number, op?: string): { paid: boolean; coins: Partial<Tubes> } {
    if (this.outcome(op) !== null) return { paid: true, coins: {} };
    const plan = this.#plan(amount, this.#s.tubes);
    if (!plan) return { paid: false, coins: {} };
    this.#change('payout', (s) => {
      for (const [d, n] of Object.entries(plan)) s.tubes[Number(d) as keyof Tubes] -= n;
      s.counters.paidOut += amount;
      remember(s, op, amount);
    });
    return { paid: true, coins: plan };
  }

  /** Yen an operation moved under this key, or null when none was done under it (or it is too old to remember). */
  outcome(op: string | undefined): number | null {
    if (!op) return null;
    const found = this.#s.ops.find(([o]) => o === op);
    return found ? found[1] : null;
  }

  /** Operator panel: set the tube counts (empty them to test "change unavailable" and refund slips). */
  setTubes(tubes: Partial<Tubes>): void {
    this.#change(null, (s) => {
      s.tubes = { ...s.tubes, ...tubes };
    });
  }

  status(): CashBoxStatus {
    return { tubes: { ...this.#s.tubes }, vault: this.#s.vault, escrow: this.escrowTotal, accepting: this.accepting, due: this.#due };
  }

  /** Yen in the tubes and the vault. */
  get held(): number {
    return CHANGE_DENOMINATIONS.reduce((a, d) => a + d * this.#s.tubes[d], 0) + this.#s.vault;
  }

  /** One mechanical action: the new state is on disk (atomically) when it returns, like coins that have moved. */
  #change(action: 'insert' | CashOperation | null, mutate: (s: State) => void): void {
    const next = structuredClone(this.#s);
    mutate(next);
    if (action) crashPoint(`cash box ${action} (before)`);
    if (this.#file) {
      try {
        this.#save(next);
        this.#unsaved = false;
      } catch (e) {
        // The coins have moved all the same (a mechanism does not wait for its log): the box goes on with the
        // person's money, keeps the state to write it later (flush), and says its state file failed, so that the
        // kiosk goes out of order.
        this.#unsaved = true;
        this.#storageFailed?.(e instanceof Error ? e : new Error(String(e)));
      }
    }
    this.#s = next;
    if (action) crashPoint(`cash box ${action} (done)`);
  }

  /** Told when the state file cannot be written (a full or read-only disk): the kiosk cannot safely take money. */
  onStorageError(listener: (e: Error) => void): void {
    this.#storageFailed = listener;
  }

  /** Whether the state in memory is newer than the state file (a write failed since). */
  get unsaved(): boolean {
    return this.#unsaved;
  }

  /**
   * Writes the state the file missed (staff freed the disk, before putting the kiosk back in service or stopping it):
   * a payout done while the file failed is then on disk, and a restart does not pay it again. Throws if it still fails.
   */
  flush(): void {
    if (!this.#unsaved || !this.#file) return;
    this.#save(this.#s);
    this.#unsaved = false;
  }

  #save(s: State): void {
    const file = this.#file!;
    if (this.#reserve) this.#reserve.write(() => save(file, s));
    else save(file, s);
  }

  #canPay(amount: number, escrow: number[]): boolean {
    const tubes = { ...this.#s.tubes };
    for (const yen of escrow) if (yen in tubes) tubes[yen as keyof Tubes] += 1;
    return this.#plan(amount, tubes) !== null;
  }

  // Greedy is exact for the yen's canonical coin system.
  #plan(amount: number, tubes: Tubes): Partial<Tubes> | null {
    let rest = amount;
    const plan: Partial<Tubes> = {};
    for (const d of CHANGE_DENOMINATIONS) {
      const n = Math.min(Math.floor(rest / d), tubes[d]);
      if (n > 0) plan[d] = n;
      rest -= n * d;
    }
    return rest === 0 ? plan : null;
  }
}

function remember(s: State, op: string | undefined, amount: number): void {
  if (!op) return;
  s.ops.push([op, amount]);
  if (s.ops.length > OPS_KEPT) s.ops.splice(0, s.ops.length - OPS_KEPT);
}

function save(file: string, s: State): void {
  writeStateFile(file, JSON.stringify(s));
}

/** The state the file keeps, or null when there is no file yet. */
function load(file: string): State | null {
  let s: State;
  let text: string | null;
  try {
    text = readStateFile(file, 1 << 20);
  } catch (e) {
    throw new CashBoxStateError(file, e instanceof StateFileError ? e.detail : (e as Error).message);
  }
  if (text === null) return null;
  try {
    s = JSON.parse(text) as State;
  } catch {
    throw new CashBoxStateError(file, 'not JSON');
  }
  const whole = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  if (!s || typeof s !== 'object' || !CHANGE_DENOMINATIONS.every((d) => whole(s.tubes?.[d])) || !whole(s.vault) ||
    !Array.isArray(s.escrow) || !s.escrow.every(acceptsDenomination) || !Array.isArray(s.ops) ||
    !['accepted', 'returned', 'paidOut'].every((k) => whole(s.counters?.[k as keyof CashCounters]))) {
    throw new CashBoxStateError(file, 'not a cash box state');
  }
  return s;
}
