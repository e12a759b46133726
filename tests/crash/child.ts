// The process the crash test kills. `drive VAR SPOOL SCENARIO` runs one purchase on a terminal whose journal,
// snapshot, cash box and center log live in VAR (PDFs in SPOOL); with KIOSK_CRASH_AT=N it dies by SIGKILL at the
// N-th crash point (KIOSK_CRASH_TRACE=1 lists the points on stderr). `recover VAR SPOOL` starts a terminal on the
// same folders, which settles what a dead one left, and stops. The last line on stdout is JSON. `hold VAR SPOOL` is a
// live kiosk mid-payment that keeps its folders until it is killed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SimClock } from '../../kiosk/clock.ts';
import { crashPointsPassed, traceCrashPoints } from '../../kiosk/journal.ts';
import { SimTerminal } from '../../kiosk/terminal.ts';
import { drive, finish } from './drive.ts';
import { SCENARIOS, T } from './scenarios.ts';

const [mode, varDir, spoolDir, scenario] = process.argv.slice(2);
const clock = new SimClock(T);

/** A digest of every file the kiosk wrote: two crash points with the same digest leave the same disk behind. */
function diskState(): string {
  const h = createHash('sha256');
  for (const dir of [varDir, spoolDir]) {
    if (!existsSync(dir)) continue;
    for (const f of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
      const path = join(dir, f);
      h.update(f);
      try {
        h.update(readFileSync(path));
      } catch {
        // a folder
      }
    }
  }
  return h.digest('hex').slice(0, 16);
}
if (process.env.KIOSK_CRASH_TRACE) traceCrashPoints(diskState);

if (mode === 'drive' && SCENARIOS[scenario]) {
  const s = SCENARIOS[scenario];
  const t = new SimTerminal({ clock, printer: 'spool', spoolDir, varDir });
  s.setup?.(t);
  const outcome = await drive(t, clock, s.purchase);
  await finish(t);
  t.stop();
  console.log(JSON.stringify({ completed: true, points: crashPointsPassed(), outcome, errors: t.runtime.errors.map((e) => e.message) }));
} else if (mode === 'hold') {
  // A live kiosk half-way through a payment (100 yen in escrow), holding its folders until it is killed.
  const t = new SimTerminal({ clock, printer: 'spool', spoolDir, varDir });
  await drive(t, clock, { persona: 'kawasaki-taro', copies: 2, coins: [100, 500] }, (step, coin) => {
    if (step !== 'pay' || coin !== 1) return;
    console.log('holding');
    setInterval(() => undefined, 60_000); // alive until killed
    return new Promise<void>(() => undefined);
  });
} else if (mode === 'recover') {
  const t = new SimTerminal({ clock, printer: 'spool', spoolDir, varDir });
  await t.runtime.settled();
  t.stop();
  console.log(JSON.stringify({ completed: true, points: crashPointsPassed(), recovered: t.runtime.recovered, screen: t.runtime.screen }));
} else {
  console.error(`usage: child.ts drive VAR SPOOL ${Object.keys(SCENARIOS).join('|')}  |  child.ts recover VAR SPOOL  |  child.ts hold VAR SPOOL`);
  process.exitCode = 2;
}
