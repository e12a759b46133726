// Render the sample 住民票の写し and 利用明細 to a folder (and to PNG when poppler is installed), and print timings.
// Usage: npx tsx printer/render-sample.ts [dir]   (default /tmp/konbini-printer-sample)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFont } from './fonts.ts';
import { renderCertificatePdf } from './layout/certificate.ts';
import { renderReceiptPdf } from './layout/receipt.ts';
import { sampleJuminhyo, sampleReceipt } from './sample.ts';

const dir = process.argv[2] ?? '/tmp/konbini-printer-sample';
mkdirSync(dir, { recursive: true });

const font = loadFont();
let t = performance.now();
const cert = await renderCertificatePdf(sampleJuminhyo());
const first = performance.now() - t;
const runs = 10;
t = performance.now();
for (let i = 0; i < runs; i++) await renderCertificatePdf(sampleJuminhyo({ copyIndex: (i % 2) + 1 }));
const each = (performance.now() - t) / runs;

const files = { 'juminhyo.pdf': cert, 'receipt.pdf': await renderReceiptPdf(sampleReceipt()) };
for (const [name, pdf] of Object.entries(files)) {
  writeFileSync(join(dir, name), pdf);
  try {
    execFileSync('pdftoppm', ['-r', '60', '-png', join(dir, name), join(dir, name.replace('.pdf', ''))]);
  } catch {
    console.log('pdftoppm not available: no PNGs (apt-get install poppler-utils)');
  }
}
console.log(`font ${font.path}: loaded in ${font.loadMs.toFixed(1)} ms`);
console.log(`first certificate (glyph cache cold): ${first.toFixed(1)} ms`);
console.log(`certificate copy, mean of ${runs}: ${each.toFixed(1)} ms (${cert.length} bytes)`);
console.log(`written to ${dir}`);
