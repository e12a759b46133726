// The booth's checks on a photograph (../shared/spec/photo-booth.md §6: facing front, plain background, lit, in the
// frame), measured on its pixels so that a person can read each on screen: a face found, centred, lit, a plain
// background. Whether real booths check automatically is UNCONFIRMED; ours do, and say which check failed. The
// measures are simple and stated: skin-coloured pixels (after evening out the exposure) for the face and its place,
// the mean brightness for the light, the spread of brightness along the top and sides for the background.
import { createHash } from 'node:crypto';
import type { PhotoChecks } from '../../machine/booth/types.ts';
import type { Photo } from '../../samples/photos.ts';

/** The limits, in the units measured (luminance 0-255, fractions of the image). */
export const PHOTO_LIMITS = {
  faceShare: { min: 0.05, max: 0.5 },
  centreX: 0.12,
  centreY: { min: 0.3, max: 0.6 },
  meanLuminance: { min: 80, max: 220 },
  backgroundSpread: 15,
} as const;

export interface PhotoMeasures {
  /** The share of the image that is skin-coloured, and where its middle is (fractions of width and height). */
  faceShare: number;
  faceCentre: { x: number; y: number } | null;
  meanLuminance: number;
  /** Standard deviation of the luminance along the top and the sides above the shoulders. */
  backgroundSpread: number;
}

const luminance = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

export function measurePhoto(p: Photo): PhotoMeasures {
  const { width: w, height: h, pixels } = p;
  if (w < 16 || h < 16 || pixels.length !== w * h * 3) throw new RangeError(`a photograph of ${w}×${h} with ${pixels.length} bytes is not RGB pixels`);
  // Exposure evened out for the skin test: the 95th percentile of brightness is brought to 230.
  const lums = new Float64Array(w * h);
  let sum = 0;
  for (let i = 0; i < w * h; i++) {
    lums[i] = luminance(pixels[i * 3], pixels[i * 3 + 1], pixels[i * 3 + 2]);
    sum += lums[i];
  }
  const sorted = Float64Array.from(lums).sort();
  const gain = 230 / Math.max(1, sorted[Math.floor(sorted.length * 0.95)]);
  let skin = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const [r, g, b] = [pixels[i] * gain, pixels[i + 1] * gain, pixels[i + 2] * gain];
      if (r > 95 && r > g && g > b && r - g > 15 && r - b > 40) {
        skin++;
        sx += x;
        sy += y;
      }
    }
  }
  // The background: the top 8% of rows and the outer 10% of columns above 60% of the height.
  const band: number[] = [];
  for (let y = 0; y < Math.floor(h * 0.6); y++) {
    for (let x = 0; x < w; x++) {
      if (y < h * 0.08 || x < w * 0.1 || x >= w * 0.9) band.push(lums[y * w + x]);
    }
  }
  const mean = band.reduce((a, v) => a + v, 0) / band.length;
  const spread = Math.sqrt(band.reduce((a, v) => a + (v - mean) ** 2, 0) / band.length);
  return {
    faceShare: skin / (w * h),
    faceCentre: skin ? { x: sx / skin / w, y: sy / skin / h } : null,
    meanLuminance: sum / (w * h),
    backgroundSpread: spread,
  };
}

/** The checks a person reads on the review screen, from the measures. */
export function checkPhoto(p: Photo): { checks: PhotoChecks; measures: PhotoMeasures } {
  const m = measurePhoto(p);
  const L = PHOTO_LIMITS;
  const face = m.faceShare >= L.faceShare.min && m.faceShare <= L.faceShare.max;
  const centred = face && !!m.faceCentre && Math.abs(m.faceCentre.x - 0.5) <= L.centreX && m.faceCentre.y >= L.centreY.min && m.faceCentre.y <= L.centreY.max;
  return {
    checks: { face, centred, lit: m.meanLuminance >= L.meanLuminance.min && m.meanLuminance <= L.meanLuminance.max, plainBackground: m.backgroundSpread <= L.backgroundSpread },
    measures: m,
  };
}

/** The photograph's digest, as the application carries it (the center keeps the digest, not the picture). */
export const photoDigest = (p: Photo): string => createHash('sha256').update(`${p.width}x${p.height}\n`).update(p.pixels).digest('hex');
