// A photograph file as the application site receives it (photo-booth.md §6, P7, P8): the JPEG itself, decoded here
// (jpeg-js), turned upright as its EXIF orientation says (exifr: a phone held upright stores its picture sideways),
// cut to the 3.5 × 4.5 frame about its middle and scaled to the 210 × 270 pixels the booth's checks measure. Nothing
// the page says about the file is believed: its type, size and pixels are read from the bytes.
import exifr from 'exifr';
import jpeg from 'jpeg-js';
import type { Photo } from '../../samples/photos.ts';

/** The upload rules of the PC and smartphone routes (photo-booth.md §6, P7, P8). */
export const UPLOAD_RULES = { types: ['image/jpeg'], bytes: { min: 20 * 1024, max: 7 * 1024 * 1024 }, pixels: { min: 480, max: 6000 } } as const;
/** The frame the checks measure (3.5 × 4.5, as the booth's). */
export const FRAME = { width: 210, height: 270 } as const;

/** The file breaks a rule: which one, in words for the page. */
export class PhotoFileError extends Error {
  override readonly name = 'PhotoFileError';
}

export async function readPhotoFile(file: Uint8Array): Promise<Photo> {
  const R = UPLOAD_RULES;
  if (file.length < R.bytes.min || file.length > R.bytes.max) throw new PhotoFileError(`the photograph file is ${file.length} bytes: it must be 20 KB to 7 MB`);
  if (file[0] !== 0xff || file[1] !== 0xd8 || file[2] !== 0xff) throw new PhotoFileError('the photograph file is not a JPEG');
  let raw: { width: number; height: number; data: Uint8Array };
  try {
    // 6000 × 6000 is the largest the rules allow: 36 million pixels; jpeg-js needs about 600 MB to decode it.
    raw = jpeg.decode(file, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false, maxResolutionInMP: 36, maxMemoryUsageInMB: 1024 });
  } catch (e) {
    throw new PhotoFileError(`the photograph file cannot be read as a JPEG (${(e as Error).message.slice(0, 80)})`);
  }
  if (raw.width < R.pixels.min || raw.height < R.pixels.min || raw.width > R.pixels.max || raw.height > R.pixels.max) {
    throw new PhotoFileError(`the photograph is ${raw.width} × ${raw.height} pixels: each side must be 480 to 6000`);
  }
  const orientation = await exifr.orientation(file).catch(() => undefined);
  return toFrame({ width: raw.width, height: raw.height, pixels: raw.data }, typeof orientation === 'number' ? orientation : 1);
}

/**
 * The picture as it is meant to be seen (EXIF orientation 1-8), cut to the frame's proportions about its middle and
 * scaled down by averaging each block of pixels: one pass over the part of the picture kept.
 */
export function toFrame(p: Photo, orientation = 1): Photo {
  const o = orientation >= 1 && orientation <= 8 ? orientation : 1;
  const swap = o >= 5;
  const [w, h] = swap ? [p.height, p.width] : [p.width, p.height];
  // Where an upright pixel (x, y) is stored: base + x·kx + y·ky (bytes), for each orientation.
  const W = p.width;
  const H = p.height;
  const [base, kx, ky] = ([
    [0, 1, W], [0, 1, W], [W - 1, -1, W], [(H - 1) * W + W - 1, -1, -W], [(H - 1) * W, 1, -W],
    [0, W, 1], [(H - 1) * W, -W, 1], [(H - 1) * W + W - 1, -W, -1], [W - 1, W, -1],
  ] as const)[o];
  const aspect = FRAME.width / FRAME.height;
  const [cw, ch] = w / h > aspect ? [h * aspect, h] : [w, w / aspect];
  const [x0, y0] = [(w - cw) / 2, (h - ch) / 2];
  const out = new Uint8Array(FRAME.width * FRAME.height * 3);
  for (let ty = 0; ty < FRAME.height; ty++) {
    const ya = Math.floor(y0 + (ty * ch) / FRAME.height);
    const yb = Math.max(ya + 1, Math.floor(y0 + ((ty + 1) * ch) / FRAME.height));
    for (let tx = 0; tx < FRAME.width; tx++) {
      const xa = Math.floor(x0 + (tx * cw) / FRAME.width);
      const xb = Math.max(xa + 1, Math.floor(x0 + ((tx + 1) * cw) / FRAME.width));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let y = ya; y < yb; y++) {
        for (let x = xa; x < xb; x++) {
          const i = (base + x * kx + y * ky) * 3;
          r += p.pixels[i];
          g += p.pixels[i + 1];
          b += p.pixels[i + 2];
        }
      }
      const n = (yb - ya) * (xb - xa);
      const j = (ty * FRAME.width + tx) * 3;
      out[j] = Math.round(r / n);
      out[j + 1] = Math.round(g / n);
      out[j + 2] = Math.round(b / n);
    }
  }
  return { width: FRAME.width, height: FRAME.height, pixels: out };
}
