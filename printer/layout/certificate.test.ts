import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { checkCertificate, renderCertificatePdf } from './certificate.ts';
import { scrambleCells } from './scramble-image.ts';
import { sampleJuminhyo } from '../sample.ts';
import { DocumentLayoutError, MissingGlyphError } from '../errors.ts';
import { fontRows, greyPixels, pdffonts, pdfinfo, pdftotext, rgbPixels } from '../testing/poppler.ts';

/** Where the test leaves PNGs of the sample for a person to look at. */
export const PNG_DIR = '/tmp/konbini-printer-png';

describe('renderCertificatePdf (住民票の写し, household of three)', () => {
  const cert = sampleJuminhyo();
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await renderCertificatePdf(cert);
  });

  it('is two A4 pages with the title and simulator as metadata', () => {
    const info = pdfinfo(pdf);
    expect(info).toMatch(/^Pages:\s+2$/m);
    expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
    expect(info).toMatch(/^Title:\s+住民票の写し$/m);
    expect(info).toMatch(/^Producer:\s+konbini-kiosk simulator$/m);
    expect(info).toMatch(/^CreationDate:\s+Fri Nov 21 05:05:00 2025 UTC$/m);
  });

  it('embeds a subset of IPAmj明朝 and no other font', () => {
    const rows = fontRows(pdf);
    expect(rows).toHaveLength(1);
    expect(rows[0].name).toMatch(/^[A-Z]{6}\+IPAmjMincho$/);
    expect(rows[0]).toMatchObject({ emb: 'yes', sub: 'yes', uni: 'yes' });
    expect(pdffonts(pdf)).not.toMatch(/\bno\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/m);
  });

  it('prints the record on the front: title, rare-kanji names, certification, era date, mayor', () => {
    const front = pdftotext(pdf, 1);
    expect(front).toContain('住民票の写し');
    for (const name of ['髙𠮷 太郎', '髙𠮷 﨑子', '髙𠮷 健太']) expect(front).toContain(name);
    expect(front).toContain('神奈川県川崎市中原区小杉町三丁目２６４番地３');
    expect(front).toContain('この写しは、世帯全員の住民票の原本と相違ないことを証明する。');
    expect(front).toContain('令和7年11月21日');
    expect(front).toMatch(/川崎市長\s+多摩 一郎/);
    expect(front).toContain('以下余白');
    expect(front).toContain('コンビニ交付（テストデータ）');
    // The seal and the hidden 「複写」 are drawings, so they never pollute the text.
    expect(front).not.toContain('長之印');
    expect(front).not.toMatch(/複写/);
  });

  it('prints the issuance number, the copy number and "page n of m" on both pages', () => {
    for (const page of [1, 2]) {
      const text = pdftotext(pdf, page);
      expect(text, `page ${page}`).toMatch(/発行番号 K2025-000123\s+2通中1通目/);
      expect(text, `page ${page}`).toContain(`（${page}/2）`);
      expect(text, `page ${page}`).toContain('コンビニ交付（テストデータ）');
    }
  });

  it('prints the verification code on the back, with the authenticity text', () => {
    const back = pdftotext(pdf, 2);
    expect(back).toContain('7Q4M-2X9C-HT5A');
    expect(back).toContain('この証明書の真正性は');
    expect(back).toContain('スクランブル画像');
    expect(back).toContain('令和7年11月21日');
    expect(pdftotext(pdf, 1)).not.toContain('7Q4M-2X9C-HT5A');
  });

  it('gives byte-identical PDFs for the same copy, and different ones for another copy', async () => {
    expect((await renderCertificatePdf(cert)).equals(pdf)).toBe(true);
    const second = await renderCertificatePdf(sampleJuminhyo({ copyIndex: 2 }));
    expect(second.equals(pdf)).toBe(false);
    expect(pdftotext(second, 2)).toMatch(/発行番号 K2025-000123\s+2通中2通目/);
  });

  it('stamps the red seal over the end of the mayor line on the front, and nowhere on the back', () => {
    const isRed = (px: Uint8Array, i: number) => px[i] > 150 && px[i + 1] < 110 && px[i + 2] < 110;
    const count = (page: number, region: { x: number; y: number; width: number; height: number }) => {
      const { pixels } = rgbPixels(pdf, page, 72, region);
      let n = 0;
      for (let i = 0; i < pixels.length; i += 3) if (isRed(pixels, i)) n++;
      return n;
    };
    // Inside the frame: the six characters 川崎市長之印 are red too.
    expect(count(1, { x: 491, y: 696, width: 48, height: 48 })).toBeGreaterThan(150);
    expect(count(1, { x: 470, y: 675, width: 90, height: 90 })).toBeGreaterThan(800);
    expect(count(1, { x: 0, y: 0, width: 595, height: 640 })).toBe(0);
    expect(count(2, { x: 0, y: 0, width: 595, height: 841 })).toBe(0);
  });

  it('draws the scramble image on the back from the verification code', async () => {
    const area = { x: 187, y: 380, width: 220, height: 200 };
    const mine = greyPixels(pdf, 2, 72, area).pixels;
    const dark = mine.filter((v) => v < 128).length / mine.length;
    expect(dark).toBeGreaterThan(0.2);
    expect(dark).toBeLessThan(0.8);
    const other = greyPixels(await renderCertificatePdf(sampleJuminhyo({ verificationCode: 'ZZZZ-0000-AAAA' })), 2, 72, area);
    const differing = mine.filter((v, i) => Math.abs(v - other.pixels[i]) > 60).length / mine.length;
    expect(differing).toBeGreaterThan(0.2);
  });

  it('renders to PNG for a person to look at (pdftoppm -r 60)', () => {
    mkdirSync(PNG_DIR, { recursive: true });
    writeFileSync(`${PNG_DIR}/juminhyo.pdf`, pdf);
    execFileSync('pdftoppm', ['-r', '60', '-png', `${PNG_DIR}/juminhyo.pdf`, `${PNG_DIR}/juminhyo`]);
    for (const side of [1, 2]) {
      const png = readFileSync(`${PNG_DIR}/juminhyo-${side}.png`);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    }
  });
});

describe('scramble image', () => {
  it('is the same for the same code and different for another', () => {
    const a = scrambleCells('7Q4M-2X9C-HT5A');
    expect(scrambleCells('7Q4M-2X9C-HT5A')).toEqual(a);
    const b = scrambleCells('7Q4M-2X9C-HT5B');
    const differing = a.filter((v, i) => v !== b[i]).length;
    expect(differing).toBeGreaterThan(a.length / 2);
    // All four shades occur: it is a pattern, not a blank or solid block.
    expect(new Set(a).size).toBe(4);
  });
});

describe('what cannot be printed', () => {
  it('a name with a character the font lacks is an error naming the field, never a blank box', async () => {
    const cert = sampleJuminhyo();
    cert.people[1][0] = { label: '氏名', value: '髙𠮷 \uE000子' };
    await expect(renderCertificatePdf(cert)).rejects.toThrow(MissingGlyphError);
    await expect(renderCertificatePdf(cert)).rejects.toThrow(/U\+E000.*people\[1\] 氏名/);
  });

  it('an emoji in the address is an error too', () => {
    const cert = sampleJuminhyo({ header: [{ label: '住所', value: '川崎市🏠' }] });
    expect(() => checkCertificate(cert)).toThrow(/U\+1F3E0/);
  });

  it('a copy number outside 1..copies is refused', () => {
    expect(() => checkCertificate(sampleJuminhyo({ copyIndex: 3, copies: 2 }))).toThrow(DocumentLayoutError);
    expect(() => checkCertificate(sampleJuminhyo({ copyIndex: 0 }))).toThrow(/copyIndex must be 1\.\.copies/);
  });

  it('a bad issuance date is refused', () => {
    expect(() => checkCertificate(sampleJuminhyo({ issuedAt: 'soon' }))).toThrow(/not an ISO date-time/);
  });

  it('a household too large for one front flows onto a second sheet, every page marked', async () => {
    const base = sampleJuminhyo();
    const people = [...base.people, ...base.people];
    const pdf = await renderCertificatePdf({ ...base, people });
    expect(pdfinfo(pdf)).toMatch(/^Pages:\s+4$/m);
    const pages = [1, 2, 3, 4].map((p) => pdftotext(pdf, p));
    pages.forEach((text, i) => {
      expect(text, `page ${i + 1}`).toMatch(/発行番号 K2025-000123\s+2通中1通目/);
      expect(text, `page ${i + 1}`).toContain(`（${i + 1}/4）`);
    });
    // Fronts are pages 1 and 3; the backs carry the code; only the last front certifies.
    expect((pages[0] + pages[2]).match(/髙𠮷 﨑子/g)).toHaveLength(2);
    expect(pages[0]).toContain('住民票の写し');
    expect(pages[2]).toContain('住民票の写し（続き）');
    expect(pages[0]).not.toContain('相違ないことを証明する');
    expect(pages[2]).toContain('この写しは、世帯全員の住民票の原本と相違ないことを証明する。');
    expect(pages[2]).toContain('以下余白');
    for (const back of [pages[1], pages[3]]) expect(back).toContain('7Q4M-2X9C-HT5A');
  });

  it('a record that would need more than ten sheets is refused with what to check', async () => {
    const base = sampleJuminhyo();
    const people = Array.from({ length: 60 }, () => base.people).flat();
    await expect(renderCertificatePdf({ ...base, people })).rejects.toThrow(DocumentLayoutError);
    await expect(renderCertificatePdf({ ...base, people })).rejects.toThrow(/needs \d+ sheets.*more than 10/);
  });
});
