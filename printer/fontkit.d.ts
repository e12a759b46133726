// fontkit 2 ships no type declarations; this covers only what the printer uses.
declare module 'fontkit' {
  export interface PathCommand {
    command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
    args: number[];
  }
  export interface BBox {
    minX: number;
    minY: number;
    maxX: number;
    maxY: number;
    width: number;
    height: number;
  }
  export interface Path {
    commands: PathCommand[];
    bbox: BBox;
  }
  export interface Glyph {
    id: number;
    advanceWidth: number;
    path: Path;
    bbox: BBox;
    codePoints: number[];
  }
  export interface GlyphRun {
    glyphs: Glyph[];
    advanceWidth: number;
  }
  export interface Font {
    type: string;
    postscriptName: string;
    familyName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    numGlyphs: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
    getGlyph(id: number): Glyph;
    glyphsForString(text: string): Glyph[];
    layout(text: string): GlyphRun;
  }
  export interface FontCollection {
    type: 'TTC' | 'DFont';
    fonts: Font[];
  }
  export function openSync(path: string, postscriptName?: string): Font | FontCollection;
  export function create(data: Uint8Array, postscriptName?: string): Font | FontCollection;
}
