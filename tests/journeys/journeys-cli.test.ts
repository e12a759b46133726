// The shipped journeys and the journey runner's contract, through the real `kiosk journey run` command:
// exit 0 when all pass, 1 when one fails, 2 on a malformed file (with the file and line), PDFs in the spool.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const kiosk = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
const tmp = () => mkdtempSync(join(tmpdir(), 'kiosk-journeys-'));

/** Each case the issue names, and the journey file that reaches it. */
const REQUIRED = {
  'happy path of 住民票の写し': '01-juminhyo-happy-path.yaml',
  'wrong PIN': '02-wrong-pin-then-right.yaml',
  'locked PIN': '03-pin-locked-by-three-wrong.yaml',
  'expired certificate': '06-expired-certificate.yaml',
  'wrong card': '09-wrong-card-juki.yaml',
  'cancel with refund': '11-cancel-with-refund.yaml',
  'outside hours': '12-outside-hours.yaml',
};

describe('kiosk journey run journeys/', () => {
  const dir = tmp();
  const report = join(dir, 'report.json');
  const spool = join(dir, 'spool');
  const run = kiosk('journey', 'run', 'journeys/', '--printer', 'spool', '--spool', spool, '--json', report);
  const result = JSON.parse(readFileSync(report, 'utf8')) as { passed: number; failed: number; journeys: Array<{ file: string; passed: boolean; failure: unknown; documents: string[] }> };

  it('passes every shipped journey and exits 0', () => {
    expect(run.stderr).toBe('');
    expect(result.journeys.filter((j) => !j.passed).map((j) => [j.file, j.failure])).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`journeys: ${result.journeys.length} passed, 0 failed`));
  });

  it.each(Object.entries(REQUIRED))('ships a journey for %s', (_, file) => {
    expect(result.journeys.find((j) => j.file.endsWith(file))?.passed).toBe(true);
  });

  it('reaches every refusal and failure screen the spec lists', () => {
    const text = readdirSync(join(ROOT, 'journeys')).map((f) => readFileSync(join(ROOT, 'journeys', f), 'utf8')).join('\n');
    for (const reason of ['unsupported-card', 'no-card', 'card-removed', 'card-read-error', 'certificate-expired', 'certificate-not-yet-valid',
      'certificate-revoked', 'under-15', 'moved-out', 'support-measure', 'city-not-participating', 'domicile-not-registered',
      'outside-hours', 'year-end', 'maintenance', 'payment-timeout', 'paper-out', 'paper-jam', 'printer-offline', 'center-unreachable',
      'not-offered', 'no-seal', 'no-tax-data', 'change-unavailable']) {
      expect(text, reason).toContain(reason);
    }
  });

  it('prints the happy path 住民票の写し as PDFs a person can read: two copies and a receipt', () => {
    const happy = result.journeys.find((j) => j.file.endsWith('01-juminhyo-happy-path.yaml'))!;
    expect(happy.documents).toHaveLength(3);
    const first = execFileSync('pdftotext', [happy.documents[0], '-'], { encoding: 'utf8' });
    expect(first).toContain('住民票の写し');
    expect(first).toContain('川崎 太郎');
    expect(first).toContain('川崎 花子');
    const receipt = execFileSync('pdftotext', [happy.documents[2], '-'], { encoding: 'utf8' });
    expect(receipt).toContain('利用明細');
  });
});

describe('journey runner errors', () => {
  const write = (name: string, text: string) => {
    const file = join(tmp(), name);
    writeFileSync(file, text);
    return file;
  };
  const head = 'name: test\npersona: kawasaki-taro\nclock: 2026-11-24T10:00:00+09:00\nsteps:\n';

  it('exits 2 naming the file and line of an unknown step', () => {
    const file = write('bad-step.yaml', head + '  - tap: government-service\n  - tapp: certificate-service\n');
    const r = kiosk('journey', 'run', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:6: unknown step "tapp"`);
  });

  it('exits 2 on YAML that does not parse, with the line', () => {
    const file = write('bad-yaml.yaml', head + '  - tap: [government-service\n');
    const r = kiosk('journey', 'run', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file}:\\d+: not valid YAML`));
  });

  it('exits 2 on an unknown persona, a bad clock, a missing key and a bad expectation', () => {
    const cases: Array<[string, RegExp]> = [
      [head.replace('kawasaki-taro', 'nobody') + '  - insert-card\n', /:2: unknown persona "nobody"/],
      [head.replace('2026-11-24T10:00:00+09:00', 'tomorrow') + '  - remove-card\n', /:3: clock "tomorrow" must be an ISO time/],
      ['name: x\nclock: 2026-11-24T10:00:00+09:00\n', /:1: missing "steps"/],
      [head + '  - expect: { screen: nowhere }\n', /:5: unknown screen "nowhere"/],
      [head + '  - expect: { scren: top }\n', /:5: unknown expectation "scren"/],
      [head + '  - pin: 1234\n', /:5: "pin" needs the digits as a quoted string/],
    ];
    for (const [text, message] of cases) {
      const r = kiosk('journey', 'run', write('bad.yaml', text));
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
    }
  });

  it('runs nothing when any file is malformed', () => {
    const good = join(ROOT, 'journeys', '12-outside-hours.yaml');
    const r = kiosk('journey', 'run', good, write('bad.yaml', head + '  - nope\n'));
    expect(r.status).toBe(2);
    expect(r.stdout).not.toContain('PASS');
  });

  it('exits 1 when a journey fails, naming the line and what was seen', () => {
    const file = write('fails.yaml', head + '  - tap: government-service\n  - expect: { screen: payment }\n');
    const r = kiosk('journey', 'run', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${file}:6: screen is "government-menu", expected "payment"`);
    expect(r.stdout).toContain('journeys: 0 passed, 1 failed');
  });

  it('never shows a PIN in a failure', () => {
    const file = write('pin.yaml', head + '  - pin: "8642"\n');
    const r = kiosk('journey', 'run', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Entering a PIN is not possible on the top screen');
    expect(r.stdout + r.stderr).not.toContain('8642');
  });

  it('exits 2 on a wrong flag, a missing value or a missing file, with the usage', () => {
    for (const args of [['journey', 'run', 'journeys/', '--printr', 'null'], ['journey', 'run', 'journeys/', '--printer'], ['journey', 'run', 'no/such/dir'], ['frobnicate'], ['start', '--port', 'eighty']]) {
      const r = kiosk(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('Usage:');
    }
  });
});
