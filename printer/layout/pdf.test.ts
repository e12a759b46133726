import { describe, expect, it } from 'vitest';
import { countPages, createPdf } from './pdf.ts';
import { DocumentLayoutError } from '../errors.ts';
import { loadFont } from '../fonts.ts';

describe('createPdf', () => {
  it('hands every document the one parsed font instead of parsing the file again', () => {
    const a = createPdf({ title: 'a', createdAt: new Date() }).doc as unknown as { _font: { font: unknown } };
    const b = createPdf({ title: 'b', createdAt: new Date() }).doc as unknown as { _font: { font: unknown } };
    expect(a._font.font).toBe(loadFont().font);
    expect(b._font.font).toBe(a._font.font);
  });

  it('fails when a layout ran onto a page it did not plan', async () => {
    const { doc, done } = createPdf({ title: 't', createdAt: new Date('2025-11-21T00:00:00Z') });
    doc.addPage();
    doc.addPage();
    await expect(done(2)).rejects.toThrow(DocumentLayoutError);
  });

  it('gives the planned pages, countable in the bytes', async () => {
    const { doc, done } = createPdf({ title: 't', createdAt: new Date('2025-11-21T00:00:00Z') });
    doc.text('住民票', 50, 50);
    doc.addPage();
    const pdf = await done(2);
    expect(countPages(pdf)).toBe(2);
  });
});
