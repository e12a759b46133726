import { Image } from '@napi-rs/canvas';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addressLines, faceFile, printedMyNumber, textPng } from './card-surface.ts';
import { encodeFace, faceIds } from './faces-generate.ts';

describe('the pictures of a sample card\'s 券面事項確認AP', () => {
  it('every My Number Card persona has its own face, and the generator makes the same bytes again (reproducible)', async () => {
    const ids = faceIds();
    expect(ids.length).toBeGreaterThan(20);
    const seen = new Set<string>();
    for (const id of ids) {
      const file = faceFile(id);
      expect(file).toMatch(new RegExp(`/assets/faces/${id}\\.j2k$`));
      const committed = readFileSync(file);
      expect(committed.subarray(0, 4).toString('hex')).toBe('ff4fff51'); // SOC, SIZ: a JPEG 2000 codestream
      expect(await encodeFace(id)).toEqual(committed);
      seen.add(committed.toString('base64'));
    }
    expect(seen.size).toBe(ids.length);
    expect(faceFile('no-such-persona')).toMatch(/default\.j2k$/);
  });

  it('every persona\'s pictures fit what a card profile takes (30,000 bytes), as 8-bit grayscale PNGs', async () => {
    const { loadSampleData } = await import('./sample-data.ts');
    const data = loadSampleData();
    const NOW = Date.parse('2026-11-24T10:00:00+09:00');
    let cards = 0;
    for (const p of data.personas.filter((x) => x.card.kind === 'my-number-card')) {
      const surface = data.cardOptions(p.id, data.mintCard(p.id, NOW)).cardInfo?.surface;
      if (!surface) continue;
      cards += 1;
      const pictures = surface.pictures();
      expect(Object.values(pictures).reduce((n, b) => n + b.length, 0)).toBeLessThanOrEqual(30_000);
      expect(pictures.namePng[25]).toBe(0); // IHDR colour type 0: grayscale
    }
    expect(cards).toBeGreaterThan(15);
  });

  it('draws a rare kanji as itself (𠮷 is not 吉), and wraps a long address at 18 characters', () => {
    const size = (png: Buffer) => {
      const image = new Image();
      image.src = png;
      return [image.width, image.height];
    };
    expect(textPng(['𠮷'], 80)).not.toEqual(textPng(['吉'], 80));
    expect(size(textPng(['川崎 太郎'], 40))[1]).toBeGreaterThanOrEqual(52);
    const lines = addressLines('神奈川県川崎市中原区小杉町三丁目２４５番地　パークタワー武蔵小杉１２０３号');
    expect(lines.map((l) => [...l].length)).toEqual([16, 16, 5]); // neither 「２４５」 nor 「１２０３」 is cut
    expect(addressLines('神奈川県川崎市中原区小杉町三丁目600番地')).toEqual(['神奈川県川崎市中原区小杉町三丁目', '600番地']);
    expect(size(textPng(lines, 28))[1]).toBeGreaterThan(3 * 28);
    expect(printedMyNumber('123456789018')).toBe('1234 5678 9018');
  });
});
