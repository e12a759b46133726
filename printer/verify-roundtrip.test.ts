// The printed certificate as a receiving organization checks it with `kiosk verify`: the code on the back leads to
// the center's record, and the PDF must be the very file that was printed.
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimPrinter } from './sim-printer.ts';
import { SpoolSink } from './sinks.ts';
import { renderCertificatePdf } from './layout/certificate.ts';
import { sampleCertificates } from '../samples/registry-samples.ts';
import type { IssuedCertificate } from './document.ts';
import { SqliteIssuanceLog } from '../center/records/sqlite-issuance-log.ts';
import { contentDigest } from '../center/sim-center.ts';
import { main } from '../kiosk/cli/main.ts';

function consoleToText() {
  const lines: string[] = [];
  const out = { log: (...a: unknown[]) => lines.push(a.join(' ')), error: (...a: unknown[]) => lines.push(a.join(' ')) } as unknown as Console;
  return { out, text: () => lines.join('\n') };
}

async function verify(...args: string[]) {
  const c = consoleToText();
  const status = await main(['verify', ...args], c.out);
  return { status, stdout: c.text() };
}

describe('kiosk verify on printed certificates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'printer-verify-'));
  const varDir = join(dir, 'var');
  let certs: IssuedCertificate[];
  const files: string[] = [];

  beforeAll(async () => {
    certs = sampleCertificates('juminhyo', 'takasaki-yoshiko', { copies: 2, issuedAt: '2026-11-24T10:00:00+09:00', issuanceNumber: 'K01-20261124-000007' });
    // The center's database, where kiosk verify --var reads the log.
    const { log, database } = SqliteIssuanceLog.open(join(varDir, 'center', 'center.sqlite'));
    log.record(log.nextSequence(), certs.map((c) => ({
      issuanceNumber: c.issuanceNumber, verificationCode: c.verificationCode, terminal: 'K01', holder: 'takasaki-yoshiko', city: '141305',
      title: c.title, copy: c.copyIndex, copies: c.copies, issuedAt: c.issuedAt, contentSha256: contentDigest(c),
    })));
    const printer = new SimPrinter({ sink: new SpoolSink(join(dir, 'spool')) });
    for (const c of certs) {
      const doc = await printer.printCertificate(c);
      log.printed(c.verificationCode, doc.sha256!);
      files.push(doc.path!);
    }
    database.db.close();
  });

  it('the code printed on the back round-trips: each copy is genuine and unchanged', async () => {
    for (const [i, file] of files.entries()) {
      const r = await verify(file, '--var', varDir);
      expect(r.stdout).toContain('is the certificate the center issued, unchanged');
      expect(r.stdout).toContain(`copy ${i + 1} of 2`);
      expect(r.stdout).toContain(certs[i].verificationCode);
      expect(r.status).toBe(0);
    }
  });

  it('the code alone is found too', async () => {
    const r = await verify(certs[1].verificationCode, '--var', varDir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('K01-20261124-000007');
  });

  it('a changed PDF fails: bytes appended, or the record redrawn under the same code', async () => {
    const appended = join(dir, 'appended.pdf');
    copyFileSync(files[0], appended);
    appendFileSync(appended, '\n% edited\n');
    const a = await verify(appended, '--var', varDir);
    expect(a.stdout).toContain(`CHANGED: the code ${certs[0].verificationCode} is genuine`);
    expect(a.status).toBe(1);

    const forged = { ...certs[0], people: certs[0].people.map((p) => p.map((f) => (f.label === '氏名' ? { ...f, value: '高崎 吉子' } : f))) };
    const redrawn = join(dir, 'redrawn.pdf');
    writeFileSync(redrawn, await renderCertificatePdf(forged));
    const b = await verify(redrawn, '--var', varDir);
    expect(b.stdout).toContain('is not the file that was printed');
    expect(b.status).toBe(1);
  });

  it('the same copy rendered again is byte for byte the printed file, so a reprint verifies', async () => {
    expect((await renderCertificatePdf(certs[0])).equals(readFileSync(files[0]))).toBe(true);
  });
});
