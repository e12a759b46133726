// The printer's speed model at the device: the sheets take the model's time on the kiosk's clock, warm-up after
// standing idle, and a fault scripted while a sheet is under way stops it (nothing delivered, the paper not spent).
import { describe, expect, it } from 'vitest';
import { ControlledClock, SimClock } from '../kiosk/clock.ts';
import { sampleJuminhyo, sampleReceipt } from './sample.ts';
import { SimPrinter } from './sim-printer.ts';
import { NullSink } from './sinks.ts';
import { PRINT_SPEEDS, purchaseTimeMs } from './speed.ts';
import { PrinterFaultError } from './errors.ts';

const real = PRINT_SPEEDS.real;

describe('printing at a real machine\'s speed', () => {
  it('a copy and its receipt take a minute on the clock; the next purchase soon after skips the warm-up', async () => {
    const clock = new SimClock('2026-11-24T10:00:00+09:00');
    const printer = new SimPrinter({ sink: new NullSink({ render: false }), speed: real, clock, wait: async (ms) => clock.advance(ms) });
    const t0 = clock.nowMs();
    await printer.printCertificate(sampleJuminhyo({ copyIndex: 1, copies: 1 }));
    await printer.printReceipt(sampleReceipt());
    expect(clock.nowMs() - t0).toBe(60_000);
    expect(purchaseTimeMs(real, 1)).toBe(60_000);
    // Three copies two minutes later: warm still (idle under 5 minutes), 3 × 30 s + 10 s.
    clock.advance(120_000);
    const t1 = clock.nowMs();
    for (let i = 1; i <= 3; i++) await printer.printCertificate(sampleJuminhyo({ copyIndex: i, copies: 3 }));
    await printer.printReceipt(sampleReceipt());
    expect(clock.nowMs() - t1).toBe(100_000);
    // Idle 5 minutes: it warms up again.
    clock.advance(300_000);
    const t2 = clock.nowMs();
    await printer.printCertificate(sampleJuminhyo({ copyIndex: 1, copies: 1 }));
    expect(clock.nowMs() - t2).toBe(50_000);
  });

  it('waits in real time on a kiosk clock, a tenth of it at ×10, and nothing at fast', async () => {
    const clock = new ControlledClock('2026-11-24T10:00:00+09:00');
    clock.setRate(1000);
    const printer = new SimPrinter({ sink: new NullSink({ render: false }), speed: real, clock });
    const wall = Date.now();
    await printer.printReceipt(sampleReceipt());
    // 20 s warm-up + 10 s at ×1000: 30 ms of wall time.
    expect(Date.now() - wall).toBeGreaterThanOrEqual(25);
    printer.setSpeed(PRINT_SPEEDS.fast);
    const before = clock.nowMs();
    await printer.printReceipt(sampleReceipt());
    expect(clock.nowMs() - before).toBeLessThan(5_000);
  });

  it('a jam scripted while the sheet is printing stops it: not delivered, no paper spent', async () => {
    const clock = new SimClock('2026-11-24T10:00:00+09:00');
    let printer: SimPrinter;
    // Staff open the cover half-way through the sheet.
    printer = new SimPrinter({ sink: new NullSink({ render: false }), paper: 5, speed: real, clock, wait: async (ms) => { clock.advance(ms / 2); printer.jamAfter(0); clock.advance(ms / 2); } });
    await expect(printer.printCertificate(sampleJuminhyo({ copyIndex: 1, copies: 1 }))).rejects.toThrow(PrinterFaultError);
    expect(printer.status()).toMatchObject({ paper: 5, sheetsPrinted: 0, jammed: true });
  });
});
