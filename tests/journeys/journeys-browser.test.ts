// `kiosk journey run --browser`: the same journey files through the real touch UI in headless Chromium (the built UI in
// dist/ui, Debian's /usr/bin/chromium): the whole shipped library (about a minute), then the HTML report with its
// screenshots and the JUnit file; and a step the UI cannot take fails in the browser where headless would go on.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UI_DIR } from '../../kiosk/server.ts';
import { junitSchemaErrors } from './junit-schema.ts';
import { parseTrace } from '../../reader/trace.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const kiosk = (...args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
  const p = spawn(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  p.on('close', (status) => done({ status, stdout, stderr }));
});

// The whole library, as the issue asks: a journey whose next tap races the page's render fails here (it did, when a
// tap that stays on its screen was not waited for).
const LIBRARY = readdirSync(join(ROOT, 'journeys')).filter((f) => f.endsWith('.yaml')).map((f) => `journeys/${f}`);

describe('kiosk journey run --browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-journeys-browser-'));
  const html = join(dir, 'report.html');
  const junit = join(dir, 'junit.xml');
  const trace = join(dir, 'trace.jsonl');
  let run: Awaited<ReturnType<typeof kiosk>>;

  beforeAll(async () => {
    if (!existsSync(join(UI_DIR, 'index.html'))) throw new Error('The UI is not built: run `npm run build` (npm test does it).');
    run = await kiosk('journey', 'run', ...LIBRARY, '--browser', '--html', html, '--junit', junit, '--trace', trace);
  }, 600_000);

  it('passes the library\'s journeys through the real UI', () => {
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`journeys: ${LIBRARY.length} passed, 0 failed`);
    expect(run.status).toBe(0);
  });

  it('reports each step with a screenshot of the screen, and valid JUnit', () => {
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('(browser)');
    const shots = page.match(/src="data:image\/jpeg;base64,[A-Za-z0-9+/=]+"/g) ?? [];
    expect(shots.length).toBeGreaterThan(LIBRARY.length * 5);
    // Small: a half-scale JPEG each.
    expect(Math.max(...shots.map((s) => s.length))).toBeLessThan(120_000);
    expect(junitSchemaErrors(junit)).toBe('');
    expect(readFileSync(junit, 'utf8')).toContain('<property name="mode" value="browser"/>');
  });

  it('traces every journey\'s APDUs (--trace), each under its file, every PIN masked', () => {
    const entries = parseTrace(readFileSync(trace, 'utf8'));
    const sessions = new Set(entries.map((e) => e.session));
    expect(sessions.size).toBeGreaterThan(LIBRARY.length / 2);
    const verifies = entries.filter((e) => e.command.startsWith('0020') && e.command.length > 8);
    expect(verifies.length).toBeGreaterThan(10);
    for (const v of verifies) expect(v.command).toMatch(/^00200080[0-9A-F]{2}(\*\*)+$/);
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
