import { beforeAll, describe, expect, it } from 'vitest';
import { renderCertificatePdf } from './certificate.ts';
import { hiddenWordPlacements } from './copy-deterrent.ts';
import { A4 } from './pdf.ts';
import { sampleJuminhyo } from '../sample.ts';
import { greyPixels } from '../testing/poppler.ts';

// A band of the back page with no text, only the tint (below the scramble image, above the footer).
const BAND = { x: 0, y: 660, width: A4.width, height: 100 };
const DPI = 600;

/**
 * A crude photocopier: it resolves dots of about 0.6 pt and more, and loses finer ones. Modelled as erosion of the
 * dark pixels with a 5×5 px (0.6 pt) square: what survives would be on the copy.
 */
function copierSurvivors(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const r = 2;
  const dark = pixels.map((v) => (v < 200 ? 1 : 0));
  const across = new Uint8Array(dark.length);
  const out = new Uint8Array(dark.length);
  for (let y = 0; y < height; y++) {
    for (let x = r; x < width - r; x++) {
      let all = 1;
      for (let k = -r; k <= r; k++) all &= dark[y * width + x + k];
      across[y * width + x] = all;
    }
  }
  for (let y = r; y < height - r; y++) {
    for (let x = 0; x < width; x++) {
      let all = 1;
      for (let k = -r; k <= r; k++) all &= across[(y + k) * width + x];
      out[y * width + x] = all;
    }
  }
  return out;
}

describe('copy-deterrent tint with the hidden 「複写」', () => {
  let image: { width: number; height: number; pixels: Uint8Array };
  beforeAll(async () => {
    image = greyPixels(await renderCertificatePdf(sampleJuminhyo()), 2, DPI, BAND);
  });

  it('is faint on the original: a light tint, under 5% ink', () => {
    const mean = image.pixels.reduce((s, v) => s + v, 0) / image.pixels.length;
    expect(mean).toBeGreaterThan(255 * 0.95);
    expect(mean).toBeLessThan(254); // but there is a tint
  });

  it('shows on a copy: only the word’s coarse dots survive, in word-shaped patches, not all over', () => {
    const kept = copierSurvivors(image.pixels, image.width, image.height);
    const tile = Math.round((25 * DPI) / 72);
    let tiles = 0;
    let marked = 0;
    for (let ty = 0; ty + tile <= image.height; ty += tile) {
      for (let tx = 0; tx + tile <= image.width; tx += tile) {
        tiles++;
        let n = 0;
        for (let y = ty; y < ty + tile && !n; y++) for (let x = tx; x < tx + tile; x++) n += kept[y * image.width + x];
        if (n) marked++;
      }
    }
    // Parts of the band lie inside letters (survivors), most of it outside (the fine tint is lost).
    expect(marked / tiles).toBeGreaterThan(0.1);
    expect(marked / tiles).toBeLessThan(0.6);
  });

  it('repeats the word over the whole page', () => {
    const places = hiddenWordPlacements();
    expect(places.some((p) => p.y < 250)).toBe(true);
    expect(places.some((p) => p.y > A4.height - 200)).toBe(true);
  });
});
