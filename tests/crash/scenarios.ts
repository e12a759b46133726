// The purchases the crash test kills at every point: several coins, several copies, change, and each way money
// goes back (change, unprinted copies refunded, escrow returned on cancel, a refund slip when the tubes are empty).
import type { SimTerminal } from '../../kiosk/terminal.ts';
import type { Purchase } from './drive.ts';

export const T = '2026-11-24T10:00:00+09:00';

/** Yen in a fresh cash box's tubes (SimCashBox's defaults). */
export const FULL_TUBES = 20 * 1000 + 20 * 500 + 50 * 100 + 20 * 50 + 50 * 10;

export const SCENARIOS: Record<string, { purchase: Purchase; setup?: (t: SimTerminal) => void; heldAtStart: number }> = {
  // 3 copies of 住民票 (600 yen) paid with four coins (660): 60 yen change.
  paid: { purchase: { persona: 'kawasaki-taro', copies: 3, coins: [100, 50, 10, 500] }, heldAtStart: FULL_TUBES },
  // The paper runs out after the first copy: two copies' fees and the change go back.
  'paper-out': { purchase: { persona: 'kawasaki-taro', copies: 3, coins: [100, 500, 50] }, setup: (t) => t.printer.setPaper(1), heldAtStart: FULL_TUBES },
  // Two coins, then cancel: the escrow goes back.
  cancelled: { purchase: { persona: 'kawasaki-taro', copies: 2, coins: [100, 50, 500], cancelAfterCoins: 2 }, heldAtStart: FULL_TUBES },
  // Empty tubes and the paper runs out after one copy: the tubes cannot pay the 400 yen refund, a slip is owed.
  slip: {
    purchase: { persona: 'kawasaki-taro', copies: 3, coins: [500, 100] },
    setup: (t) => {
      t.printer.setPaper(1);
      t.cashBox.setTubes({ 1000: 0, 500: 0, 100: 0, 50: 0, 10: 0 });
    },
    heldAtStart: 0,
  },
};
