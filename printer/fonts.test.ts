import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertGlyphs, DEFAULT_FONT_PATH, FontMissingError, loadFont, MissingGlyphError } from './fonts.ts';

const savedEnv = process.env.KIOSK_FONT;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.KIOSK_FONT;
  else process.env.KIOSK_FONT = savedEnv;
});

describe('loadFont', () => {
  it('loads IPAmj明朝 once and then hands out the same parsed font', () => {
    delete process.env.KIOSK_FONT;
    const first = loadFont();
    expect(first.path).toBe(DEFAULT_FONT_PATH);
    expect(first.font.postscriptName).toBe('IPAmjMincho');
    const again = loadFont();
    expect(again).toBe(first);
    expect(again.font).toBe(first.font);
    expect(again.face).toBe(first.face);
    console.log(`[timing] first font load (open + parse ${DEFAULT_FONT_PATH}): ${first.loadMs.toFixed(1)} ms`);
  });

  it('names the package to install when the font file is missing', () => {
    process.env.KIOSK_FONT = '/nonexistent/fonts/ipamjm.ttf';
    expect(() => loadFont()).toThrow(FontMissingError);
    expect(() => loadFont()).toThrow(/apt-get install fonts-ipamj-mincho/);
    expect(() => loadFont()).toThrow(/\/nonexistent\/fonts\/ipamjm\.ttf/);
  });

  it('refuses a CFF-flavoured OpenType font, saying which kind of font to use', () => {
    const otf = join(tmpdir(), `cff-${process.pid}.otf`);
    writeFileSync(otf, Buffer.concat([Buffer.from('OTTO'), Buffer.alloc(64)]));
    process.env.KIOSK_FONT = otf;
    expect(() => loadFont()).toThrow(/CFF outlines.*\.ttf font such as IPAmj明朝/);
  });

  it('refuses a file that is not a font', () => {
    const bogus = join(tmpdir(), `not-a-font-${process.pid}.ttf`);
    writeFileSync(bogus, 'this is not a font');
    process.env.KIOSK_FONT = bogus;
    expect(() => loadFont()).toThrow(FontMissingError);
    expect(() => loadFont()).toThrow(/not a readable font/);
  });
});

describe('FontFace (the tables read directly)', () => {
  const text = '髙𠮷﨑子 住民票の写し　令和7年 ABC-0123 カワサキ（）、。葛西';
  it('maps characters to the glyphs fontkit finds, outside the BMP and for variation sequences too', () => {
    delete process.env.KIOSK_FONT;
    const { font, face } = loadFont();
    for (const ch of [...text]) expect(face.glyphFor(ch), ch).toBe(font.glyphForCodePoint(ch.codePointAt(0)!).id);
    expect(face.glyphFor('葛\u{E0102}')).toBe(font.glyphsForString('葛\u{E0102}')[0].id);
    expect(face.glyphFor('葛\u{E0102}')).not.toBe(face.glyphFor('葛'));
    expect(face.glyphFor('A\u{E0100}')).toBe(0);
    expect(face.glyphFor('\u{10FFFD}')).toBe(0);
  });

  it('gives the advances and outlines fontkit gives', () => {
    const { font, face } = loadFont();
    for (const g of face.run(text).glyphs) {
      expect(face.advance(g)).toBe(font.getGlyph(g).advanceWidth);
      const mine = face.outline(g);
      const theirs = font.getGlyph(g).path;
      const ends = (cmds: Array<{ command: string; args: number[] }>) => cmds.filter((c) => c.command !== 'closePath').map((c) => c.args.slice(-2).join(','));
      expect(new Set(ends(mine.commands)), `glyph ${g}`).toEqual(new Set(ends(theirs.commands as never)));
    }
  });

  it('reads a glyph from the file only when it is first needed', () => {
    const { face } = loadFont();
    const g = face.glyphFor('鬱');
    const bytes = face.glyphData(g);
    expect(bytes.length).toBeGreaterThan(100);
    expect(bytes.some((b) => b !== 0)).toBe(true);
  });
});

describe('assertGlyphs', () => {
  it('accepts the rare and variant kanji of names, including 𠮷 outside the BMP', () => {
    expect(() => assertGlyphs('髙𠮷 﨑子　住民票の写し　令和7年11月21日　川崎市長之印')).not.toThrow();
  });

  it('rejects a private-use character, naming it and its code point', () => {
    try {
      assertGlyphs('山田\uE000子', 'people[0] 氏名');
      expect.unreachable('U+E000 must be rejected');
    } catch (e) {
      expect(e).toBeInstanceOf(MissingGlyphError);
      const err = e as MissingGlyphError;
      expect(err.char).toBe('\uE000');
      expect(err.codePoint).toBe('U+E000');
      expect(err.message).toContain('U+E000');
      expect(err.message).toContain('people[0] 氏名');
    }
  });

  it('rejects an emoji as one whole code point, not a surrogate half', () => {
    expect(() => assertGlyphs('佐藤😀')).toThrow(MissingGlyphError);
    try {
      assertGlyphs('佐藤😀');
    } catch (e) {
      expect((e as MissingGlyphError).char).toBe('😀');
      expect((e as MissingGlyphError).codePoint).toBe('U+1F600');
    }
  });

  it('accepts an ideographic variation sequence the font has, and rejects one it lacks', () => {
    // IPAmj maps 葛 + VS19 (U+E0102) to its own glyph.
    expect(() => assertGlyphs('葛\u{E0102}西')).not.toThrow();
    expect(() => assertGlyphs('A\u{E0100}')).toThrow(/U\+0041 U\+E0100/);
    expect(() => assertGlyphs('\u{E0100}')).toThrow(MissingGlyphError);
  });

  it('lets line breaks through: they are layout, not glyphs', () => {
    expect(() => assertGlyphs('一行目\n二行目')).not.toThrow();
  });
});
