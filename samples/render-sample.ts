// Render every document the kiosk prints, for the sample persona (or another), to a folder as PDF and PNG (when
// poppler is installed), to look at. Usage: npx tsx samples/render-sample.ts [dir] [persona]
// (default /tmp/konbini-printer-sample, kawasaki-taro). `kiosk print sample` renders one at a time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFont } from '../printer/fonts.ts';
import { countPages } from '../printer/layout/pdf.ts';
import { renderSampleDocument, sampleDocument } from './bench-documents.ts';
import { SAMPLE_TYPES, personasFor } from './registry-samples.ts';

const dir = process.argv[2] ?? '/tmp/konbini-printer-sample';
const persona = process.argv[3] ?? 'kawasaki-taro';
mkdirSync(dir, { recursive: true });

const font = loadFont();
console.log(`font ${font.path}: loaded in ${font.loadMs.toFixed(1)} ms`);
for (const type of SAMPLE_TYPES) {
  if (!personasFor(type).includes(persona)) {
    console.log(`${type}: not for ${persona} (the record does not allow it)`);
    continue;
  }
  const doc = sampleDocument(type, persona);
  const t = performance.now();
  const pdf = await renderSampleDocument(doc);
  const ms = performance.now() - t;
  const file = join(dir, `${type}.pdf`);
  writeFileSync(file, pdf);
  try {
    execFileSync('pdftoppm', ['-r', '60', '-png', file, join(dir, type)]);
  } catch {
    console.log('pdftoppm not available: no PNGs (apt-get install poppler-utils)');
  }
  console.log(`${type}: ${countPages(pdf)} pages, ${(pdf.length / 1024).toFixed(0)} KB, ${ms.toFixed(1)} ms`);
}
console.log(`written to ${dir}`);
