// Makes the face photographs the sample cards' 券面事項確認AP holds (assets/faces/<persona>.j2k, and default.j2k for
// cards of no persona): samples/card-surface.ts facePixels encoded as a JPEG 2000 codestream with OpenJPEG (compiled
// to WebAssembly, @cornerstonejs/codec-openjpeg), lossy at 1:20, about 2 KB each. The same pixels give the same bytes,
// so the files are made once and kept; a test makes them again and compares.
//   npx tsx samples/faces-generate.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { facePixels } from './card-surface.ts';

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');

interface OpenJpeg {
  J2KEncoder: new () => {
    getDecodedBuffer(info: { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean; isUsingColorTransform: boolean }): Uint8Array;
    setCompressionRatio(layer: number, ratio: number): void;
    encode(): void;
    getEncodedBuffer(): Uint8Array;
    delete(): void;
  };
  J2KDecoder: new () => {
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    getFrameInfo(): { width: number; height: number; componentCount: number };
    getDecodedBuffer(): Uint8Array;
    delete(): void;
  };
}

let codec: Promise<OpenJpeg> | null = null;
/** OpenJPEG's WebAssembly build, instantiated once. */
export function openJpeg(): Promise<OpenJpeg> {
  const factory = createRequire(import.meta.url)('@cornerstonejs/codec-openjpeg') as () => Promise<OpenJpeg>;
  return (codec ??= factory());
}

/** A persona's face as the JPEG 2000 codestream the card holds. */
export async function encodeFace(personaId: string): Promise<Buffer> {
  const { J2KEncoder } = await openJpeg();
  const face = facePixels(personaId);
  const encoder = new J2KEncoder();
  try {
    encoder.getDecodedBuffer({ width: face.width, height: face.height, bitsPerSample: 8, componentCount: 3, isSigned: false, isUsingColorTransform: true }).set(face.pixels);
    encoder.setCompressionRatio(0, 20);
    encoder.encode();
    return Buffer.from(encoder.getEncodedBuffer());
  } finally {
    encoder.delete();
  }
}

/** Every sample card's persona, and `default`. */
export function faceIds(): string[] {
  const { personas } = JSON.parse(readFileSync(join(ASSETS, 'personas.json'), 'utf8')) as { personas: { id: string; card: { kind: string } }[] };
  return ['default', ...personas.filter((p) => p.card.kind === 'my-number-card').map((p) => p.id)];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const id of faceIds()) {
    const file = join(ASSETS, 'faces', `${id}.j2k`);
    writeFileSync(file, await encodeFace(id));
    console.log('wrote', file);
  }
}
