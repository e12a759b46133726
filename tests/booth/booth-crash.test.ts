// The photo booth killed at every crash point of an application with change (every journal record before and after
// its fsync, every cash box action before and after the coins move), then started again on the same folder: before
// it serves anyone, every yen inserted is either kept as the fee of an application J-LIS has, or handed back (the
// change, or everything); nothing stays in the escrow, nothing is paid twice; a second start finds nothing to settle.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimCenter } from '../../center/sim-center.ts';
import { SimClock } from '../../kiosk/clock.ts';
import { serveBooth } from '../../kiosk/booth/booth-server.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { bundledChild } from '../processes.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'crash-child.ts');
const data = loadSampleData();
const clock = () => new SimClock('2026-12-07T10:00:00+09:00');

/** A fresh booth folder with a form printed by J-LIS in its center. */
function folder(): { varDir: string; form: string } {
  const varDir = join(mkdtempSync(join(tmpdir(), 'booth-crash-')), 'var');
  const jlis = new SimCenter({
    municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock: clock(), signCa: data.signCa.certificate,
    recordsFile: join(varDir, 'center', 'center.sqlite'),
  });
  const form = jlis.applications.printForm('kawasaki-hanako').id;
  jlis.close();
  return { varDir, form };
}

const COMMAND = await bundledChild(CHILD);
const child = (varDir: string, form: string, env: Record<string, string>) =>
  spawnSync(process.execPath, [...COMMAND, varDir, form], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });

describe('the photo booth killed at every crash point', () => {
  it('settles every kill before serving: the fee kept only with an application at J-LIS, everything else handed back, once', async () => {
    const traced = folder();
    const trace = child(traced.varDir, traced.form, { KIOSK_CRASH_TRACE: '1' });
    expect(trace.stdout).toContain('completed done');
    const points = [...trace.stderr.matchAll(/^crash point (\d+): (.*) #(\w+)$/gm)].map((m) => ({ n: Number(m[1]), disk: m[3] }));
    expect(points.length).toBeGreaterThan(10);
    // Two points that leave the same files behind are the same kill for a restart, which reads only the files.
    const seen = new Set<string>();
    const kills = points.filter((p) => process.env.KIOSK_CRASH_ALL || (!seen.has(p.disk) && seen.add(p.disk))).map((p) => p.n);
    const outcomes = new Map<string, number>();
    for (const n of kills) {
      const { varDir, form } = folder();
      const run = child(varDir, form, { KIOSK_CRASH_AT: String(n) });
      expect(run.stderr, `point ${n}`).toContain(`KIOSK_CRASH_AT=${n}: killed`);
      const booth = await serveBooth({ port: 0, clock: clock(), varDir, headless: true });
      try {
        const applied = booth.center!.life.records.applications('kawasaki-hanako').length === 1;
        const c = booth.cashBox.counters;
        const where = `point ${n} (${/killed at (.*)/.exec(run.stderr)?.[1]})`;
        expect(booth.cashBox.escrowTotal, where).toBe(0);
        // Every yen inserted is kept as the fee (only with an application) or handed back.
        expect(c.accepted - c.returned - c.paidOut, where).toBe(applied ? 1000 : 0);
        for (const r of booth.recovered) outcomes.set(r.because, (outcomes.get(r.because) ?? 0) + 1);
      } finally {
        await booth.close();
      }
      // A second start finds nothing left.
      const again = await serveBooth({ port: 0, clock: clock(), varDir, headless: true });
      expect(again.recovered, `point ${n}, second start`).toEqual([]);
      await again.close();
    }
    // Both fates happened: kills before J-LIS had it (money back) and after (fee kept, change paid).
    expect(outcomes.get('not applied')).toBeGreaterThan(0);
    expect([...outcomes.keys()].some((k) => k.startsWith('applied') || k === 'already paid out')).toBe(true);
  }, 600_000);
});
