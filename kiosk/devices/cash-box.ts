// The simulated cash box: a coin and bill acceptor with an escrow, change tubes and a vault. Like a real one it
// refuses what it cannot take (1 and 5 yen, foreign coins, a bill it could not give change for) and only pays out
// what its tubes hold. Operators and tests script it (fill or empty the tubes).
import { acceptsDenomination } from '../../machine/rules/money.ts';

/** Denominations the changer can pay out, largest first. 2000, 5000 and 10000 yen bills go to the vault. */
export const CHANGE_DENOMINATIONS = [1000, 500, 100, 50, 10] as const;
export type Tubes = Record<(typeof CHANGE_DENOMINATIONS)[number], number>;

export type InsertResult =
  | { accepted: true; total: number }
  | { accepted: false; reason: 'not-accepted' | 'change-unavailable' | 'not-accepting' };

export class SimCashBox {
  #tubes: Tubes;
  #vault = 0;
  #escrow: number[] = [];
  #due: number | null = null;

  constructor(tubes: Partial<Tubes> = {}) {
    this.#tubes = { 1000: 20, 500: 20, 100: 50, 50: 20, 10: 50, ...tubes };
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
    return this.#escrow.reduce((a, b) => a + b, 0);
  }

  insert(yen: number): InsertResult {
    if (this.#due === null) return { accepted: false, reason: 'not-accepting' };
    if (!acceptsDenomination(yen)) return { accepted: false, reason: 'not-accepted' };
    const total = this.escrowTotal + yen;
    // A bill is handed back at once when the change it would need cannot be paid: nobody is left owed money.
    if (total > this.#due && !this.#canPay(total - this.#due, [...this.#escrow, yen])) {
      return { accepted: false, reason: 'change-unavailable' };
    }
    this.#escrow.push(yen);
    return { accepted: true, total };
  }

  /** Returns the very coins and bills in escrow (a cancel before payment completes). */
  refundEscrow(): number {
    const amount = this.escrowTotal;
    this.#escrow = [];
    this.#due = null;
    return amount;
  }

  /** Payment complete: escrow goes into the tubes (change denominations) and the vault. */
  collect(): number {
    const amount = this.escrowTotal;
    for (const yen of this.#escrow) {
      if ((CHANGE_DENOMINATIONS as readonly number[]).includes(yen)) this.#tubes[yen as keyof Tubes] += 1;
      else this.#vault += yen;
    }
    this.#escrow = [];
    this.#due = null;
    return amount;
  }

  /** Pays `amount` from the tubes, all or nothing. */
  payout(amount: number): { paid: boolean; coins: Partial<Tubes> } {
    const plan = this.#plan(amount, this.#tubes);
    if (!plan) return { paid: false, coins: {} };
    for (const [d, n] of Object.entries(plan)) this.#tubes[Number(d) as keyof Tubes] -= n;
    return { paid: true, coins: plan };
  }

  /** Operator panel: set the tube counts (empty them to test "change unavailable" and refund slips). */
  setTubes(tubes: Partial<Tubes>): void {
    this.#tubes = { ...this.#tubes, ...tubes };
  }

  status() {
    return { tubes: { ...this.#tubes }, vault: this.#vault, escrow: this.escrowTotal, accepting: this.accepting, due: this.#due };
  }

  #canPay(amount: number, escrow: number[]): boolean {
    const tubes = { ...this.#tubes };
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
