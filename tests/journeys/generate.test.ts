// Journeys generated from the machine's graph (xstate/graph): valid journey files that pass headless and together fire
// 100% of the machine's transitions, counted in the runtime (not predicted); and the coverage report and drawing,
// through the real `kiosk journey generate` and `kiosk journey coverage` commands.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { kioskMachine } from '../../machine/kiosk-machine.ts';
import { coverageOf } from '../../kiosk/journeys/coverage.ts';
import { parseJourneyText } from '../../kiosk/journeys/format.ts';
import { generateJourneys } from '../../kiosk/journeys/generate.ts';
import { runJourneys } from '../../kiosk/journeys/parallel.ts';
import { allTransitions, machineTransitions } from '../../kiosk/journeys/transitions.ts';
import { loadSampleData } from '../../samples/sample-data.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const kiosk = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
const data = loadSampleData();

describe('generated journeys', async () => {
  const generation = await generateJourneys();
  const journeys = generation.journeys.map((j) => parseJourneyText(j.file, j.text, data.personas.map((p) => p.id), data.municipalities));
  const results = await runJourneys(journeys, { workers: 1 });
  const coverage = coverageOf(kioskMachine, results);

  it('names every transition of the machine once (coverage counts them by name)', () => {
    const listed = machineTransitions(kioskMachine);
    expect(allTransitions(kioskMachine).size).toBe(listed.length);
    expect(listed.length).toBeGreaterThan(90);
  });

  it(`are valid journeys that all pass headless (${generation.journeys.length} journeys)`, () => {
    expect(generation.journeys.length).toBeGreaterThan(10);
    expect(results.filter((r) => !r.passed).map((r) => `${r.file}:${r.failure?.line}: ${r.failure?.message}`)).toEqual([]);
  });

  it('are predicted to cover every transition, and really fire every one of them in the runtime', () => {
    expect(generation.uncovered).toEqual([]);
    expect(coverage.transitions.uncovered).toEqual([]);
    expect(coverage.transitions.covered).toHaveLength(generation.total);
    expect(coverage.states.uncovered).toEqual([]);
    // Each journey fires at least what the graph said it would.
    for (const [i, j] of generation.journeys.entries()) {
      for (const k of j.transitions) expect(results[i].transitions, `${j.file}: ${k}`).toContain(k);
    }
  });

  // A second walk of the whole graph (about 11 s alone on this machine, several times that beside the browser suites).
  it('come out the same every time', async () => {
    const again = await generateJourneys();
    expect(again.journeys.map((j) => j.text)).toEqual(generation.journeys.map((j) => j.text));
  }, 240_000);
});

describe('kiosk journey generate | coverage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-generated-'));
  const generate = kiosk('journey', 'generate', '--out', dir);
  const svg = join(dir, 'coverage.svg');
  const coverage = kiosk('journey', 'coverage', dir, '--svg', svg, '--json');

  it('writes the journeys and says how much they cover', () => {
    expect(generate.stderr).toBe('');
    expect(generate.status).toBe(0);
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(generate.stdout).toContain(`${files.length} journeys`);
    expect(generate.stdout).toMatch(/they fire (\d+)\/\1 transitions of the machine/);
  });

  it('reports 100% of the transitions for the generated set, as JSON', () => {
    expect(coverage.status).toBe(0);
    const c = JSON.parse(coverage.stdout);
    expect(c.transitions.covered.length).toBe(c.transitions.total);
    expect(c.states.covered.length).toBe(c.states.total);
    expect(c.failed).toBe(0);
  });

  it('draws the machine: every transition green, as well-formed SVG', () => {
    const text = readFileSync(svg, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).toContain('transitions 146/146 (100.0%)');
    expect(text).not.toMatch(/<path[^>]*stroke="#d32f2f"/);
    for (const screen of ['top', 'pin-entry', 'verifying', 'printing', 'collect', 'refused', 'print-failed']) expect(text).toContain(`>${screen}</text>`);
  });

  it('shows what a smaller set misses: the list, and red arrows', () => {
    const partial = join(dir, 'partial.svg');
    const r = kiosk('journey', 'coverage', 'journeys/12-outside-hours.yaml', 'journeys/06-expired-certificate.yaml', '--svg', partial);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^journeys: 2 \(0 failed\)\nstates: +\d+\/39 \([\d.]+%\)\ntransitions: +\d+\/146 \([\d.]+%\)\n/);
    expect(r.stdout).toContain('transitions not fired:\n');
    expect(r.stdout).toContain('  kiosk.payment.accepting cash.inserted #0');
    const text = readFileSync(partial, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).toMatch(/<path[^>]*stroke="#d32f2f" stroke-width="2" stroke-dasharray/);
    expect(text).toMatch(/<path[^>]*stroke="#2e7d32" stroke-width="1.6"/);
  });
});
