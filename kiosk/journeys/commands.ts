// `kiosk journey generate` and `kiosk journey coverage` (cli.ts hands them over; `kiosk journey run` lives there).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kioskMachine } from '../../machine/kiosk-machine.ts';
import { UsageError, journeyFiles, parseFlags } from '../cli.ts';
import { loadSampleData } from '../sample-data.ts';
import { coverageOf, coverageSvg, coverageText } from './coverage.ts';
import { parseJourney } from './format.ts';
import { generateJourneys } from './generate.ts';
import { runJourneys } from './parallel.ts';

export const DEFAULT_GENERATED_DIR = join('journeys', 'generated');

export async function journeyCommand(args: string[], out: Console): Promise<number> {
  return args[0] === 'generate' ? generate(args.slice(1), out) : coverage(args.slice(1), out);
}

async function generate(args: string[], out: Console): Promise<number> {
  const { flags, rest } = parseFlags(args, { out: () => null });
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}" (kiosk journey generate [--out DIR])`);
  const dir = resolve(flags.out ?? DEFAULT_GENERATED_DIR);
  const g = await generateJourneys();
  mkdirSync(dir, { recursive: true });
  // The folder holds this generation only: journeys of an earlier one would cover transitions that no longer exist.
  for (const f of readdirSync(dir)) if (/^\d{3}-.*\.yaml$/.test(f)) rmSync(join(dir, f));
  for (const j of g.journeys) writeFileSync(join(dir, j.file), j.text);
  const steps = g.journeys.reduce((a, j) => a + j.steps, 0);
  out.log(`${g.journeys.length} journeys (${steps} steps) in ${dir}`);
  out.log(`from ${g.states} states of the journey graph and ${g.candidates} candidate paths; they fire ${g.total - g.uncovered.length}/${g.total} transitions of the machine`);
  if (g.uncovered.length) out.log(`not reachable by a journey:\n  ${g.uncovered.join('\n  ')}`);
  out.log(`run them: kiosk journey coverage ${flags.out ?? DEFAULT_GENERATED_DIR}`);
  return 0;
}

async function coverage(args: string[], out: Console): Promise<number> {
  const json = args.includes('--json');
  const { flags, rest } = parseFlags(args.filter((a) => a !== '--json'), { svg: () => null, workers: (v) => (/^\d+$/.test(v) && Number(v) >= 1 ? null : 'expected a number of workers') });
  if (!rest.length) throw new UsageError('name at least one journey file or folder (kiosk journey coverage FILE|DIR... [--svg FILE] [--json])');
  const data = loadSampleData();
  const journeys = journeyFiles(rest).map((f) => parseJourney(f, data.personas.map((p) => p.id), data.municipalities));
  const results = await runJourneys(journeys, { workers: flags.workers ? Number(flags.workers) : undefined });
  const c = coverageOf(kioskMachine, results);
  for (const r of results.filter((x) => !x.passed)) out.error(`FAIL ${r.file}:${r.failure!.line}: ${r.failure!.message}`);
  if (json) out.log(JSON.stringify(c, null, 2));
  else out.log(coverageText(c));
  if (flags.svg) {
    writeFileSync(flags.svg, coverageSvg(kioskMachine, c));
    if (!json) out.log(`drawing: ${flags.svg}`);
  }
  return c.failed ? 1 : 0;
}
