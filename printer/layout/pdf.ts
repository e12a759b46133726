// What every printed page shares: an A4 pdfkit document with the shared Japanese font, fixed metadata, and
// a guard against pdfkit silently adding pages when something runs past the bottom.
import PDFDocument from 'pdfkit';
import type { Font } from 'fontkit';
import { loadFont, MINCHO } from '../fonts.ts';
import { DocumentLayoutError } from '../errors.ts';

export type Pdf = PDFKit.PDFDocument;

/** A4 in PDF points. */
export const A4 = { width: 595.28, height: 841.89 } as const;

export const PRODUCER = 'konbini-kiosk simulator';

export interface PdfMeta {
  title: string;
  /** ISO time; becomes CreationDate, so the same input always gives the same bytes. */
  createdAt: Date;
}

/** A new A4 document (first page already added) using the shared Mincho font. */
export function createPdf(meta: PdfMeta): { doc: Pdf; done: (expectedPages: number) => Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    // Zero margins: every element is placed explicitly; a bottom margin would make pdfkit break pages on its own.
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    lang: 'ja',
    displayTitle: true,
    info: { Title: meta.title, Producer: PRODUCER, Creator: PRODUCER, CreationDate: meta.createdAt },
  });
  // @types/pdfkit only knows paths and buffers; pdfkit itself takes an already-parsed fontkit font.
  doc.registerFont(MINCHO, loadFont().font as unknown as Buffer);
  doc.font(MINCHO);

  let pages = 1;
  doc.on('pageAdded', () => pages++);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const done = async (expectedPages: number) => {
    doc.end();
    const pdf = await ended;
    if (pages !== expectedPages) {
      throw new DocumentLayoutError(
        `The layout produced ${pages} pages instead of ${expectedPages}: some text ran off the page. ` +
          `This is a layout bug; report it with the document's data.`,
      );
    }
    return pdf;
  };
  return { doc, done };
}

/** An affine map from glyph design units (y up) to page points (pdfkit's y down). */
export interface OutlinePlacement {
  /** Page position of the glyph origin (left end of the baseline). */
  x: number;
  y: number;
  scaleX: number;
  scaleY: number;
  /** Rotation in degrees, counter-clockwise as seen on the page. */
  rotate?: number;
}

/**
 * Append the outline of `text` (as the font draws it) to the document's current path, so the caller can fill or clip
 * with it. Used for the seal and the hidden 「複写」, which are drawings rather than text: they must not show up in
 * text extraction and must scale freely.
 */
export function traceText(doc: Pdf, font: Font, text: string, at: OutlinePlacement): void {
  const rad = ((at.rotate ?? 0) * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  let penX = 0;
  for (const glyph of font.layout(text).glyphs) {
    const map = (gx: number, gy: number): [number, number] => {
      const lx = (penX + gx) * at.scaleX;
      const ly = gy * at.scaleY; // up
      return [at.x + lx * cos - ly * sin, at.y - (lx * sin + ly * cos)];
    };
    for (const { command, args } of glyph.path.commands) {
      if (command === 'moveTo') doc.moveTo(...map(args[0], args[1]));
      else if (command === 'lineTo') doc.lineTo(...map(args[0], args[1]));
      else if (command === 'quadraticCurveTo') doc.quadraticCurveTo(...map(args[0], args[1]), ...map(args[2], args[3]));
      else if (command === 'bezierCurveTo') {
        doc.bezierCurveTo(...map(args[0], args[1]), ...map(args[2], args[3]), ...map(args[4], args[5]));
      } else doc.closePath();
    }
    penX += glyph.advanceWidth;
  }
}

/** Count the pages of a pdfkit-made PDF (its page objects are not compressed). */
export function countPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
}
