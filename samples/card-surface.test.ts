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
