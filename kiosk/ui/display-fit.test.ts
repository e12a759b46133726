import { describe, expect, it } from 'vitest';
import { displayFit } from './display-fit.ts';

describe('the display fit', () => {
  it.each([
    // panel → zoom, laid out in, folded, compact, small
    [1280, 800, 1, 1280, 800, false, false, false],
    [1920, 1080, 1.35, 1422, 800, false, false, false],
    [1280, 1024, 1, 1280, 1024, false, false, false],
    [1366, 768, 1, 1366, 768, false, true, false],
    [1024, 768, 1, 1024, 768, true, true, false],
    [1080, 1920, 1.125, 960, 1706, true, false, false],
    [800, 480, 0.75, 1066, 640, true, true, true],
  ])('%i×%i: ×%f, laid out in %i×%i', (w, h, zoom, width, height, fold, compact, small) => {
    expect(displayFit(w, h)).toMatchObject({ zoom, width, height, fold, compact, small });
  });

  it('never zooms a tiny or absurd window below ×0.75, nor breaks on zero', () => {
    expect(displayFit(320, 240).zoom).toBe(0.75);
    expect(displayFit(0, 0)).toMatchObject({ zoom: 0.75, width: 1, height: 1 });
    expect(displayFit(7680, 4320).zoom).toBe(5.4);
  });
});
