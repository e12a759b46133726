// A booth process for the crash test: one application with change on a booth whose files are on disk, killed by
// KIOSK_CRASH_AT at the N-th crash point (kiosk/journal.ts). Prints "completed" when it was not killed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SimClock } from '../../kiosk/clock.ts';
import { serveBooth } from '../../kiosk/booth/booth-server.ts';
import { traceCrashPoints } from '../../kiosk/journal.ts';

const [varDir, form] = process.argv.slice(2);

/** A digest of every file the booth and its center wrote: two points with the same digest leave the same disk. */
if (process.env.KIOSK_CRASH_TRACE) {
  traceCrashPoints(() => {
    const h = createHash('sha256');
    if (existsSync(varDir)) {
      for (const f of (readdirSync(varDir, { recursive: true }) as string[]).sort()) {
        h.update(f);
        try {
          h.update(readFileSync(join(varDir, f)));
        } catch {
          // a folder
        }
      }
    }
    return h.digest('hex').slice(0, 16);
  });
}
const booth = await serveBooth({ port: 0, clock: new SimClock('2026-12-07T10:00:00+09:00'), varDir, headless: true });
const r = booth.runtime;
r.send({ type: 'ui.start' });
r.insertCash(500);
r.insertCash(5000);
booth.scanner.present(form);
await r.settled();
r.send({ type: 'ui.enterBirthDate', birthDate: '1982-09-30' });
await r.settled();
r.send({ type: 'ui.setOptions', certificates: true, braille: false });
r.send({ type: 'ui.takePhoto' });
await r.settled();
r.send({ type: 'ui.acceptPhoto' });
r.send({ type: 'ui.confirm' });
await r.settled();
process.stdout.write(`completed ${r.view().screen}\n`);
await booth.close();
