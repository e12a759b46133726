// `--print-speed real` on a journey's simulated clock: the printing time passes on the clock, not on the wall.
import { describe, expect, it } from 'vitest';
import { PRINT_SPEEDS, purchaseTimeMs } from '../printer/speed.ts';
import { drive } from '../tests/crash/drive.ts';
import { SimClock } from './clock.ts';
import { SimTerminal } from './terminal.ts';

const real = PRINT_SPEEDS.real;

describe('a purchase at a terminal with the real speed on a simulated clock (as `journey run --print-speed real`)', () => {
  it('prints three copies with the clock moved on by the model\'s time, the receipt stamped then, in next to no wall time', async () => {
    const clock = new SimClock('2026-11-24T10:00:00+09:00');
    const terminal = new SimTerminal({ clock, printer: 'null', printSpeed: 'real' });
    const printed = terminal.printer.record();
    const wall = Date.now();
    const outcome = await drive(terminal, clock, { persona: 'kawasaki-taro', copies: 3, coins: [500, 100] });
    expect(outcome).toMatchObject({ ended: 'collect', printed: 3 });
    expect(terminal.runtime.errors).toEqual([]);
    // The receipt is stamped when it is made: after the copies' 20 + 3 × 30 s.
    const receiptAt = Date.parse(printed.receipts[0].issuedAt);
    expect(receiptAt - Date.parse('2026-11-24T10:00:00+09:00')).toBeGreaterThanOrEqual(110_000);
    expect(clock.nowMs() - Date.parse('2026-11-24T10:00:00+09:00')).toBeGreaterThanOrEqual(purchaseTimeMs(real, 3));
    expect(Date.now() - wall).toBeLessThan(30_000);
    printed.stop();
  });
});
