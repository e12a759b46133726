// journeys/booth/: the photo booth's stories as journeys (the booth beside the journey's terminal, on its clock and
// its center): every refusal of the booth with the coins back, a device that fails, and the story from the booth to
// the konbini. Their report shows no PIN the counter set.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, kiosk } from '../processes.ts';

describe('journeys/booth', () => {
  it('all pass, one report line each, and no PIN in the report', () => {
    const report = join(mkdtempSync(join(tmpdir(), 'booth-journeys-')), 'report.json');
    const run = kiosk('journey', 'run', 'journeys/booth/', '--json', report);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.journeys.map((r: { file: string; passed: boolean }) => `${r.file.split('/').at(-1)} ${r.passed}`)).toEqual(
      readdirSync(join(ROOT, 'journeys', 'booth')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `${f} true`),
    );
    const text = readFileSync(report, 'utf8');
    for (const secret of ['HANA2580', '"2580"']) expect(text).not.toContain(secret);
    expect(text).toContain('collect kawasaki-hanako (new ****, password ****)');
  }, 120_000);
});
