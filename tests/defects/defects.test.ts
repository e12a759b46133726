// The mis-issuance defect pack (center/defects.ts): each failure by which the real service printed other people's
// certificates in 2023 is switched on in turn, and one of the project's own checks must fail on it, saying what it
// saw; with every defect off, the same checks pass. A QA team reads this file as the recipe for their own checks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFECTS, type Defect } from '../../center/defects.ts';
import { SimCenter } from '../../center/sim-center.ts';
import { SimClock } from '../../kiosk/clock.ts';
import { parseJourneyText } from '../../kiosk/journeys/format.ts';
import { runJourney, type JourneyResult } from '../../kiosk/journeys/run.ts';
import { loadSampleData } from '../../samples/sample-data.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const kiosk = (args: string[], defect?: Defect | string, test = true) =>
  spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), ...args], {
    cwd: ROOT, encoding: 'utf8',
    env: { ...process.env, KIOSK_DEFECT: defect ?? '', KIOSK_TEST: test ? '1' : '' },
  });

/** A weighted walk that goes on to print (few waits, cancels, faults): two residents print within a stretch. */
const PRINTING_WALK = 'wait: 0.02\ntap:cancel: 0.02\ntap:back: 0.05\ntap:copy: 0\ntap:pin-reset: 0.05\ntap:domicile-registration: 0.05\nfault: 0.05\npull: 0.05\nhold: 0.05\npin:wrong: 0.2\ndomicile: 0.1\n';

/** One resident's 住民票 (self), whose copy must carry their name and never the other's. */
const oneResident = (persona: string, pin: string, own: string, other: string) => `
name: "${own} at one of two kiosks on one center"
persona: ${persona}
clock: 2026-11-24T10:00:00+09:00
steps:
  - tap: government-service
  - tap: certificate-service
  - tap: my-number-card
  - tap: accept-terms
  - insert-card
  - tap: residence
  - pin: "${pin}"
  - remove-card
  - certificate: juminhyo
  - type: { scope: self }
  - info: { householdHead: true, domicile: false }
  - copies: 1
  - tap: confirm
  - insert-cash: [100, 100]
  - expect: { screen: printing, printed: 1 }
  - expect: { document: { contains: [${own}], absent: [${other}] } }
`;

/**
 * Two kiosks (K01, K02) on one center, their residents a step apart: both are authenticated before either is
 * issued a certificate (the load under which 横浜市's print jobs were released with another person's record).
 */
async function twoKiosksOnOneCenter(defect: Defect | null): Promise<JourneyResult[]> {
  const data = loadSampleData();
  const personas = data.personas.map((p) => p.id);
  const center = new SimCenter({
    municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, signCa: data.signCa.certificate,
    clock: new SimClock('2026-11-24T10:00:00+09:00'),
  });
  const a = parseJourneyText('K01.yaml', oneResident('kawasaki-taro', '8642', '川崎 太郎', '髙﨑 𠮷子'), personas, data.municipalities);
  const b = parseJourneyText('K02.yaml', oneResident('takasaki-yoshiko', '9753', '髙﨑 𠮷子', '川崎 太郎'), personas, data.municipalities);
  const before = { defect: process.env.KIOSK_DEFECT, test: process.env.KIOSK_TEST };
  if (defect) Object.assign(process.env, { KIOSK_DEFECT: defect, KIOSK_TEST: '1' });
  try {
    return await Promise.all([
      runJourney(a, { center: center.connectLocal('K01'), terminalId: 'K01' }),
      runJourney(b, { center: center.connectLocal('K02'), terminalId: 'K02' }),
    ]);
  } finally {
    for (const [k, v] of [['KIOSK_DEFECT', before.defect], ['KIOSK_TEST', before.test]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Each defect, and the check that must catch it: what fails, and the words it fails with. */
const CAUGHT_BY: Record<Defect, () => Promise<void>> = {
  'adachi-unheeded-error': async () => {
    // The library's print failures expect print-failed and a refund; a failure taken as done fails them.
    const r = kiosk(['journey', 'run', 'journeys/'], 'adachi-unheeded-error');
    expect(r.status).toBe(1);
    for (const f of ['26-paper-out-mid-job', '27-paper-jam', '28-printer-offline', '56-center-down-at-issuance']) expect(r.stdout).toMatch(new RegExp(`FAIL journeys/${f}\\.yaml`));
    expect(r.stdout).toMatch(/27-paper-jam\.yaml:\d+: screen is "printing", expected "print-failed"/);
  },
  'munakata-previous-applicant': async () => {
    // The library's two residents one after the other: the second copy is the first resident's.
    const r = kiosk(['journey', 'run', 'journeys/62-two-residents-one-after-the-other.yaml'], 'munakata-previous-applicant');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('does not carry "髙﨑 𠮷子"');
    expect(r.stdout).toContain('carries "川崎 太郎", expected it absent');
    // A walk that prints finds it too, and shrinks it to a journey that fails with the defect and passes without.
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-defect-walk-'));
    writeFileSync(join(dir, 'weights.yaml'), PRINTING_WALK);
    const w = kiosk(['journey', 'walk', '--seed', '1', '--steps', '3000', '--weights', join(dir, 'weights.yaml'), '--out', dir], 'munakata-previous-applicant');
    expect(w.status).toBe(1);
    expect(w.stdout).toMatch(/FAIL stretch \d+/);
    const shrunk = readdirSync(dir).filter((f) => /^walk-1-\d+\.yaml$/.test(f));
    expect(shrunk.length).toBeGreaterThan(0);
    const file = join(dir, shrunk[0]);
    const report = JSON.parse(readFileSync(join(dir, 'walk-1.json'), 'utf8')) as { failures: Array<{ steps: number; shrunkTo: number }> };
    expect(report.failures[0].shrunkTo).toBeLessThan(report.failures[0].steps);
    // The walk's failure was an oracle's: the journey fails again when run with them, and passes without the defect.
    const again = kiosk(['journey', 'run', '--oracles', file], 'munakata-previous-applicant');
    expect(again.status).toBe(1);
    expect(again.stdout).toMatch(/oracle person: certificate K01-\d{8}-\d{6} \(.+\) does not name .+, whose card was read/);
    expect(kiosk(['journey', 'run', '--oracles', file]).status).toBe(0);
  },
  'yokohama-other-job': async () => {
    // (kiosk load finds it too, as cross-session documents: tests/load/load.test.ts.)
    const [k01, k02] = await twoKiosksOnOneCenter('yokohama-other-job');
    // The first kiosk's resident gets the second's record; the second gets their own.
    expect(k01.passed).toBe(false);
    expect(k01.failure!.message).toContain('does not carry "川崎 太郎"');
    expect(k02.passed).toBe(true);
  },
};

describe('the mis-issuance defect pack', () => {
  it('lists every defect of the pack with a check that catches it', () => {
    expect(Object.keys(CAUGHT_BY).sort()).toEqual(Object.keys(DEFECTS).sort());
  });

  it('refuses a defect outside a test, and a defect not in the pack (exit 2, saying what to do)', () => {
    const outside = kiosk(['journey', 'run', 'journeys/01-juminhyo-happy-path.yaml'], 'munakata-previous-applicant', false);
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain('is for tests only: set KIOSK_TEST=1');
    const unknown = kiosk(['journey', 'walk', '--seed', '1'], 'tokyo-nothing');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('KIOSK_DEFECT=tokyo-nothing is no defect of the pack (yokohama-other-job');
    expect(outside.stderr + unknown.stderr).not.toMatch(/\n\s+at /);
  });

  it('with every defect off, the same checks pass', async () => {
    expect(kiosk(['journey', 'run', 'journeys/']).status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-defect-walk-'));
    writeFileSync(join(dir, 'weights.yaml'), PRINTING_WALK);
    const w = kiosk(['journey', 'walk', '--seed', '1', '--steps', '3000', '--weights', join(dir, 'weights.yaml')]);
    expect(w.stdout).toMatch(/walk 1: 3000 steps in \d+ journeys, 0 failed/);
    expect(w.status).toBe(0);
    const both = await twoKiosksOnOneCenter(null);
    expect(both.map((r) => r.failure?.message ?? 'passed')).toEqual(['passed', 'passed']);
  }, 120_000);

  for (const defect of Object.keys(DEFECTS) as Defect[]) {
    it(`catches ${defect}: ${DEFECTS[defect].split(':')[0]}`, () => CAUGHT_BY[defect](), 120_000);
  }
});
