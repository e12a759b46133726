// Sample photographs for the booth's simulated camera (../shared/spec/photo-booth.md §6): a head and shoulders drawn
// in pixels, in the 3.5 × 4.5 frame, as a good ID photo and as each fault the sheet lists (too dark, off centre, a
// background that is not plain, nobody in front of the camera). Deterministic: the same kind is the same pixels.
// The booth's checks measure these pixels; nothing here says whether a photo passes.

/** RGB pixels, 3 bytes each, row by row from the top. */
export interface Photo {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export const SAMPLE_PHOTOS = ['good', 'dark', 'off-centre', 'busy-background', 'nobody'] as const;
export type SamplePhoto = (typeof SAMPLE_PHOTOS)[number];

/** 3.5 × 4.5: the ID photo's frame. */
export const PHOTO_WIDTH = 210;
export const PHOTO_HEIGHT = 270;

const BACKGROUND: [number, number, number] = [196, 206, 216];
const SKIN: [number, number, number] = [224, 172, 140];
const HAIR: [number, number, number] = [40, 32, 30];
const CLOTHES: [number, number, number] = [48, 58, 86];

/** A sample photograph of the kind asked for. */
export function samplePhoto(kind: SamplePhoto): Photo {
  const w = PHOTO_WIDTH;
  const h = PHOTO_HEIGHT;
  const pixels = new Uint8Array(w * h * 3);
  const cx = kind === 'off-centre' ? w * 0.78 : w / 2;
  const cy = h * 0.44;
  const rx = w * 0.2;
  const ry = h * 0.2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let c: [number, number, number] = BACKGROUND;
      if (kind === 'busy-background') {
        // Shelves and a window behind the person: stripes and blocks of strong contrast.
        const stripe = (Math.floor(x / 12) + Math.floor(y / 18)) % 2 === 0;
        c = stripe ? [236, 226, 120] : [70, 110, 60];
      }
      if (kind !== 'nobody') {
        const dx = (x - cx) / rx;
        const dy = (y - cy) / ry;
        const inFace = dx * dx + dy * dy <= 1;
        const inHair = dx * dx + ((y - (cy - ry * 0.35)) / (ry * 0.85)) ** 2 <= 1.1 && y < cy - ry * 0.45;
        const shoulders = y > cy + ry * 1.1 && Math.abs(x - cx) < rx * 2.2 - (h - y) * 0.2;
        if (shoulders) c = CLOTHES;
        if (inHair) c = HAIR;
        if (inFace && !inHair) {
          c = SKIN;
          // Eyes and mouth, darker.
          const eye = Math.abs(Math.abs(x - cx) - rx * 0.38) < rx * 0.1 && Math.abs(y - (cy - ry * 0.12)) < ry * 0.05;
          const mouth = Math.abs(x - cx) < rx * 0.3 && Math.abs(y - (cy + ry * 0.45)) < ry * 0.03;
          if (eye) c = [50, 40, 40];
          if (mouth) c = [170, 90, 90];
        }
      }
      const i = (y * w + x) * 3;
      const dim = kind === 'dark' ? 0.28 : 1;
      pixels[i] = Math.round(c[0] * dim);
      pixels[i + 1] = Math.round(c[1] * dim);
      pixels[i + 2] = Math.round(c[2] * dim);
    }
  }
  return { width: w, height: h, pixels };
}

/**
 * The photograph as a one-frame Y4M video (4:2:0, full range): what Chromium's fake camera plays
 * (--use-file-for-fake-video-capture), so that a test of the browser's camera meets a person.
 */
export function photoAsY4m(p: Photo): Buffer {
  const { width: w, height: h, pixels } = p;
  if (w % 2 || h % 2) throw new RangeError('a Y4M 4:2:0 frame has an even width and height');
  const y = Buffer.alloc(w * h);
  const u = Buffer.alloc((w / 2) * (h / 2));
  const v = Buffer.alloc((w / 2) * (h / 2));
  const clamp = (n: number) => Math.max(0, Math.min(255, Math.round(n)));
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const k = (j * w + i) * 3;
      y[j * w + i] = clamp(0.299 * pixels[k] + 0.587 * pixels[k + 1] + 0.114 * pixels[k + 2]);
    }
  }
  for (let j = 0; j < h; j += 2) {
    for (let i = 0; i < w; i += 2) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [di, dj] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const k = ((j + dj) * w + i + di) * 3;
        r += pixels[k];
        g += pixels[k + 1];
        b += pixels[k + 2];
      }
      [r, g, b] = [r / 4, g / 4, b / 4];
      const c = (j / 2) * (w / 2) + i / 2;
      u[c] = clamp(-0.1687 * r - 0.3313 * g + 0.5 * b + 128);
      v[c] = clamp(0.5 * r - 0.4187 * g - 0.0813 * b + 128);
    }
  }
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F1:1 Ip A1:1 C420jpeg\nFRAME\n`), y, u, v]);
}
