import { COINS_AND_BILLS } from '../types.ts';

/** Coins 10/50/100/500 and bills 1000/2000/5000/10000 yen; 1 and 5 yen coins are not taken. */
export function acceptsDenomination(yen: number): boolean {
  return (COINS_AND_BILLS as readonly number[]).includes(yen);
}

/** Change and refund due when a job ends: every yen inserted is kept for a printed copy, changed or refunded. */
export function settlement(p: { inserted: number; unitFee: number; copies: number; printed: number }) {
  const charged = p.unitFee * p.printed;
  const due = p.unitFee * p.copies;
  const change = Math.max(0, p.inserted - due);
  const refunded = due - charged;
  return { charged, change, refunded, payout: change + refunded };
}
