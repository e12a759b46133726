// The booth's photo checks, measured on the sample photographs' pixels: each fault of photo-booth.md §6 fails the
// check a person would read for it, and only that one (an off-centre face also leaves the background unplain).
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PHOTO_HEIGHT, PHOTO_WIDTH, samplePhoto } from '../../samples/photos.ts';
import { checkPhoto, photoDigest } from './photo-checks.ts';
import { encodePng } from './png.ts';

describe('the booth’s photo checks', () => {
  it.each([
    ['good', { face: true, centred: true, lit: true, plainBackground: true }],
    ['dark', { face: true, centred: true, lit: false, plainBackground: true }],
    ['off-centre', { face: true, centred: false, lit: true, plainBackground: false }],
    ['busy-background', { face: true, centred: true, lit: true, plainBackground: false }],
    ['nobody', { face: false, centred: false, lit: true, plainBackground: true }],
  ] as const)('%s', (kind, checks) => {
    expect(checkPhoto(samplePhoto(kind)).checks).toEqual(checks);
  });

  it('refuses what is not RGB pixels, and two photographs have two digests', () => {
    expect(() => checkPhoto({ width: 10, height: 10, pixels: new Uint8Array(300) })).toThrow(RangeError);
    expect(() => checkPhoto({ width: 100, height: 100, pixels: new Uint8Array(5) })).toThrow(RangeError);
    expect(photoDigest(samplePhoto('good'))).not.toBe(photoDigest(samplePhoto('dark')));
    expect(photoDigest(samplePhoto('good'))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a photograph becomes a PNG whose pixels are the photograph’s', () => {
    const photo = samplePhoto('good');
    const png = encodePng(photo);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([PHOTO_WIDTH, PHOTO_HEIGHT]);
    const idatAt = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + png.readUInt32BE(idatAt - 4)));
    const row = 100;
    expect(raw.subarray(row * (PHOTO_WIDTH * 3 + 1) + 1, (row + 1) * (PHOTO_WIDTH * 3 + 1))).toEqual(Buffer.from(photo.pixels.subarray(row * PHOTO_WIDTH * 3, (row + 1) * PHOTO_WIDTH * 3)));
  });
});
