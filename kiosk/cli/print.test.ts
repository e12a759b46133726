// `kiosk print sample`: one document for a sample persona, built by the center's builder and rendered as printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'kiosk-print-'));

function capture() {
  const lines: string[] = [];
  const out = { log: (...a: unknown[]) => lines.push(a.join(' ')), error: (...a: unknown[]) => lines.push(a.join(' ')) } as unknown as Console;
  return { out, lines };
}
/** `kiosk print …` in this process: its exit code and what it said. */
async function print(args: string[], out = capture().out) {
  const lines: string[] = [];
  const code = await main(['print', ...args], { log: (...a: unknown[]) => { lines.push(a.join(' ')); out.log(...a); }, error: (...a: unknown[]) => { lines.push(a.join(' ')); out.error(...a); } } as unknown as Console);
  return { code, said: lines.join('\n') };
}
const pages = (file: string) => Number(execFileSync('pdfinfo', [file], { encoding: 'utf8' }).match(/^Pages:\s+(\d+)$/m)![1]);
const text = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');

describe('kiosk print sample', () => {
  const cases: Array<[string, number, string]> = [
    ['juminhyo', 2, '住民票の写し'],
    ['kisai', 2, '住民票記載事項証明書'],
    ['inkan', 2, '印鑑登録証明書'],
    ['kazei', 2, '課税・非課税証明書'],
    ['shotoku', 2, '所得証明書'],
    ['shotoku-kazei', 2, '所得・課税証明書'],
    ['nozei', 2, '納税証明書'],
    ['koseki-zenbu', 2, '戸籍全部事項証明書'],
    ['koseki-kojin', 2, '戸籍個人事項証明書'],
    ['fuhyo', 2, '戸籍の附票の写し'],
    ['receipt', 1, '利用明細'],
    ['refund-slip', 1, '返金票'],
  ];
  for (const [type, n, title] of cases) {
    it(`--certificate ${type}: writes the PDF and says how big and how fast`, async () => {
      const file = join(dir, `${type}.pdf`);
      const { out, lines } = capture();
      expect((await print(['sample', '--certificate', type, '--out', file], out)).code).toBe(0);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(${n} pages, \\d+ KB, \\d+ ms\\)$`));
      expect(pages(file)).toBe(n);
      expect(text(file)).toContain(title);
      // A certificate names its holder; the receipt and the slip name nobody.
      if (n === 2) expect(text(file)).toContain('川崎太郎');
      else expect(text(file)).not.toContain('川崎太郎');
    });
  }

  it('--persona picks the person (the rare-kanji name comes out whole)', async () => {
    const file = join(dir, 'yoshiko.pdf');
    expect((await print(['sample', '--persona', 'takasaki-yoshiko', '--out', file])).code).toBe(0);
    expect(text(file)).toContain('髙﨑𠮷子');
  });

  it('refuses a persona whose record cannot have the certificate, naming those that can', async () => {
    const err = await print(['sample', '--certificate', 'inkan', '--persona', 'kawasaki-hanako']);
    expect(err.code).toBe(2);
    expect(err.said).toMatch(/no seal is registered.*Personas that can: .*kawasaki-taro/);
    expect(err.said).not.toMatch(/Personas that can: .*kawasaki-hanako/);
    const noRegister = await print(['sample', '--certificate', 'koseki-zenbu', '--persona', 'silva-ana']);
    expect(noRegister.said).toMatch(/no family register/);
  });

  it('bad input is a usage error', async () => {
    const bad: Array<[string[], RegExp]> = [
      [['sample', '--certificate', 'passport'], /expected one of juminhyo, kisai, inkan, kazei, shotoku, shotoku-kazei, nozei, koseki-zenbu, koseki-kojin, fuhyo, receipt, refund-slip/],
      [['sample', '--persona', 'nobody'], /no such persona/],
      [['sample', '--colour', 'red'], /unknown flag --colour/],
      [['sample', '--out'], /--out needs a value/],
      [['sample', 'extra'], /unexpected argument "extra"/],
      [['something'], /unknown print command "something"/],
      [[], /unknown print command ""/],
      [['sample', '--out', join(dir, 'no', 'such', 'folder', 'x.pdf')], /cannot write/],
    ];
    for (const [args, message] of bad) {
      const err = await print(args);
      expect(err.code, args.join(' ')).toBe(2);
      expect(err.said, args.join(' ')).toMatch(message);
    }
  });

  it('from the command line: writes sample-juminhyo.pdf in the current folder; exit 2 with usage on a bad flag', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kiosk-print-cwd-'));
    const ok = spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'print', 'sample'], { cwd, encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^wrote .*sample-juminhyo\.pdf \(2 pages, \d+ KB, \d+ ms\)\n$/);
    expect(existsSync(join(cwd, 'sample-juminhyo.pdf'))).toBe(true);
    const bad = spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'print', 'sample', '--certificate', 'passport'], { cwd, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--certificate passport: expected one of/);
    expect(bad.stderr).toContain('Usage: kiosk print sample [options]');
    expect(bad.stderr).toMatch(/--certificate <TYPE> +juminhyo, kisai/);
  });
});

describe('kiosk print application-form', () => {
  it('prints a new form for a resident, recorded in the folder’s center; refuses nobody (exit 2) and a resident who died (exit 1)', async () => {
    const varDir = join(dir, 'forms-var');
    const file = join(dir, 'form.pdf');
    const done = await print(['application-form', '--persona', 'kawasaki-hanako', '--var', varDir, '--out', file, '--clock', '2026-12-07T10:00:00+09:00']);
    expect(done.code, done.said).toBe(0);
    const id = /申請書ID ((?:\d{4} ){5}\d{3})/.exec(done.said)?.[1];
    expect(id).toBeDefined();
    expect(pages(file)).toBe(2);
    expect(text(file)).toContain(id!.replaceAll(' ', ''));
    // A second form is another ID.
    const again = await print(['application-form', '--persona', 'kawasaki-hanako', '--var', varDir, '--out', file]);
    expect(again.said).not.toContain(id!);
    for (const args of [['--persona', 'nobody-at-all'], ['--persona', 'city-card'], []]) {
      const r = await print(['application-form', ...args, '--var', varDir, '--out', file]);
      expect(r.code, args.join(' ')).toBe(2);
    }
    const dead = await print(['application-form', '--persona', 'deceased', '--var', varDir, '--out', join(dir, 'dead.pdf')]);
    expect(dead.code).toBe(1);
    expect(dead.said).toMatch(/Refused \(not-resident\)/);
    expect(existsSync(join(dir, 'dead.pdf'))).toBe(false);
  }, 60_000);
});
