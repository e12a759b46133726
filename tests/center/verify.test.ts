// `kiosk verify`, as a receiving organization uses it: the code on the back of a printed certificate is looked up
// in the center's issuance log, and the PDF itself must be the file that was printed.
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJourney } from '../../kiosk/journeys/format.ts';
import { runJourney } from '../../kiosk/journeys/run.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { issuanceLogLines } from '../../center/records/sqlite-issuance-log.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const kiosk = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('kiosk verify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-verify-'));
  const varDir = join(dir, 'var');
  let pdfs: string[] = [];
  let codes: string[] = [];

  beforeAll(async () => {
    const journey = parseJourney(join(ROOT, 'journeys', '01-juminhyo-happy-path.yaml'), loadSampleData().personas.map((p) => p.id));
    const r = await runJourney(journey, { printer: 'spool', spoolDir: join(dir, 'spool'), varDir });
    expect(r.failure).toBeNull();
    pdfs = r.documents.filter((d) => !d.endsWith('-receipt.pdf'));
    const log = issuanceLogLines(join(varDir, 'center'));
    codes = log.filter((l) => l.type === 'issued').map((l) => l.verificationCode as string);
    expect(log.find((l) => l.type === 'printed' && l.verificationCode === codes[0])?.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a printed PDF is genuine and unchanged; both copies of a purchase have their own code', () => {
    expect(pdfs).toHaveLength(2);
    expect(new Set(codes).size).toBe(2);
    for (const [i, pdf] of pdfs.entries()) {
      const r = kiosk('verify', pdf, '--var', varDir);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('GENUINE: ');
      expect(r.stdout).toContain('is the certificate the center issued, unchanged');
      expect(r.stdout).toContain(`住民票の写し  copy ${i + 1} of 2`);
      expect(r.stdout).toContain(codes[i]);
      expect(r.status).toBe(0);
    }
  });

  it('a code alone is found in the log, and says what to compare on paper', () => {
    const r = kiosk('verify', codes[1], '--var', varDir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/GENUINE: the code belongs to a certificate the center issued[\s\S]*copy 2 of 2[\s\S]*K01-20261124-/);
  });

  it('a changed PDF fails: the same certificate re-saved with an appended update', () => {
    const changed = join(dir, 'changed.pdf');
    copyFileSync(pdfs[0], changed);
    appendFileSync(changed, '\n% edited after printing\n');
    const r = kiosk('verify', changed, '--var', varDir);
    expect(r.stdout).toContain(`CHANGED: the code ${codes[0]} is genuine, but ${changed} is not the file that was printed`);
    expect(r.status).toBe(1);
  });

  it('an unknown code, and a PDF with no code, are not genuine', () => {
    const r = kiosk('verify', '1111-2222-3333-4444', '--var', varDir);
    expect(r.stdout).toContain('NOT GENUINE: no certificate with verification code 1111-2222-3333-4444 was issued');
    expect(r.status).toBe(1);
    const receipt = join(dir, 'spool', '01-juminhyo-happy-path');
    const receiptPdf = readFileSync(join(receipt, `${pdfs[0].split('/').pop()!.split('-juminhyo')[0]}-receipt.pdf`));
    writeFileSync(join(dir, 'receipt.pdf'), receiptPdf);
    const noCode = kiosk('verify', join(dir, 'receipt.pdf'), '--var', varDir);
    expect(noCode.stdout).toContain('carries no verification code');
    expect(noCode.status).toBe(1);
  });

  it('a file far larger than a certificate is refused unread, and a PDF that holds pdftotext up is given up after 10 s', () => {
    const huge = join(dir, 'huge.pdf');
    writeFileSync(huge, '%PDF-1.7\n');
    truncateSync(huge, 100 * 2 ** 20); // sparse: 100 MB to read, nothing on disk
    const big = kiosk('verify', huge, '--var', varDir);
    expect(big.status).toBe(2);
    expect(big.stderr).toMatch(/huge\.pdf is 100 MB: a printed certificate is far smaller \(at most 16 MB is read\), so it is not one/);
    // A pdftotext that never finishes (as a PDF crafted to loop it would make the real one).
    const bin = join(dir, 'slow-bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'pdftotext'), '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
    const started = Date.now();
    const slow = spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'verify', pdfs[0], '--var', varDir], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    expect(slow.status).toBe(2);
    expect(slow.stderr).toContain('took pdftotext more than 10 s: it is not a certificate the kiosk printed');
    expect(Date.now() - started).toBeLessThan(25_000);
  }, 40_000);

  it('bad input exits 2 with what to do', () => {
    const cases: Array<[string[], RegExp]> = [
      [['verify'], /name a PDF file or a verification code/],
      [['verify', 'nonsense', '--var', varDir], /neither a file nor a verification code/],
      [['verify', codes[0], '--var', join(dir, 'nowhere')], /no issuance log at .*nowhere.*--var DIR/],
      [['verify', join(varDir, 'center', 'center.sqlite'), '--var', varDir], /is not a PDF file/],
      [['verify', codes[0], '--var', varDir, '--center', 'http://127.0.0.1:9'], /either --var or --center/],
      [['verify', codes[0], '--colour', 'red'], /unknown flag --colour/],
    ];
    for (const [args, message] of cases) {
      const r = kiosk(...args);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.status, args.join(' ')).toBe(2);
    }
  });
});
