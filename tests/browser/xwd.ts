// What an X display shows, read the way a person would see it: `xwd -root` (x11-apps) dumps the screen, and this
// reads its pixels (the XWD format: a big-endian header, a colour map, then rows of pixels in the server's byte order).
import { execFileSync } from 'node:child_process';

export interface ScreenGrab {
  width: number;
  height: number;
  /** [r, g, b] of the pixel at x, y. */
  rgb(x: number, y: number): [number, number, number];
}

export function grabScreen(display: string): ScreenGrab {
  const d = execFileSync('xwd', ['-root', '-silent', '-display', display], { maxBuffer: 64 * 1024 * 1024 });
  const field = (i: number) => d.readUInt32BE(i * 4);
  const [headerSize, version, bitsPerPixel, bytesPerLine] = [field(0), field(1), field(11), field(12)];
  if (version !== 7 || bitsPerPixel !== 32) throw new Error(`xwd: expected a 32-bit XWD version 7 dump, got version ${version}, ${bitsPerPixel} bits per pixel`);
  const [width, height, lsbFirst, masks, colours] = [field(4), field(5), field(7) === 0, [field(14), field(15), field(16)], field(19)];
  const start = headerSize + colours * 12;
  const channel = (v: number, mask: number) => ((v & mask) >>> Math.log2(mask & -mask)) & 0xff;
  return {
    width,
    height,
    rgb(x, y) {
      const at = start + y * bytesPerLine + x * 4;
      const v = lsbFirst ? d.readUInt32LE(at) : d.readUInt32BE(at);
      return [channel(v, masks[0]), channel(v, masks[1]), channel(v, masks[2])];
    },
  };
}
