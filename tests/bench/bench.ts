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
