// Speed figures, measured rather than asserted (tests never time anything): `npm run bench`.
// Prints a table; numbers are medians over repeated runs on this machine.
import { join, resolve } from 'node:path';
import { CardTerminal } from '../../kiosk/card-terminal.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { spawnSync } from 'node:child_process';
import { loadFont } from '../../printer/fonts.ts';
import { countPages } from '../../printer/layout/pdf.ts';
import { baselineFont, renderBaseline, renderSampleDocument, sampleDocument } from '../../samples/bench-documents.ts';
import { SAMPLE_TYPES } from '../../samples/registry-samples.ts';
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

// The printer: every document the kiosk prints, against a plain pdfkit baseline that sets the same text in the same
// font without the layout. Warm: median of 50 renders in this process (after 20 to let the JIT settle), per page. Cold: the first document of a
// fresh process (font found and parsed, then one document rendered; loading the modules is shown apart), median of
// three processes. Size: bytes of the PDF per page.
{
  const TARGET = { warmPerPage: 10, cold: 200, bytesPerPage: 80 * 1024 };
  const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  const cold = (mode: 'ours' | 'baseline', type: string) => {
    const runs = [0, 1, 2].map(() => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'samples', 'cold-render.ts'), mode, type], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`cold render (${mode} ${type}) failed: ${r.stderr}`);
      return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { importMs: number; fontMs: number; renderMs: number; coldMs: number };
    });
    const by = (k: 'importMs' | 'fontMs' | 'renderMs' | 'coldMs') => median(runs.map((x) => x[k]));
    return { importMs: by('importMs'), fontMs: by('fontMs'), renderMs: by('renderMs'), coldMs: by('coldMs') };
  };
  const font = loadFont();
  console.log(`\nprinter: targets warm <= ${TARGET.warmPerPage} ms/page, cold <= ${TARGET.cold} ms (first document, font parse included), <= ${TARGET.bytesPerPage / 1024} KB/page`);
  console.log(`${'document'.padEnd(34)} ${'pages'.padStart(5)} ${'warm ms/page'.padStart(17)} ${'size/page'.padStart(17)} ${'cold ms'.padStart(14)}`);
  const line = (name: string, pages: number, warm: number, perPage: number, coldMs: number | null) =>
    console.log(
      `${name.padEnd(34)} ${String(pages).padStart(5)} ${`${warm.toFixed(2)} ${mark(warm <= TARGET.warmPerPage)}`.padStart(17)} ` +
        `${`${kb(perPage)} ${mark(perPage <= TARGET.bytesPerPage)}`.padStart(17)} ` +
        `${coldMs === null ? '' : `${coldMs.toFixed(0)} ${mark(coldMs <= TARGET.cold)}`}`.padStart(14),
    );
  const coldOurs = cold('ours', 'juminhyo');
  const coldBase = cold('baseline', 'juminhyo');
  for (const type of SAMPLE_TYPES) {
    const doc = sampleDocument(type);
    const pdf = await renderSampleDocument(doc);
    const pages = countPages(pdf);
    await time(20, () => renderSampleDocument(doc)); // let the JIT settle: warm means the steady state
    const warm = (await time(50, () => renderSampleDocument(doc))) / pages;
    line(`${type} (ours)`, pages, warm, pdf.length / pages, type === 'juminhyo' ? coldOurs.coldMs : null);
  }
  const doc = sampleDocument('juminhyo');
  baselineFont();
  const base = await renderBaseline(doc);
  const basePages = countPages(base);
  await time(20, () => renderBaseline(doc));
  const baseWarm = (await time(50, () => renderBaseline(doc))) / basePages;
  line('juminhyo (baseline: plain pdfkit)', basePages, baseWarm, base.length / basePages, coldBase.coldMs);
  row('  cold, ours: font found and parsed + first document', `${coldOurs.fontMs.toFixed(0)} + ${coldOurs.renderMs.toFixed(0)} ms (modules loaded before: ${coldOurs.importMs.toFixed(0)} ms)`);
  row('  cold, baseline: font parsed (fontkit.openSync) + first document', `${coldBase.fontMs.toFixed(0)} + ${coldBase.renderMs.toFixed(0)} ms (modules: ${coldBase.importMs.toFixed(0)} ms)`);
  row(`  font in this process (${font.path.split('/').pop()}), sparse read and parse`, `${font.loadMs.toFixed(0)} ms`);
  console.log('');
}

// Journeys: headless journeys/s (null printer and PDFs, --workers 1 and 2), the generated set, one browser journey.
{
  const { journeysBench } = await import('./journeys-bench.ts');
  await journeysBench(row);
}

// The touch UI: JavaScript shipped (gzip, fonts excluded; budget 60 KB) and tap → next screen painted over whole
// journeys in headless Chromium (budget p95 50 ms). Needs the built UI (npm run build) and /usr/bin/chromium.
{
  const { uiBench } = await import('../browser/ui-bench.ts');
  await uiBench(row);
}

// Through real pcscd + vpcd. Debian's vpcd 3.3 writes each message in two send() calls, and Nagle holds the second
// until our side acknowledges the first: about 40 ms per APDU with Linux's delayed acknowledgement. The bridge
// acknowledges at once (TCP_QUICKACK, native/tcp-quickack); the rows show both.
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
  const ours = await new PcscReader({ name: 'Virtual PCD 00 00' }).open();
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
  row(`APDU round trip, raw pcsclite (SELECT, via pcscd + vpcd, bridge ${bridge.ackMode})`, `${rawMs.toFixed(2)} ms`);
  row('APDU round trip, our PcscReader session (same card)', `${oursMs.toFixed(2)} ms (${(((oursMs - rawMs) / rawMs) * 100).toFixed(1)}% overhead)`);
  raw.close();
  pcsc.close();
  // The same card through a bridge that leaves the acknowledgement to the kernel.
  {
    const swap = async (out: InstanceType<typeof VpcdBridge>, into: InstanceType<typeof VpcdBridge>) => {
      const removed = new Promise<void>((r) => ours.on('removed', r));
      out.remove();
      await removed;
      const back = new Promise<void>((r) => ours.on('inserted', r));
      await into.insert(data.makeCard('kawasaki-taro', T));
      await back;
    };
    const plain = new VpcdBridge({ slot: 0, quickAck: false });
    await swap(bridge, plain);
    const s2 = ours.connect();
    const delayedMs = await time(10, () => s2.transmit(select));
    row('APDU round trip, our PcscReader, bridge without TCP_QUICKACK (delayed acknowledgement)', `${delayedMs.toFixed(1)} ms (${(delayedMs / oursMs).toFixed(0)}× the quick-ack round trip)`);
    await swap(plain, bridge);
  }

  const certOurs = await time(5, () => new JpkiClient(ours.connect()).readAuthCertificate());
  const certOpensc = await time(5, () => run('pkcs15-tool', ['--reader', '0', '--read-certificate', '01']));
  row('read the user certificate: our JpkiClient (pcscd + vpcd)', `${certOurs.toFixed(0)} ms`);
  row('read the user certificate: OpenSC pkcs15-tool --read-certificate 01 (same card)', `${certOpensc.toFixed(0)} ms`);
  bridge.remove();
  ours.close();
  // The whole journey library through pcscd: what is left after the quick acknowledgement is pcscd's own polling of
  // vpcd for a card coming and going (400 ms: vpcd's IFD handler 1.0 has no event thread).
  const library = Date.now();
  const lib = await run(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'journey', 'run', 'journeys/', '--reader', 'pcsc:Virtual PCD 00 00'], { cwd: ROOT }).catch((e) => e);
  row('the journey library through pcscd + vpcd (kiosk journey run journeys/ --reader pcsc:…)', `${((Date.now() - library) / 1000).toFixed(1)} s (${/journeys: (\d+) passed/.exec(String(lib.stdout))?.[1] ?? '?'} passed)`);
  await pcscd.stop();
}
