// `kiosk journey run | generate | coverage | walk | merge`: journeys headless or in Chromium, written from the machine's graph, and
// the part of the machine they cover. Exit 0 all passed, 1 a journey failed, 2 a malformed file.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { join, resolve } from 'node:path';
import { kioskMachine } from '../../machine/kiosk-machine.ts';
import { openTrace, StartError, UsageError, journeyFiles, printable, type Flags } from './flags.ts';
import { remoteCenter } from './remote-center.ts';
import { parseReaderChoice } from '../terminal.ts';
import type { JourneyResult } from '../journeys/run.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { coverageOf, coverageSvg, coverageText } from '../journeys/coverage.ts';
import { parseJourney, type Journey } from '../journeys/format.ts';
import { generateJourneys } from '../journeys/generate.ts';
import { runJourneys } from '../journeys/parallel.ts';

export const DEFAULT_GENERATED_DIR = join('journeys', 'generated');

export async function generate(flags: Flags, out: Console): Promise<number> {
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

export async function coverage(rest: string[], flags: Flags, json: boolean, out: Console): Promise<number> {
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

/**
 * `kiosk journey run`: `json` is true for the report on stdout (the PASS/FAIL lines then on stderr), or the file to
 * write it to.
 */
export async function run(rest: string[], flags: Flags, o: { browser: boolean; json: boolean | string }, out: Console): Promise<number> {
  const { browser } = o;
  const jsonToStdout = o.json === true;
  if (!rest.length) throw new UsageError('name at least one journey file or folder');
  if (browser && flags.reader && flags.reader !== 'sim') throw new UsageError('--browser runs on the sim reader; drop --reader or run headless');
  if (browser && flags['print-speed'] === 'real') throw new UsageError("--print-speed real runs headless (the journey's simulated clock passes the printing time); drop --browser or --print-speed");
  if (browser && flags.oracles === 'true') throw new UsageError('--oracles runs headless (the oracles read the terminal beside the runner); drop --browser or --oracles');
  if (browser && flags.cards) throw new UsageError('--cards runs headless (the browser run gives each journey a kiosk of its own with fresh cards); drop --browser or --cards');
  const data = loadSampleData();
  const personas = data.personas.map((p) => p.id);
  // Every file is parsed before any runs: a malformed file stops the run with exit 2 and nothing half-done.
  let files = journeyFiles(rest);
  if (flags.shard) {
    const { parseShard, shardFiles, ShardError } = await import('../journeys/shard.ts');
    try {
      files = shardFiles(files, parseShard(flags.shard));
    } catch (e) {
      if (e instanceof ShardError) throw new UsageError(e.message);
      throw e;
    }
  }
  const journeys: Journey[] = files.map((f) => parseJourney(f, personas, data.municipalities));
  // Each journey gets a client of its own: a journey that cuts the link (fault: center-down) cuts only its own. The
  // journeys run as the terminal the token belongs to.
  if (flags['center-token'] && !flags.center) throw new UsageError('--center-token goes with --center URL');
  const remote = flags.center ? await remoteCenter(flags.center, flags['center-token'], null) : null;
  const options = {
    printer: (flags.printer as 'spool' | 'null') ?? 'null', printSpeed: flags['print-speed'] as 'real' | 'fast' | undefined, spoolDir: resolve(flags.spool ?? 'spool'), reader: parseReaderChoice(flags.reader ?? 'sim')!,
    centerUrl: flags.center?.replace(/\/+$/, ''), centerToken: remote?.token, terminalId: remote?.terminal, workers: flags.workers ? Number(flags.workers) : undefined,
    cardsDir: flags.cards ? resolve(flags.cards) : undefined, oracles: flags.oracles === 'true',
    // Made empty (or refused with what to do) before any journey runs; each journey then adds to it.
    tracePath: flags.trace ? (openTrace(flags.trace).close(), resolve(flags.trace)) : undefined,
  };
  // A journey's name and a failure's message are the file's words: on a terminal, control characters could move the
  // cursor, recolour or clear the screen (a name with ESC [2J), so they are shown as \x.. instead.
  const say = (line: string) => (jsonToStdout ? out.error(printable(line)) : out.log(printable(line)));
  const report = (r: JourneyResult) => {
    say(`${r.passed ? 'PASS' : 'FAIL'} ${r.file}  ${r.name}  (${r.steps.length} steps, ${r.ms.toFixed(0)} ms)`);
    if (r.failure) say(`     ${r.file}:${r.failure.line}: ${r.failure.message}`);
  };
  const started = performance.now();
  let results: JourneyResult[];
  try {
    results = browser
      ? await (await import('../journeys/browser.ts')).runJourneysInBrowser(journeys, { ...options, screenshots: !!flags.html }, report)
      : await runJourneys(journeys, options, report);
  } catch (e) {
    const name = (e as Error).name;
    // Errors from worker threads arrive by name only.
    if (['PcscUnavailableError', 'PcscdNotRunningError', 'NoPcscReaderError', 'BrowserUnavailableError', 'UiNotBuiltError'].includes(name)) {
      throw new StartError((e as Error).message);
    }
    throw e;
  }
  const failed = results.filter((r) => !r.passed).length;
  const seconds = (performance.now() - started) / 1000;
  say(`journeys: ${results.length - failed} passed, ${failed} failed  (${seconds.toFixed(1)} s, ${(results.length / seconds).toFixed(1)} journeys/s${browser ? ', browser' : ''}${flags.shard ? `, shard ${flags.shard}` : ''})`);
  const { htmlReport, jsonReport, junitXml } = await import('../journeys/report.ts');
  const mode = browser ? 'browser' : 'headless';
  if (typeof o.json === 'string') writeFileSync(o.json, jsonReport(results));
  if (jsonToStdout) out.log(jsonReport(results));
  if (flags.junit) writeFileSync(flags.junit, junitXml(results, { mode }));
  if (flags.html) writeFileSync(flags.html, htmlReport(results, { mode }));
  return failed ? 1 : 0;
}

/** `kiosk journey walk`: a seeded random walk run headless with its oracles; a failing stretch shrunk and written. */
export async function walk(flags: Flags, json: boolean, out: Console): Promise<number> {
  const { Walker, WalkOptionError, WalkTally, checkWeights, failureKind, stretchText } = await import('../journeys/walk.ts');
  if (flags.seed === undefined) throw new UsageError('give the walk a seed: --seed N (the same seed gives the same walk)');
  const seed = Number(flags.seed);
  const steps = Number(flags.steps ?? 1000);
  let weights;
  if (flags.weights) {
    let text: string;
    try {
      text = readFileSync(flags.weights, 'utf8');
    } catch (e) {
      throw new UsageError(`--weights ${flags.weights}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}: give a YAML or JSON file of step kinds and weights`);
    }
    try {
      weights = checkWeights(parseYaml(text));
    } catch (e) {
      throw new UsageError(`--weights ${flags.weights}: ${e instanceof WalkOptionError ? e.message : `not YAML or JSON (${(e as Error).message.split('\n')[0]})`}`);
    }
  }
  const outDir = flags.out ? resolve(flags.out) : null;
  const say = (line: string) => (json ? out.error(line) : out.log(line));
  const walker = await Walker.create();
  const started = performance.now();
  const tally = new WalkTally();
  const failures: Array<{ stretch: number; steps: number; shrunkTo: number; tries: number; message: string; kind: string | null; file: string | null; journey: string }> = [];
  let taken = 0;
  let journeys = 0;
  try {
    // Each stretch planned, run and let go before the next: a long walk's memory is one stretch's.
    for (const stretch of walker.plan({ seed, steps, weights, until: flags.until as never })) {
      const run = await walker.run(seed, stretch);
      tally.add(run);
      taken += stretch.steps.length;
      journeys += 1;
      if (run.result.passed) continue;
      const { run: small, tries } = await walker.shrink(seed, run);
      const kind = failureKind(small.result);
      const text = stretchText(seed, small.stretch, `shrunk from ${stretch.steps.length} steps; fails with ${kind}: ${small.result.failure!.message.replace(/\n/g, ' ').replace(/\.$/, '')}`);
      const file = outDir ? join(outDir, `walk-${seed}-${stretch.index}.yaml`) : null;
      if (file) {
        mkdirSync(outDir!, { recursive: true });
        writeFileSync(file, text);
      }
      failures.push({ stretch: stretch.index, steps: stretch.steps.length, shrunkTo: small.stretch.steps.length, tries, message: small.result.failure!.message, kind, file, journey: text });
      say(printable(`FAIL stretch ${stretch.index} (${stretch.steps.length} steps): ${run.result.failure!.message}`));
      say(printable(`     shrunk to ${small.stretch.steps.length} steps in ${tries} runs${file ? `: ${file}` : ' (--out DIR writes it as a journey)'}`));
    }
  } catch (e) {
    if (e instanceof WalkOptionError) throw new UsageError(e.message);
    throw e;
  }
  const seconds = (performance.now() - started) / 1000;
  const c = tally.coverage();
  say(`walk ${seed}: ${taken} steps in ${journeys} journeys, ${failures.length} failed  (${seconds.toFixed(1)} s)`);
  say(`covered: states ${c.states.covered.length}/${c.states.total}, transitions ${c.transitions.covered.length}/${c.transitions.total}, transition pairs ${c.pairs.covered.length}, requirements ${c.requirements.covered.length}/${c.requirements.total}`);
  const report = { seed, steps: taken, journeys, weights: weights ?? null, until: flags.until ?? null, failures, coverage: c };
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, `walk-${seed}.json`), JSON.stringify(report, null, 2));
  }
  if (json) out.log(JSON.stringify(report, null, 2));
  return failures.length ? 1 : 0;
}

/** `kiosk journey merge`: the JSON reports of several shards joined into one JUnit, HTML and JSON report. */
export async function merge(files: string[], flags: Flags, json: boolean | string, out: Console): Promise<number> {
  if (!files.length) throw new UsageError('name the JSON reports to merge (kiosk journey run --shard i/n --json FILE.json wrote them)');
  const { mergeReports, ShardError } = await import('../journeys/shard.ts');
  const reports = files.map((file) => {
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch (e) {
      throw new UsageError(`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}: give the JSON reports the shards wrote`);
    }
  });
  let results: JourneyResult[];
  try {
    results = mergeReports(reports);
  } catch (e) {
    if (e instanceof ShardError) throw new UsageError(e.message);
    throw e;
  }
  const failed = results.filter((r) => !r.passed);
  const say = (line: string) => (json === true ? out.error(printable(line)) : out.log(printable(line)));
  for (const r of failed) say(`FAIL ${r.file}:${r.failure!.line}: ${r.failure!.message}`);
  say(`merged ${results.length} journeys from ${files.length} reports: ${results.length - failed.length} passed, ${failed.length} failed`);
  const { htmlReport, jsonReport, junitXml } = await import('../journeys/report.ts');
  const modes = [...new Set(results.map((r) => r.mode).filter(Boolean))].join(' and ');
  if (typeof json === 'string') writeFileSync(json, jsonReport(results));
  if (json === true) out.log(jsonReport(results));
  if (flags.junit) writeFileSync(flags.junit, junitXml(results, { mode: modes || undefined }));
  if (flags.html) writeFileSync(flags.html, htmlReport(results, { mode: modes || undefined }));
  return failed.length ? 1 : 0;
}
