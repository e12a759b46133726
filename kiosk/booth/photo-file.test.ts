// The application site reads the photograph file itself: a phone's JPEG (its picture stored sideways, with the EXIF
// orientation that says so) is measured upright; a file that lies about being a JPEG, a picture too small, a file cut
// short are each refused with the rule they break; and over HTTP nothing the page says of the file is believed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { SimClock } from '../clock.ts';
import { samplePhoto, type Photo, type SamplePhoto } from '../../samples/photos.ts';
import { serveApplySite } from './apply-site.ts';
import { encodePng } from './png.ts';
import { checkPhoto } from './photo-checks.ts';
import { PhotoFileError, readPhotoFile, toFrame } from './photo-file.ts';

/** A sample person as a phone would store them: scaled to `w` × `h` with a little sensor noise, as RGBA. */
function asTaken(kind: SamplePhoto, w = 480, h = 617): Photo {
  const s = samplePhoto(kind);
  const pixels = new Uint8Array(w * h * 3);
  let seed = 7;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (Math.floor((y * s.height) / h) * s.width + Math.floor((x * s.width) / w)) * 3;
      for (let k = 0; k < 3; k++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        pixels[(y * w + x) * 3 + k] = Math.max(0, Math.min(255, s.pixels[i + k] + (seed % 9) - 4));
      }
    }
  }
  return { width: w, height: h, pixels };
}

/** Turned 90° anticlockwise, as a phone held upright stores it (EXIF orientation 6 turns it back). */
function sideways(p: Photo): Photo {
  const out = new Uint8Array(p.pixels.length);
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      // Upright (x, y) is stored at (y, W' - 1 - x) of the sideways picture, whose width is the upright height.
      const j = ((p.width - 1 - x) * p.height + y) * 3;
      out.set(p.pixels.subarray((y * p.width + x) * 3, (y * p.width + x) * 3 + 3), j);
    }
  }
  return { width: p.height, height: p.width, pixels: out };
}

function jpegOf(p: Photo, orientation?: number): Buffer {
  const rgba = Buffer.alloc(p.width * p.height * 4, 255);
  for (let i = 0; i < p.width * p.height; i++) rgba.set(p.pixels.subarray(i * 3, i * 3 + 3), i * 4);
  const file = jpeg.encode({ width: p.width, height: p.height, data: rgba }, 95).data;
  if (!orientation) return file;
  // An APP1 Exif segment with one IFD entry, Orientation (0x0112, SHORT), right after the SOI marker.
  const tiff = Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0, 0, 0, 0, 0]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  return Buffer.concat([file.subarray(0, 2), app1, file.subarray(2)]);
}

describe('the photograph file of the smartphone and PC routes', () => {
  it('a good photo passes as taken, and as a phone stores it (sideways, with its EXIF orientation)', async () => {
    const good = asTaken('good');
    expect(checkPhoto(await readPhotoFile(jpegOf(good))).checks).toEqual({ face: true, centred: true, lit: true, plainBackground: true });
    const turned = jpegOf(sideways(good), 6);
    const upright = await readPhotoFile(turned);
    expect(checkPhoto(upright).checks).toEqual({ face: true, centred: true, lit: true, plainBackground: true });
    // Read without its orientation, the same pixels are a person lying on their side, the shoulders along one edge.
    const stored = jpeg.decode(turned, { useTArray: true, formatAsRGBA: false });
    expect(checkPhoto(toFrame({ width: stored.width, height: stored.height, pixels: stored.data })).checks.plainBackground).toBe(false);
    // A dark photo is dark however it is stored.
    expect(checkPhoto(await readPhotoFile(jpegOf(sideways(asTaken('dark')), 6))).checks.lit).toBe(false);
  });

  it('refuses what is not a JPEG, a picture too small, too large a file, and a file cut short, each saying which rule', async () => {
    const png = Buffer.concat([encodePng(asTaken('good')), Buffer.alloc(20 * 1024)]);
    await expect(readPhotoFile(png)).rejects.toThrow(/not a JPEG/);
    const small = jpegOf(asTaken('good', 300, 386));
    const padded = Buffer.concat([small.subarray(0, 2), ...Array.from({ length: 1 }, () => Buffer.concat([Buffer.from([0xff, 0xfe, 0x60, 0x00]), Buffer.alloc(0x5ffe, 0x20)])), small.subarray(2)]);
    await expect(readPhotoFile(padded)).rejects.toThrow(/300 × 386 pixels: each side must be 480 to 6000/);
    await expect(readPhotoFile(Buffer.alloc(10 * 1024))).rejects.toThrow(/10240 bytes: it must be 20 KB to 7 MB/);
    const good = jpegOf(asTaken('good'));
    await expect(readPhotoFile(good.subarray(0, Math.floor(good.length / 2)))).rejects.toThrow(PhotoFileError);
  });

  describe('over HTTP', async () => {
    const site = await serveApplySite({ port: 0, clock: new SimClock('2026-12-07T10:00:00+09:00'), varDir: join(mkdtempSync(join(tmpdir(), 'photo-file-')), 'var') });
    afterAll(() => site.close());
    const post = async (photo: unknown) => {
      const res = await fetch(`${site.url}api/apply`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ form: '1'.repeat(23), email: 'a@example.jp', birthDate: '1982-09-30', certificates: true, braille: false, route: 'pc', photo }),
      });
      return { status: res.status, json: await res.json() };
    };

    it('the site measures the file it receives: a page that says "JPEG, 480 px" of a PNG, or sends a cropped frame, is refused', async () => {
      const png = Buffer.concat([encodePng(asTaken('good')), Buffer.alloc(20 * 1024)]);
      const lie = await post({ jpeg: png.toString('base64'), type: 'image/jpeg', width: 480, height: 617 });
      expect(lie).toMatchObject({ status: 422, json: { error: expect.stringMatching(/not a JPEG/) } });
      const frame = samplePhoto('good');
      const old = await post({ width: 210, height: 270, rgb: Buffer.from(frame.pixels).toString('base64') });
      expect(old).toMatchObject({ status: 400, json: { error: expect.stringMatching(/JPEG file/) } });
      // A real JPEG that passes: the form is unknown to J-LIS, and J-LIS says so (the photo got through).
      const ok = await post({ jpeg: jpegOf(asTaken('good')).toString('base64') });
      expect(ok).toMatchObject({ status: 200, json: { ok: false, reason: 'form-unknown' } });
      const dark = await post({ jpeg: jpegOf(asTaken('dark')).toString('base64') });
      expect(dark).toMatchObject({ status: 200, json: { ok: false, reason: 'photo-rejected', checks: { lit: false } } });
    });

    it('a body over 7 MB of JPEG is refused before it is read', async () => {
      const res = await fetch(`${site.url}api/apply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ photo: { jpeg: 'A'.repeat(10 * 1024 * 1024) } }) });
      expect(res.status).toBe(413);
    });
  });
});
