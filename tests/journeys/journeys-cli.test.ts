// The shipped journeys and the journey runner's contract, through the real `kiosk journey run` command:
// exit 0 when all pass, 1 when one fails, 2 on a malformed file (with the file and line), PDFs in the spool.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { junitSchemaErrors } from './junit-schema.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const kiosk = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
const tmp = () => mkdtempSync(join(tmpdir(), 'kiosk-journeys-'));

/** Each case the issues name, and the journey file that reaches it. */
const REQUIRED = {
  // The happy path of every certificate type.
  'happy path of 住民票の写し': '01-juminhyo-happy-path.yaml',
  'happy path of 住民票記載事項証明書 (横浜市)': '39-kisai-yokohama.yaml',
  'happy path of 印鑑登録証明書': '40-inkan-happy-path.yaml',
  'happy path of 課税・非課税証明書': '41-kazei-happy-path.yaml',
  'happy path of 所得証明書 (川崎市, beside its 課税・非課税証明書)': '58-shotoku-kawasaki.yaml',
  'happy path of 納税証明書 (文京区)': '59-nozei-bunkyo.yaml',
  'happy path of 所得・課税証明書 (横浜市, its one tax certificate)': '60-shotoku-kazei-yokohama.yaml',
  'happy path of 戸籍全部事項証明書': '23-koseki-from-domicile.yaml',
  'happy path of 戸籍個人事項証明書': '42-koseki-kojin.yaml',
  'happy path of 戸籍の附票の写し': '43-fuhyo.yaml',
  // Every refusal and failure of the spec's list (kiosk.md, "Refusals and failures").
  'wrong card type': '09-wrong-card-juki.yaml',
  'wrong card type (city card)': '10-wrong-card-city-card.yaml',
  'no card': '31-no-card.yaml',
  'card removed early': '30-card-removed-early.yaml',
  'card pulled mid-read': '50-card-pulled-mid-read.yaml',
  'card read error': '32-card-read-error.yaml',
  'wrong PIN': '02-wrong-pin-then-right.yaml',
  'locked PIN': '03-pin-locked-by-three-wrong.yaml',
  'expired certificate': '06-expired-certificate.yaml',
  'certificate not yet valid': '07-not-yet-valid.yaml',
  'revoked certificate': '08-revoked.yaml',
  'under 15': '15-under-15.yaml',
  'moved out': '16-moved-out.yaml',
  'support measure': '17-support-measure.yaml',
  'city not participating': '19-city-not-participating.yaml',
  'certificate not offered, no seal registered': '20-unavailable-certificates.yaml',
  'no tax data for the year': '21-no-tax-data.yaml',
  '本籍地 not registered': '22-domicile-not-registered.yaml',
  'outside hours': '12-outside-hours.yaml',
  'maintenance': '14-maintenance.yaml',
  'payment cancelled (cancel with refund)': '11-cancel-with-refund.yaml',
  'payment timeout': '24-payment-timeout.yaml',
  'change unavailable': '25-change-unavailable.yaml',
  'paper out': '26-paper-out-mid-job.yaml',
  'paper jam': '27-paper-jam.yaml',
  'printer offline': '28-printer-offline.yaml',
  'issuance center unreachable': '29-center-unreachable.yaml',
  // Every language once.
  'English': '35-foreign-resident-english.yaml',
  '简体中文': '44-language-zh-hans.yaml',
  '繁體中文': '45-language-zh-hant.yaml',
  '한국어': '46-language-ko.yaml',
  'Português': '47-language-pt.yaml',
  'Español': '48-language-es.yaml',
  '日本語 (switched back to)': '49-language-back-to-ja.yaml',
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

  it('switches to every language at least once', () => {
    const text = readdirSync(join(ROOT, 'journeys')).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(ROOT, 'journeys', f), 'utf8')).join('\n');
    for (const language of ['en', 'zh-Hans', 'zh-Hant', 'ko', 'pt', 'es', 'ja']) expect(text, language).toMatch(new RegExp(`language: ${language}\\b`));
  });

  it('reaches every refusal and failure screen the spec lists', () => {
    const text = readdirSync(join(ROOT, 'journeys')).filter((f) => /\.(yaml|md)$/.test(f)).map((f) => readFileSync(join(ROOT, 'journeys', f), 'utf8')).join('\n');
    for (const reason of ['unsupported-card', 'no-card', 'card-removed', 'card-read-error', 'certificate-expired', 'certificate-not-yet-valid',
      'certificate-revoked', 'under-15', 'moved-out', 'support-measure', 'city-not-participating', 'domicile-not-registered',
      'outside-hours', 'year-end', 'maintenance', 'payment-timeout', 'paper-out', 'paper-jam', 'printer-offline', 'center-unreachable',
      'not-offered', 'no-seal', 'no-tax-data', 'change-unavailable', 'adult-ward', 'certificate-not-yet-valid', 'cancelled']) {
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
      [head.replace('2026-11-24T10:00:00+09:00', 'tomorrow') + '  - remove-card\n', /:3: clock: "tomorrow" is not a clock time/],
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

  it('exits 2 on the mistakes a QA engineer makes, saying what was expected', () => {
    const cases: Array<[string, RegExp]> = [
      [head + '  - tap: governmentservice\n', /:5: "tap" needs one of: government-service, copy, print, photo, certificate-service,/],
      [head + '  - copies: "2"\n', /:5: "copies" needs a whole number/],
      ['name: x\nclock: 2026-11-24T10:00:00+09:00\nsteps:\n  - tap: government-service\n  - insert-card\n', /:5: "insert-card" needs a persona \(here or as the journey's persona\)/],
      [head + '  - pin: 0642\n', /:5: "pin" needs the digits as a quoted string, e\.g\. pin: "1234"/],
      [head + '  - domicile: 府中\n', /:5: unknown municipality "府中" for "domicile" \(expected a code or name: 川崎市, /],
      [head + '  - expect: { document: { contain: [川崎] } }\n', /:5: unknown document key "contain" \(expected copy, title, kind, contains, absent\)/],
      [head + '  - insert-card: { profile: /etc/passwd }\n', /:5: "profile" is the path of a card profile relative to the journey's folder/],
      [head + '  - insert-card: { profile: cards/none/profile.json }\n', /:5: "profile" names a missing file: no card profile "cards\/none\/profile.json" beside the journey \(kiosk card profile --persona ID --out DIR writes one\)/],
      [head + '  - insert-card: { profile: x.json, triesLeft: 1 }\n', /:5: "insert-card" needs \{ profile: FILE \} alone \(a profile card has no persona or variant\)/],
    ];
    for (const [text, message] of cases) {
      const file = write('mistake.yaml', text);
      const r = kiosk('journey', 'run', file);
      expect(r.stderr).toMatch(new RegExp(`^kiosk: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${message.source}`));
      expect(r.status).toBe(2);
    }
  });

  it('runs nothing when any file is malformed', () => {
    const good = join(ROOT, 'journeys', '12-outside-hours.yaml');
    const r = kiosk('journey', 'run', good, write('bad.yaml', head + '  - nope\n'));
    expect(r.status).toBe(2);
    expect(r.stdout).not.toContain('PASS');
  });

  it('a card profile that cannot be used fails its journey at that step, naming the field and never a PIN', () => {
    const file = write('profile.yaml', head + '  - insert-card: { profile: card.json }\n');
    writeFileSync(join(dirname(file), 'card.json'), JSON.stringify({ profile: 'kiosk-card-profile/1', kind: 'my-number-card', atrs: ['contact'], pins: { auth: { pin: '8642', triesLeft: 7 } } }));
    const r = kiosk('journey', 'run', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${file}:5: ${join(dirname(file), 'card.json')}: pins.auth.triesLeft is 0-3`);
    expect(r.stdout + r.stderr).not.toContain('8642');
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

  it('--print-speed: real passes a real machine\'s printing time on the journey\'s clock; a speed it does not know, or real in the browser, exits 2', () => {
    const r = kiosk('journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--print-speed', 'real', '--json');
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { passed: number }).passed).toBe(1);
    for (const [args, says] of [
      [['start', '--print-speed', 'slow'], '--print-speed slow: expected one of real, fast'],
      [['journey', 'run', 'journeys/', '--print-speed', '9'], '--print-speed 9: expected one of real, fast'],
      [['journey', 'run', 'journeys/', '--browser', '--print-speed', 'real'], '--print-speed real runs headless'],
    ] as const) {
      const e = kiosk(...args);
      expect(e.status, args.join(' ')).toBe(2);
      expect(e.stderr).toContain(says);
      expect(e.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('with no pcscd to reach, --reader pcsc exits 2 saying how to start it, for journeys and the kiosk alike', () => {
    // libpcsclite finds pcscd by this socket; one that does not exist is a pcscd that is not running (whatever the
    // PC/SC suite runs meanwhile). It crashed with a stack trace once.
    const env = { ...process.env, PCSCLITE_CSOCK_NAME: join(tmp(), 'no-pcscd.comm') };
    for (const args of [['journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--reader', 'pcsc'], ['start', '--reader', 'pcsc', '--port', String(20000 + Math.floor(Math.random() * 20000))]]) {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 30_000 });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^kiosk: pcscd is not running or not reachable \(.*\); start it with `pcscd --foreground &`/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--json alone puts the JSON report on stdout (for a pipe) and the PASS/FAIL lines on stderr', () => {
    const r = kiosk('journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', 'journeys/12-outside-hours.yaml', '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { passed: number; failed: number; journeys: Array<{ file: string }> };
    expect([report.passed, report.failed]).toEqual([2, 0]);
    expect(report.journeys.map((j) => j.file)).toEqual(['journeys/01-juminhyo-happy-path.yaml', 'journeys/12-outside-hours.yaml']);
    expect(r.stderr).toContain('PASS journeys/12-outside-hours.yaml');
    expect(r.stderr).toContain('journeys: 2 passed, 0 failed');
  });

  it('answers a wrong flag with the usage of that command only, the message first', () => {
    const r = kiosk('journey', 'run', 'journeys/', '--workers', '0');
    expect(r.stderr.split('\n')[0]).toBe('kiosk: --workers 0: expected a number of workers, 1-64');
    expect(r.stderr).toContain('Usage: kiosk journey run [options] <FILE|DIR...>');
    expect(r.stderr).not.toMatch(/^ +card /m);
    // An unknown command is answered with the list of every command.
    expect(kiosk('frobnicate').stderr).toMatch(/^ +card +The card store/m);
  });
});

describe('reports: JUnit XML, HTML and JSON, never a PIN', () => {
  const dir = tmp();
  const failing = join(dir, 'zz-fails.yaml');
  writeFileSync(failing, 'name: "a journey that fails <on purpose> & says so"\npersona: kawasaki-taro\nclock: 2026-11-24T10:00:00+09:00\nsteps:\n'
    + '  - tap: government-service\n  - tap: certificate-service\n  - tap: my-number-card\n  - tap: accept-terms\n  - insert-card\n  - tap: residence\n'
    + '  - pin: "8642"\n  - expect: { screen: payment }\n');
  const [junit, html, json] = ['junit.xml', 'report.html', 'report.json'].map((f) => join(dir, f));
  const run = kiosk('journey', 'run', 'journeys/', failing, '--workers', '2', '--junit', junit, '--html', html, '--json', json);
  const files = [...readdirSync(join(ROOT, 'journeys')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `journeys/${f}`), failing];

  it('exits 1 and lists the journeys in file order, whatever thread ran them', () => {
    expect(run.status).toBe(1);
    const listed = run.stdout.split('\n').filter((l) => /^(PASS|FAIL) /.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(listed).toEqual(files);
  });

  it('writes JUnit XML valid against junit.xsd (xmllint): a testsuite per folder, a testcase per journey, the failure with file:line', () => {
    const xml = readFileSync(junit, 'utf8');
    expect(junitSchemaErrors(junit)).toBe('');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml);
    const suites = doc.testsuites.testsuite as Array<{ name: string; tests: string; failures: string; testcase: Array<Record<string, unknown>> }>;
    expect(doc.testsuites.tests).toBe(String(files.length));
    expect(doc.testsuites.failures).toBe('1');
    expect(suites.map((x) => x.name)).toEqual(['journeys', dir]);
    const cases = suites.flatMap((x) => x.testcase);
    expect(cases).toHaveLength(files.length);
    const failed = cases.filter((c) => c.failure);
    expect(failed).toHaveLength(1);
    const failure = failed[0].failure as { message: string; '#text': string };
    expect(failure.message).toBe(`${failing}:12: screen is "card-removal", expected "payment"`);
    expect(failed[0].name).toBe('zz-fails: a journey that fails <on purpose> & says so');
    expect(failure['#text']).toContain(`${failing}:11: ok   pin: ****`);
  });

  it('writes one HTML page: each step with its screen, the machine\'s path, the failure highlighted', () => {
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<(script|link)\b/);
    expect(page.match(/<details id="j\d+" class="journey /g)).toHaveLength(files.length);
    expect(page).toContain('<b class="f">1 failed</b>');
    expect(page).toContain(`Diverged at <a href="#j${files.length - 1}-l12">${failing}:12</a>`);
    expect(page).toMatch(/<tr id="j\d+-l12" class="fail">/);
    expect(page).toContain('<span class="st">pin-entry.verifying</span>');
    expect(page).toContain('<div class="sid">card-removal');
    expect(page).toContain('&lt;on purpose&gt; &amp; says so');
  });

  it('writes the results as JSON, each with its path, transitions and APDUs', () => {
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.failed).toBe(1);
    const happy = report.journeys.find((j: { file: string }) => j.file.endsWith('01-juminhyo-happy-path.yaml'));
    expect(happy.path.slice(0, 3)).toEqual(['top', 'government-menu', 'advanced-menu']);
    expect(happy.transitions).toContain('kiosk.payment.accepting cash.inserted #0');
    expect(happy.apdus).toBeGreaterThan(0);
    expect(happy.printed).toHaveLength(2);
  });

  it('holds none of the journeys\' PINs, in any report or on the screen', () => {
    const pins = new Set(files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/pin: "(\d+)"/g)].map((m) => m[1])));
    // Wrong PINs made of one digit (0000, 1111…) are in every issuance number and date; the persona PINs are not.
    const telling = [...pins].filter((p) => !/^(\d)\1+$/.test(p));
    expect(telling.length).toBeGreaterThan(15);
    for (const [name, text] of [['junit', readFileSync(junit, 'utf8')], ['html', readFileSync(html, 'utf8')], ['json', readFileSync(json, 'utf8')], ['stdout', run.stdout + run.stderr]]) {
      for (const pin of telling) expect(text.includes(pin), `${name} holds ${pin}`).toBe(false);
      expect(text, name).not.toMatch(/pin[^a-z\n]{0,6}\d{4}/i);
    }
  });
});

describe('shards across CI machines: kiosk journey run --shard i/n, then kiosk journey merge', () => {
  const dir = tmp();
  const library = readdirSync(join(ROOT, 'journeys')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `journeys/${f}`);
  const parts = [1, 2, 3].map((i) => {
    const json = join(dir, `shard-${i}.json`);
    const r = kiosk('journey', 'run', 'journeys/', '--shard', `${i}/3`, '--json', json);
    return { r, json, files: (JSON.parse(readFileSync(json, 'utf8')) as { journeys: Array<{ file: string }> }).journeys.map((j) => j.file) };
  });

  it('splits the set into disjoint parts that together are the whole, the same on every run, none a journey larger than another', () => {
    for (const p of parts) expect(p.r.status).toBe(0);
    expect(parts.flatMap((p) => p.files).sort()).toEqual(library);
    expect(new Set(parts.flatMap((p) => p.files)).size).toBe(library.length);
    const sizes = parts.map((p) => p.files.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const again = join(dir, 'again.json');
    kiosk('journey', 'run', 'journeys/', '--shard', '2/3', '--json', again);
    expect((JSON.parse(readFileSync(again, 'utf8')) as { journeys: Array<{ file: string }> }).journeys.map((j) => j.file)).toEqual(parts[1].files);
  });

  it('merges the parts into one JUnit XML valid against junit.xsd, one HTML page and one JSON report', () => {
    const [junit, html, json] = ['merged.xml', 'merged.html', 'merged.json'].map((f) => join(dir, f));
    const m = kiosk('journey', 'merge', ...parts.map((p) => p.json), '--junit', junit, '--html', html, '--json', json);
    expect(m.status).toBe(0);
    expect(m.stdout).toContain(`merged ${library.length} journeys from 3 reports: ${library.length} passed, 0 failed`);
    expect(junitSchemaErrors(junit)).toBe('');
    expect(readFileSync(junit, 'utf8').match(/<testcase /g)).toHaveLength(library.length);
    expect(readFileSync(html, 'utf8').match(/<details id="j\d+" class="journey /g)).toHaveLength(library.length);
    expect((JSON.parse(readFileSync(json, 'utf8')) as { passed: number }).passed).toBe(library.length);
  });

  it('refuses a journey in two parts, a file that is no report and a shard outside 1..n (exit 2, saying what to give)', () => {
    const twice = kiosk('journey', 'merge', parts[0].json, parts[0].json);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('were two parts given the same --shard?');
    const html = join(dir, 'page.html');
    writeFileSync(html, '<!doctype html>');
    expect(kiosk('journey', 'merge', html).stderr).toContain('is not JSON');
    writeFileSync(join(dir, 'other.json'), '{"passed": 1}');
    expect(kiosk('journey', 'merge', join(dir, 'other.json')).stderr).toContain('is no journeys report');
    const unwritable = kiosk('journey', 'merge', parts[0].json, '--junit', join(dir, 'no-such-folder', 'junit.xml'));
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toContain(`cannot open ${join(dir, 'no-such-folder', 'junit.xml')} (ENOENT)`);
    expect(unwritable.stderr).not.toMatch(/\n\s+at /);
    for (const bad of ['0/3', '4/3', '3', 'a/b']) {
      const r = kiosk('journey', 'run', 'journeys/', '--shard', bad);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('expected i/n');
    }
  });

  it('makes the merge fail when a part had a failing journey', () => {
    const failing = join(dir, 'fails.yaml');
    writeFileSync(failing, 'name: "fails"\npersona: kawasaki-taro\nclock: 2026-11-24T10:00:00+09:00\nsteps:\n  - expect: { screen: payment }\n');
    const json = join(dir, 'failing.json');
    expect(kiosk('journey', 'run', failing, '--json', json).status).toBe(1);
    const m = kiosk('journey', 'merge', parts[0].json, json);
    expect(m.status).toBe(1);
    expect(m.stdout).toContain(`FAIL ${failing}:5: screen is "top", expected "payment"`);
  });
});

describe('walks: kiosk journey walk --seed N', () => {
  it('walks 10,000 steps with every oracle holding, the same walk for the same seed, and reports what it covered', () => {
    const dir = tmp();
    const a = kiosk('journey', 'walk', '--seed', '42', '--steps', '10000', '--out', dir);
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/^walk 42: 10000 steps in \d+ journeys, 0 failed/m);
    const report = JSON.parse(readFileSync(join(dir, 'walk-42.json'), 'utf8')) as {
      coverage: Record<'states' | 'transitions' | 'requirements', { covered: string[]; total: number }> & { pairs: { covered: string[] } };
    };
    // Stable ids: the machine's transition keys and `a → b` pairs of them, requirement ids of machine/requirements.ts.
    expect(report.coverage.transitions.covered.length).toBeGreaterThan(100);
    expect(report.coverage.pairs.covered.some((p) => /^kiosk\..+ → kiosk\..+$/.test(p))).toBe(true);
    expect(report.coverage.requirements.covered).toContain('refused:certificate-expired');
    const b = kiosk('journey', 'walk', '--seed', '42', '--steps', '10000', '--json');
    expect(JSON.parse(b.stdout).coverage).toEqual(report.coverage);
    const c = kiosk('journey', 'walk', '--seed', '43', '--steps', '10000', '--json');
    expect(JSON.parse(c.stdout).coverage.pairs).not.toEqual(report.coverage.pairs);
  }, 120_000);

  it('stops once every state is covered with --until states', () => {
    const r = kiosk('journey', 'walk', '--seed', '3', '--until', 'states', '--steps', '100000', '--json');
    const report = JSON.parse(r.stdout) as { steps: number; coverage: { states: { covered: string[]; total: number; missing: string[] } } };
    expect(report.coverage.states.missing).toEqual([]);
    expect(report.coverage.states.covered.length).toBe(report.coverage.states.total);
    expect(report.steps).toBeLessThan(100_000);
  }, 120_000);

  it('refuses a missing seed, an absurd length and weights that are no weights (exit 2, saying what to give)', () => {
    const dir = tmp();
    const cases: Array<[string[], string]> = [
      [[], 'give the walk a seed: --seed N'],
      [['--seed', '1', '--steps', '0'], 'expected a number of steps, 1-1000000'],
      [['--seed', '99999999999'], 'expected a whole number, 0-4294967295'],
      [['--seed', '1', '--until', 'bugs'], 'expected one of transitions, pairs, states, requirements'],
      [['--seed', '1', '--weights', join(dir, 'none.yaml')], 'ENOENT'],
      [['--seed', '1', '--steps', '50', '--out', '/dev/null/walks'], 'cannot mkdir /dev/null/walks (ENOTDIR)'],
    ];
    writeFileSync(join(dir, 'bad.yaml'), 'fault: lots\n');
    cases.push([['--seed', '1', '--weights', join(dir, 'bad.yaml')], 'the weight of fault is "lots"']);
    writeFileSync(join(dir, 'unknown.yaml'), 'jump: 1\n');
    cases.push([['--seed', '1', '--weights', join(dir, 'unknown.yaml')], 'the weights name "jump", which is no step kind']);
    writeFileSync(join(dir, 'zero.yaml'), 'tap: 0\nwait: 0\nfault: 0\nclock: 0\n');
    cases.push([['--seed', '1', '--weights', join(dir, 'zero.yaml')], 'the weights leave no step to take from the first screen']);
    for (const [args, message] of cases) {
      const r = kiosk('journey', 'walk', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
