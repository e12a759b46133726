import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as fontkit from 'fontkit';
import { countPages, createPdf, wrapText } from './pdf.ts';
import { adler32, adler32Combine, glyphPrefix, trueTypeSubset } from './truetype-subset.ts';
import { DocumentLayoutError, MissingGlyphError } from '../errors.ts';
import { loadFont } from '../fonts.ts';
import { fontRows, pdftotext } from '../testing/poppler.ts';

const at = new Date('2025-11-21T00:00:00Z');

describe('createPdf', () => {
  it('hands every document the one parsed font instead of parsing the file again', () => {
    const a = createPdf({ title: 'a', createdAt: at });
    const b = createPdf({ title: 'b', createdAt: at });
    expect(a.face).toBe(loadFont().face);
    expect(b.face).toBe(a.face);
  });

  it('fails when a layout ran onto a page it did not plan', async () => {
    const canvas = createPdf({ title: 't', createdAt: at });
    canvas.addPage();
    canvas.addPage();
    await expect(canvas.finish(2)).rejects.toThrow(DocumentLayoutError);
  });

  it('gives the planned pages, countable in the bytes, with text that extracts and a subset font', async () => {
    const canvas = createPdf({ title: 't', createdAt: at, fixedTexts: ['住民票の写し'] });
    canvas.text('住民票 髙𠮷', 50, 50, 12);
    canvas.addPage();
    canvas.text('K2025-000123 葛\u{E0102}西', 50, 50, 12);
    const pdf = await canvas.finish(2);
    expect(countPages(pdf)).toBe(2);
    expect(pdftotext(pdf, 1)).toContain('住民票 髙𠮷');
    expect(pdftotext(pdf, 2)).toContain('K2025-000123 葛');
    expect(fontRows(pdf)).toEqual([expect.objectContaining({ name: expect.stringMatching(/^[A-Z]{6}\+IPAmjMincho$/), emb: 'yes', sub: 'yes', uni: 'yes' })]);
  });

  it('refuses to draw a character the font lacks rather than leave a blank box', () => {
    const canvas = createPdf({ title: 't', createdAt: at });
    expect(() => canvas.text('山田\u{10FFFD}', 50, 50, 12)).toThrow(MissingGlyphError);
  });
});

describe('wrapText', () => {
  const { face } = loadFont();
  it('breaks Japanese between characters but never before 。、） or after （', () => {
    const text = 'この写しは、世帯全員の住民票の原本と相違ないことを証明する。（テスト）';
    for (const width of [60, 75, 90, 120, 150]) {
      const lines = wrapText(face, text, width, 10);
      expect(lines.join('')).toBe(text);
      for (const [i, line] of lines.entries()) {
        if (i > 0) expect(line).not.toMatch(/^[。、）]/);
        if (i < lines.length - 1) expect(line).not.toMatch(/（$/);
        if ([...line].length > 2) expect(face.widthOf(line, 10)).toBeLessThanOrEqual(width);
      }
    }
  });

  it('keeps a Latin word or a code whole, and always breaks at a newline', () => {
    expect(wrapText(face, 'SILVA ANA MARIA', 60, 10)).toEqual(['SILVA ANA', 'MARIA']);
    expect(wrapText(face, '一行目\n二行目', 500, 10)).toEqual(['一行目', '二行目']);
  });
});

describe('the embedded font program', () => {
  const { face } = loadFont();
  it('is a zlib stream of a TrueType file with exactly the glyphs asked for, outlines intact', () => {
    const glyphs = [0, ...face.run('住民票髙𠮷').glyphs];
    const prefix = glyphPrefix(face, face.run('住民').glyphs);
    const program = trueTypeSubset(face, [...prefix.glyphs, ...glyphs.filter((g) => !prefix.glyphs.includes(g))], prefix);
    const ttf = inflateSync(program.data); // checks the combined Adler-32 too
    expect(ttf.length).toBe(program.length);
    const sub = fontkit.create(ttf) as fontkit.Font;
    expect(sub.numGlyphs).toBe(program.glyphs.length);
    program.glyphs.forEach((g, i) => {
      if (i === 0) return;
      const mine = sub.getGlyph(i).path.commands.length;
      expect(mine, `glyph ${g}`).toBe(loadFont().font.getGlyph(g).path.commands.length);
      expect(sub.getGlyph(i).advanceWidth).toBe(face.advance(g));
    });
  });

  it('combines Adler-32 checksums as zlib does', () => {
    const a = Buffer.from('証明書の写し'.repeat(50));
    const b = Buffer.from('複写'.repeat(999));
    expect(adler32Combine(adler32(a), adler32(b), b.length)).toBe(adler32(Buffer.concat([a, b])));
  });
});
