// Speed figures, measured rather than asserted (tests never time anything): `npm run bench`.
// Prints a table; numbers are medians over repeated runs on this machine.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CardTerminal } from '../../kiosk/card-terminal.ts';
import { parseJourney } from '../../kiosk/journeys/format.ts';
import { runJourney } from '../../kiosk/journeys/run.ts';
import { loadSampleData } from '../../kiosk/sample-data.ts';
import { renderCertificatePdf } from '../../printer/layout/certificate.ts';
import { loadFont } from '../../printer/fonts.ts';
import { sampleJuminhyo } from '../../printer/sample.ts';
import { SimReader } from '../../reader/sim-reader.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(runs: number, f: () => Promise<unknown> | unknown): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    ms.push(performance.now() - t);
  }
  return median(ms);
}
const row = (what: string, value: string) => console.log(`${what.padEnd(58)} ${value}`);

const data = loadSampleData();
const T = Date.parse('2026-11-24T10:00:00+09:00');

// The card stack in process: the same APDUs a PC/SC reader would carry.
const reader = new SimReader();
row('mint a persona card (RSA sign of its certificate)', `${(await time(20, () => data.makeCard('kawasaki-taro', T))).toFixed(2)} ms`);
const cardRead = await time(20, async () => {
  if (reader.cardPresent) reader.remove();
  reader.insert(data.makeCard('kawasaki-taro', T));
  await new CardTerminal(reader).read();
});
row('card read: token + certificate + tries left (sim reader)', `${cardRead.toFixed(2)} ms`);
const terminal = new CardTerminal(reader);
const verifySign = await time(20, async () => {
  if (reader.cardPresent) reader.remove();
  reader.insert(data.makeCard('kawasaki-taro', T));
  await terminal.read();
  await terminal.verifyPin(data.persona('kawasaki-taro').card.pin!);
  await terminal.sign(Buffer.alloc(32, 7));
});
row('card read + VERIFY + RSA-2048 signature (sim reader)', `${verifySign.toFixed(2)} ms`);

// PDFs.
const font = loadFont();
row('font load (IPAmj明朝, parsed once per process)', `${font.loadMs.toFixed(0)} ms`);
await renderCertificatePdf(sampleJuminhyo());
row('render one 住民票の写し copy (2 pages), warm', `${(await time(10, () => renderCertificatePdf(sampleJuminhyo()))).toFixed(0)} ms`);

// Headless journeys, null and spool printers.
const files = readdirSync(join(ROOT, 'journeys')).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'journeys', f));
const journeys = files.map((f) => parseJourney(f, data.personas.map((p) => p.id)));
for (const printer of ['null', 'spool'] as const) {
  const spoolDir = mkdtempSync(join(tmpdir(), 'kiosk-bench-'));
  const total = await time(3, async () => {
    for (const j of journeys) {
      const r = await runJourney(j, { printer, spoolDir });
      if (!r.passed) throw new Error(`${j.file} failed: ${r.failure?.message}`);
    }
  });
  const steps = journeys.reduce((a, j) => a + j.steps.length, 0);
  row(`all ${journeys.length} shipped journeys (${steps} steps), ${printer} printer`, `${total.toFixed(0)} ms (${(journeys.length / (total / 1000)).toFixed(1)} journeys/s)`);
}

// Through real pcscd + vpcd (Debian's vpcd 3.3 writes each message in two send() calls, which costs about 40 ms
// per APDU on loopback with Nagle's algorithm: these figures show it rather than hide it).
{
  const { ensurePcscd } = await import('../pcsc/pcscd.ts');
  const { VpcdBridge } = await import('../../reader/vpcd-bridge.ts');
  const { PcscReader } = await import('../../reader/pcsc-reader.ts');
  const { JpkiClient } = await import('../../reader/jpki-client.ts');
  const { CommandApdu } = await import('../../reader/apdu.ts');
  const { createRequire } = await import('node:module');
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  // Asynchronous: the virtual card answers from this very process, through the vpcd bridge.
  const run = promisify(execFile);
  const pcscd = await ensurePcscd();
  const bridge = new VpcdBridge({ slot: 0 });
  const ours = await new PcscReader({ name: 'Virtual PCD 00 00' }).start();
  const inserted = new Promise<void>((r) => ours.on('inserted', r));
  await bridge.insert(data.makeCard('kawasaki-taro', T));
  await inserted;
  const select = new CommandApdu({ cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: Buffer.from('D392F000260100000001', 'hex') });

  // Raw pcsclite: the binding alone, on the same card and reader.
  type RawReader = { name: string; SCARD_SHARE_SHARED: number; SCARD_PROTOCOL_T1: number; connect: Function; transmit: Function; close(): void };
  const pcsc = (createRequire(import.meta.url)('pcsclite') as () => { on: Function; close(): void })();
  pcsc.on('error', () => undefined); // closing the context cancels its status wait
  const raw: RawReader = await new Promise((r) => pcsc.on('reader', (x: RawReader & { on: Function }) => {
    x.on('error', () => undefined);
    if (x.name === 'Virtual PCD 00 00') r(x);
  }));
  const protocol: number = await new Promise((r, j) => raw.connect({ share_mode: raw.SCARD_SHARE_SHARED, protocol: raw.SCARD_PROTOCOL_T1 }, (e: Error, p: number) => (e ? j(e) : r(p))));
  const rawMs = await time(30, () => new Promise((r, j) => raw.transmit(select.toBytes(), 258, protocol, (e: Error, d: Buffer) => (e ? j(e) : r(d)))));
  const session = ours.connect();
  const oursMs = await time(30, () => session.transmit(select));
  row('APDU round trip, raw pcsclite (SELECT, via pcscd + vpcd)', `${rawMs.toFixed(1)} ms`);
  row('APDU round trip, our PcscReader session (same card)', `${oursMs.toFixed(1)} ms (${(((oursMs - rawMs) / rawMs) * 100).toFixed(1)}% overhead)`);
  raw.close();
  pcsc.close();

  const certOurs = await time(5, () => new JpkiClient(ours.connect()).readAuthCertificate());
  const certOpensc = await time(5, () => run('pkcs15-tool', ['--reader', '0', '--read-certificate', '01']));
  row('read the user certificate: our JpkiClient (pcscd + vpcd)', `${certOurs.toFixed(0)} ms`);
  row('read the user certificate: OpenSC pkcs15-tool --read-certificate 01 (same card)', `${certOpensc.toFixed(0)} ms`);
  bridge.remove();
  ours.close();
  await pcscd.stop();
}
