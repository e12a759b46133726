// `kiosk load` as a vendor runs it: a real center process, kiosks walking against it, the report read back. With
// 横浜市's defect switched on in the center, the load finds the cross-session documents and exits 1.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const kiosk = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'load', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KIOSK_DEFECT: '', ...env } });

interface Report {
  kiosks: number; journeys: number; steps: number;
  latencyMs: Record<string, { calls: number; p50: number; p95: number; p99: number }>;
  documents: { issued: number; verified: number; refusedSessions: number };
  crossSession: Array<{ kiosk: string; namesThem: boolean }>;
  failures: unknown[];
}

describe('kiosk load', () => {
  it('runs kiosks against a center process and finds no cross-session document: every copy verified, the latency reported', () => {
    const r = kiosk(['--kiosks', '4', '--duration', '4', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.kiosks).toBe(4);
    expect(report.journeys).toBeGreaterThan(10);
    expect(report.documents.issued).toBeGreaterThan(0);
    expect(report.documents.verified).toBe(report.documents.issued);
    expect(report.crossSession).toEqual([]);
    expect(report.failures).toEqual([]);
    for (const call of ['challenge', 'authenticate', 'issue', 'all']) {
      const l = report.latencyMs[call];
      expect(l.calls, call).toBeGreaterThan(0);
      expect(l.p50).toBeLessThanOrEqual(l.p95);
      expect(l.p95).toBeLessThanOrEqual(l.p99);
    }
    expect(r.stderr).toMatch(/4 kiosks on 1 center for [\d.]+ s: \d+ journeys/);
    expect(r.stderr).toContain('cross-session documents: 0');
  }, 60_000);

  it('finds the copies 横浜市\'s defect prints for another person, and exits 1', () => {
    const r = kiosk(['--kiosks', '4', '--duration', '4', '--json'], { KIOSK_TEST: '1', KIOSK_DEFECT: 'yokohama-other-job' });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.crossSession.length).toBeGreaterThan(0);
    expect(report.crossSession.some((x) => !x.namesThem)).toBe(true);
    expect(r.stderr).toMatch(/cross-session documents: [1-9]\d* \(first: L\d{3} L\d{3}-\d{8}-\d{6} for .*the copy names someone else/);
  }, 60_000);

  it('refuses what it cannot do and absurd values (exit 2, saying what to give)', () => {
    const cases: Array<[string[], string]> = [
      [['--centers', '2'], 'needs the PostgreSQL backend (not built yet); run --centers 1'],
      [['--kiosks', '0'], 'expected a number of kiosks, 1-256'],
      [['--kiosks', '9999'], 'expected a number of kiosks, 1-256'],
      [['--duration', '-1'], 'expected a number of seconds, 1-3600'],
      [['--seed', 'x'], 'expected a whole number, 0-4294967295'],
    ];
    for (const [args, message] of cases) {
      const r = kiosk(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
