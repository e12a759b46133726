// Test helpers: inspect a PDF with poppler-utils (apt-get install poppler-utils), the way a reader of the file would.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'printer-test-'));
let n = 0;

/** Write the PDF to a temp file and return its path. */
export function pdfFile(pdf: Buffer): string {
  const path = join(dir, `doc-${++n}.pdf`);
  writeFileSync(path, pdf);
  return path;
}

const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8' });

export const pdfinfo = (pdf: Buffer) => run('pdfinfo', [pdfFile(pdf)]);
export const pdffonts = (pdf: Buffer) => run('pdffonts', [pdfFile(pdf)]);
/** Text of one page (1-based), or of all pages, laid out as on the page (pdftotext -layout). */
export const pdftotext = (pdf: Buffer, page?: number) =>
  run('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-layout', pdfFile(pdf), '-']);

/** Text in reading order, as copy and paste (and `kiosk verify`) get it: a wrapped value stays in one piece. */
export const pdftotextRaw = (pdf: Buffer, page?: number) =>
  run('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-enc', 'UTF-8', pdfFile(pdf), '-']);

/** Rows of pdffonts' table as { name, type, emb, sub, uni }. */
export function fontRows(pdf: Buffer): Array<{ name: string; type: string; emb: string; sub: string; uni: string }> {
  return pdffonts(pdf)
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const m = l.match(/^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/);
      if (!m) throw new Error(`Unexpected pdffonts line: ${l}`);
      return { name: m[1], type: m[2], emb: m[4], sub: m[5], uni: m[6] };
    });
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Render a region of one page (in PDF points) to 8-bit grey pixels, 0 = black, 255 = white. */
export function greyPixels(pdf: Buffer, page: number, dpi: number, region: Region) {
  return render(pdf, page, dpi, region, 'gray');
}

/** Render a region of one page to RGB pixels (3 bytes each). */
export function rgbPixels(pdf: Buffer, page: number, dpi: number, region: Region) {
  return render(pdf, page, dpi, region, 'rgb');
}

function render(
  pdf: Buffer,
  page: number,
  dpi: number,
  region: Region,
  mode: 'gray' | 'rgb',
): { width: number; height: number; pixels: Uint8Array } {
  const px = (pt: number) => String(Math.round((pt * dpi) / 72));
  const out = execFileSync('pdftoppm', [
    ...(mode === 'gray' ? ['-gray'] : []),
    ...['-r', String(dpi), '-f', String(page), '-l', String(page)],
    ...['-x', px(region.x), '-y', px(region.y), '-W', px(region.width), '-H', px(region.height)],
    pdfFile(pdf),
  ], { maxBuffer: 256 * 1024 * 1024 });
  // Binary PGM/PPM: "P5|P6\n<w> <h>\n255\n" then one byte per pixel and channel.
  const header = out.subarray(0, 40).toString('latin1').match(/^P([56])\s+(\d+)\s+(\d+)\s+255\s/);
  if (!header) throw new Error('pdftoppm did not produce a PGM/PPM image');
  const [channels, width, height] = [header[1] === '5' ? 1 : 3, Number(header[2]), Number(header[3])];
  const start = header[0].length;
  return { width, height, pixels: new Uint8Array(out.subarray(start, start + width * height * channels)) };
}
