// Journey figures for `npm run bench` (bench.ts calls journeysBench), or on their own: `npx tsx tests/bench/journeys-bench.ts`
// (BENCH_NO_BROWSER=1 leaves out Chromium; BENCH_VERBOSE=1 lists the browser journeys as they finish).
// Headless journeys per second over the shipped library run several times, with the null printer and with PDFs,
// in one thread and in two (--workers 2; wall time, worker start-up included); one journey through the real UI in
// Chromium; and the generated set: its size and the transitions it fires.
import { mkdtempSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kioskMachine } from '../../machine/kiosk-machine.ts';
import { parseJourney, parseJourneyText } from '../../kiosk/journeys/format.ts';
import { runJourneys } from '../../kiosk/journeys/parallel.ts';
import { coverageOf } from '../../kiosk/journeys/coverage.ts';
import { generateJourneys } from '../../kiosk/journeys/generate.ts';
import { loadSampleData } from '../../samples/sample-data.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
type Row = (what: string, value: string) => void;

export async function journeysBench(row: Row): Promise<void> {
  const personas = loadSampleData().personas.map((p) => p.id);
  const dir = join(ROOT, 'journeys');
  const library = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => parseJourney(join(dir, f), personas));
  const steps = library.reduce((a, j) => a + j.steps.length, 0);
  console.log(`\njourneys: the library is ${library.length} journeys (${steps} steps); targets 1,500 journeys/s null printer on one worker and 1.8× that on two (issue 19), 30/s with PDFs (2 cores)`);
  console.log(`  (load average now ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores: other work on the machine slows the wall-clock rates, not the CPU ms)`);
  // Warm this thread up once (module loading, JIT) so that the single-thread figure is the steady state.
  await runJourneys(library, { workers: 1 });
  for (const printer of ['null', 'spool'] as const) {
    const rounds = printer === 'null' ? 20 : 6;
    const batch = Array.from({ length: rounds }, () => library).flat();
    for (const workers of [1, 2]) {
      const spoolDir = mkdtempSync(join(tmpdir(), 'kiosk-bench-journeys-'));
      const t = performance.now();
      const cpu = process.cpuUsage();
      const results = await runJourneys(batch, { workers, printer, spoolDir });
      const s = (performance.now() - t) / 1000;
      const used = process.cpuUsage(cpu);
      // CPU time (this process, all its threads) per journey: what the rate would be on idle cores, whatever else runs.
      const cpuMs = (used.user + used.system) / 1000 / batch.length;
      const failed = results.filter((r) => !r.passed);
      if (failed.length) throw new Error(`${failed[0].file}:${failed[0].failure?.line}: ${failed[0].failure?.message}`);
      const target = printer === 'null' ? (workers === 1 ? 1500 : 2700) : 30;
      const rate = batch.length / s;
      row(`journeys headless, ${printer === 'null' ? 'null printer' : 'PDFs (spool)'}, --workers ${workers} (${batch.length})`,
        `${rate.toFixed(0)} journeys/s ${rate >= target ? 'PASS' : 'MISS'} (${(s * 1000).toFixed(0)} ms; CPU ${cpuMs.toFixed(2)} ms/journey)`);
    }
  }

  // The generated set: how many journeys cover the machine, and what they really fire when run.
  {
    const t = performance.now();
    const g = await generateJourneys();
    const genMs = performance.now() - t;
    const journeys = g.journeys.map((j) => parseJourneyText(j.file, j.text, personas));
    const results = await runJourneys(journeys, { workers: 1 });
    const c = coverageOf(kioskMachine, results);
    row(`generated journeys (xstate/graph, ${g.states} graph states)`, `${g.journeys.length} journeys, ${g.journeys.reduce((a, j) => a + j.steps, 0)} steps, made in ${genMs.toFixed(0)} ms`);
    row('  transitions they fire when run', `${c.transitions.covered.length}/${c.transitions.total} (${((c.transitions.covered.length / c.transitions.total) * 100).toFixed(1)}%), ${results.filter((r) => !r.passed).length} failed`);
  }

  // A seeded walk (kiosk journey walk): planning on the model, running with the oracles after every step.
  {
    const { Walker } = await import('../../kiosk/journeys/walk.ts');
    const walker = await Walker.create();
    const t = performance.now();
    const plan = [...walker.plan({ seed: 7, steps: 10_000 })];
    const planMs = performance.now() - t;
    let failed = 0;
    for (const stretch of plan) if (!(await walker.run(7, stretch)).result.passed) failed += 1;
    const s = (performance.now() - t) / 1000;
    row(`a walk of 10,000 steps (seed 7, ${plan.length} journeys, oracles after every step)`, `${s.toFixed(1)} s, ${(10_000 / s).toFixed(0)} steps/s (planned in ${planMs.toFixed(0)} ms), ${failed} failed`);
  }

  // One journey through the real UI in headless Chromium (needs npm run build and /usr/bin/chromium).
  if (!process.env.BENCH_NO_BROWSER) {
    const { launchBrowser, runJourneyInBrowser } = await import('../../kiosk/journeys/browser.ts');
    const t = performance.now();
    const browser = await launchBrowser();
    const launchMs = performance.now() - t;
    try {
      const happy = library.find((j) => j.file.endsWith('01-juminhyo-happy-path.yaml'))!;
      await runJourneyInBrowser(happy, browser, { screenshots: false }); // warm: the first page load compiles the UI
      const ms: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await runJourneyInBrowser(happy, browser, { screenshots: false });
        if (!r.passed) throw new Error(`browser: ${r.failure?.message}`);
        ms.push(r.ms);
      }
      const withShots = await runJourneyInBrowser(happy, browser, { screenshots: true });
      ms.sort((a, b) => a - b);
      row(`one browser journey (01 happy path, ${happy.steps.length} steps), median of 3`, `${ms[1].toFixed(0)} ms (with screenshots: ${withShots.ms.toFixed(0)} ms; Chromium launch ${launchMs.toFixed(0)} ms)`);
    } finally {
      await browser.close();
    }
    const t2 = performance.now();
    const { runJourneysInBrowser } = await import('../../kiosk/journeys/browser.ts');
    const results = await runJourneysInBrowser(library, { workers: 2, screenshots: false }, (r, i) => {
      if (process.env.BENCH_VERBOSE) console.error(`  browser ${i + 1}/${library.length} ${r.passed ? 'PASS' : 'FAIL'} ${r.file} ${r.ms.toFixed(0)} ms`);
    });
    const s = (performance.now() - t2) / 1000;
    row(`the library in the browser (${library.length}, 2 at a time)`, `${s.toFixed(1)} s, ${results.filter((r) => !r.passed).length} failed (${(s / library.length).toFixed(2)} s/journey)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await journeysBench((what, value) => console.log(`${what.padEnd(58)} ${value}`));
}
