// `kiosk journey run --browser`: the same journey files through the real touch UI in headless Chromium (the built UI in
// dist/ui, Debian's /usr/bin/chromium). A representative part of the library: every kind of step the UI takes (taps,
// 本籍地 by prefecture and municipality, the PIN keypad, sub-types, info, copies, corrections, cash buttons, the
// language bar), device steps and time; then the HTML report with its screenshots. The whole library in the browser
// is measured by `npm run bench` (it passes there too).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { UI_DIR } from '../../kiosk/server.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const kiosk = (...args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
  const p = spawn(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  p.on('close', (status) => done({ status, stdout, stderr }));
});

const SUBSET = [
  '01-juminhyo-happy-path.yaml', // the 14 steps, documents, journal, an ignored tap
  '22-domicile-not-registered.yaml', // 本籍地 by prefecture and municipality
  '24-payment-timeout.yaml', // time: the warning, then the refund
  '25-change-unavailable.yaml', // a fault, a bill handed back, coins
  '33-correct-from-confirm.yaml', // corrections, copies up and down
  '43-fuhyo.yaml', // a person chosen, an info option
  '44-language-zh-hans.yaml', // the language bar
  '50-card-pulled-mid-read.yaml', // a card pulled mid-read
].map((f) => `journeys/${f}`);

describe('kiosk journey run --browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-journeys-browser-'));
  const html = join(dir, 'report.html');
  const junit = join(dir, 'junit.xml');
  let run: Awaited<ReturnType<typeof kiosk>>;

  beforeAll(async () => {
    if (!existsSync(join(UI_DIR, 'index.html'))) throw new Error('The UI is not built: run `npm run build` (npm test does it).');
    run = await kiosk('journey', 'run', ...SUBSET, '--browser', '--html', html, '--junit', junit);
  }, 240_000);

  it('passes the library\'s journeys through the real UI', () => {
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`journeys: ${SUBSET.length} passed, 0 failed`);
    expect(run.status).toBe(0);
  });

  it('reports each step with a screenshot of the screen, and valid JUnit', () => {
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('(browser)');
    const shots = page.match(/src="data:image\/jpeg;base64,[A-Za-z0-9+/=]+"/g) ?? [];
    expect(shots.length).toBeGreaterThan(SUBSET.length * 5);
    // Small: a half-scale JPEG each.
    expect(Math.max(...shots.map((s) => s.length))).toBeLessThan(120_000);
    expect(XMLValidator.validate(readFileSync(junit, 'utf8'))).toBe(true);
    expect(readFileSync(junit, 'utf8')).toContain('<property name="mode" value="browser"/>');
  });

  it('fails a step the UI cannot take, where headless would go on, and says why', async () => {
    const file = join(dir, 'ui-has-no-cancel.yaml');
    writeFileSync(file, 'name: no cancel on the main menu\nclock: 2026-11-24T10:00:00+09:00\nsteps:\n  - tap: cancel\n  - tap: government-service\n');
    const held = join(dir, 'held.yaml');
    writeFileSync(held, 'name: held printing\nclock: 2026-11-24T10:00:00+09:00\nsteps:\n  - tap: government-service\n  - hold: print\n');
    const headless = await kiosk('journey', 'run', file, held);
    expect(headless.stdout).toContain('journeys: 2 passed, 0 failed');
    const browser = await kiosk('journey', 'run', file, held, '--browser');
    expect(browser.status).toBe(1);
    expect(browser.stdout).toContain(`${file}:4: tap cancel: the top screen shows no button cancel`);
    expect(browser.stdout).toContain(`${held}:5: hold needs device work held back, which only a headless run does (not --browser)`);
  }, 120_000);
});
