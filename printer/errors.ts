// Typed failures of the printer module. Each message says what happened and what to do about it.

/** The Japanese font file is not there (or is not a font), so nothing can be printed. */
export class FontMissingError extends Error {
  override readonly name = 'FontMissingError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(
      `Japanese font ${detail}: ${path}. Install it with \`apt-get install fonts-ipamj-mincho\` ` +
        `(IPAmj明朝), or set KIOSK_FONT to the path of a TrueType/OpenType font with the MJ glyph set.`,
    );
  }
}

/** A character to be printed has no glyph in the font: printing it would leave a blank box. */
export class MissingGlyphError extends Error {
  override readonly name = 'MissingGlyphError';
  /** e.g. "U+E000", or "U+845B U+E0103" for a variation sequence. */
  readonly codePoint: string;
  constructor(
    readonly char: string,
    readonly fontName: string,
    readonly where?: string,
  ) {
    const codePoint = [...char].map((c) => 'U+' + c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')).join(' ');
    super(
      `The font ${fontName} has no glyph for 「${char}」 (${codePoint})${where ? ` in ${where}` : ''}. ` +
        `Fix the source record (use the standard/MJ form of the character), or set KIOSK_FONT to a font that has it.`,
    );
    this.codePoint = codePoint;
  }
}

/** The data handed to the printer cannot be laid out (bad date, bad copy numbers, a record too long for the sheet). */
export class DocumentLayoutError extends Error {
  override readonly name = 'DocumentLayoutError';
}

export type PrinterFault = 'paper-out' | 'paper-jam' | 'offline';

const STAFF_MESSAGES: Record<PrinterFault, string> = {
  'paper-out': '用紙切れ: load A4 paper into the tray (loadPaper), then print again',
  'paper-jam': '紙詰まり: open the printer cover, remove the jammed sheet (clearJam), then print again',
  offline: 'プリンタ オフライン: check the printer power and cable and bring it online (setOnline(true)), then print again',
};

/** The multi-copy machine's printer cannot print now; staff must act before the next sheet. */
export class PrinterFaultError extends Error {
  override readonly name = 'PrinterFaultError';
  constructor(
    readonly fault: PrinterFault,
    /** What was being printed, e.g. "2025-000123-juminhyo-2of3". */
    readonly document: string,
  ) {
    super(`${STAFF_MESSAGES[fault]} (while printing ${document})`);
  }
}

/** The spool cannot take a file (bad name or the directory is not writable). */
export class SpoolError extends Error {
  override readonly name = 'SpoolError';
}
