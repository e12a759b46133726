// The touch screen's fonts, cut at build time to the characters the kiosk can show: every word of the seven catalogs,
// every name, address and office of the sample data (assets/*.json) (rare kanji such as 𠮷 included), the card profiles of the
// journeys, and whole blocks of what any screen may compose (ASCII and Latin accents, kana, CJK punctuation, full-width
// forms). One WOFF2 a family and weight, from Debian's Noto Sans CJK (fonts-noto-cjk) with fontTools' subsetter
// (python3-fonttools, python3-brotli): eight @font-face rules instead of the 1,790 slices @fontsource shipped, so the
// style sheet is a few KB. A character outside the cut (a name from a card profile no file here knows) is drawn from
// the next font of the stack: the same Noto Sans CJK where it is installed (the kiosk machine), else the system's.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const NOTO = '/usr/share/fonts/opentype/noto';
const PYTHON = '/usr/bin/python3';

/** The CSS family, the collection's face (NotoSansCJK-*.ttc: 0 JP, 1 KR, 2 SC, 3 TC) and which catalogs it draws. */
export const FAMILIES = [
  { family: 'Noto Sans JP', file: 'noto-sans-jp', face: 0, catalogs: ['ja', 'en', 'pt', 'es'], data: true },
  { family: 'Noto Sans SC', file: 'noto-sans-sc', face: 2, catalogs: ['zh-hans'], data: false },
  { family: 'Noto Sans TC', file: 'noto-sans-tc', face: 3, catalogs: ['zh-hant'], data: false },
  { family: 'Noto Sans KR', file: 'noto-sans-kr', face: 1, catalogs: ['ko'], data: false },
] as const;
export const WEIGHTS = [{ weight: 400, ttc: 'NotoSansCJK-Regular.ttc' }, { weight: 700, ttc: 'NotoSansCJK-Bold.ttc' }] as const;

/** Whole blocks every face keeps: what a screen composes from numbers, yen, dates and punctuation in any language. */
const BLOCKS: Array<[number, number]> = [
  [0x20, 0x7e], [0xa0, 0x17f], [0x2010, 0x206f], [0x2190, 0x21ff], [0x2460, 0x24ff], [0x25a0, 0x25ff], [0x3000, 0x303f], [0xff00, 0xffef],
];
/** And the Japanese face: all of kana (a name's reading, a city's). */
const KANA: Array<[number, number]> = [[0x3040, 0x30ff], [0x31f0, 0x31ff]];

export class FontToolsMissingError extends Error {
  constructor(what: string) {
    super(`the touch screen's fonts are cut from Debian's Noto Sans CJK with fontTools, and ${what} is missing. Run: node bin/system-packages.mjs start (or apt-get install fonts-noto-cjk python3-fonttools python3-brotli)`);
    this.name = 'FontToolsMissingError';
  }
}

function filesUnder(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => ext.test(f) && !f.includes('node_modules') && statSync(f).isFile());
}

/** The characters each face must hold, from the project's own files. */
export function characters(root: string): Record<(typeof FAMILIES)[number]['file'], string> {
  const text = (files: string[]) => files.map((f) => readFileSync(f, 'utf8')).join('');
  const i18n = join(root, 'kiosk', 'ui', 'i18n');
  const otherCatalogs = new Set(['zh-hans.ts', 'zh-hant.ts', 'ko.ts']);
  // The screens' own words and symbols (not the Chinese and Korean catalogs: their faces carry those), the sample
  // data (names, addresses, offices, municipalities) and the journeys' card profiles.
  const data = text([
    ...filesUnder(join(root, 'kiosk', 'ui'), /\.(ts|tsx|css)$/).filter((f) => !(f.startsWith(i18n) && otherCatalogs.has(basename(f)))),
    ...filesUnder(join(root, 'samples'), /\.(ts|json|ya?ml|csv)$/),
    ...filesUnder(join(root, 'assets'), /\.json$/),
    ...filesUnder(join(root, 'machine'), /\.(ts|json)$/),
    ...filesUnder(join(root, 'journeys', 'cards'), /\.(json|ya?ml)$/),
  ]);
  const blocks = (ranges: Array<[number, number]>) => ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => String.fromCodePoint(a + i))).join('');
  const common = blocks(BLOCKS);
  const out = {} as Record<(typeof FAMILIES)[number]['file'], string>;
  for (const f of FAMILIES) {
    const words = text(f.catalogs.map((c) => join(i18n, `${c}.ts`)));
    const all = common + words + (f.data ? data + blocks(KANA) : '');
    out[f.file] = [...new Set([...all].filter((c) => c.codePointAt(0)! >= 0x20))].sort().join('');
  }
  return out;
}

export interface CutFont {
  family: string;
  weight: number;
  /** The file's name in the fonts folder. */
  file: string;
  bytes: number;
  glyphs: number;
}

/**
 * Cuts every face into `outDir` (cached in `cacheDir` by what went in) and writes `fonts.css` beside them; returns
 * what it wrote.
 */
export function cutFonts(root: string, outDir: string, cacheDir: string): CutFont[] {
  for (const w of WEIGHTS) if (!existsSync(join(NOTO, w.ttc))) throw new FontToolsMissingError(join(NOTO, w.ttc));
  try {
    execFileSync(PYTHON, ['-c', 'import fontTools.subset, brotli'], { stdio: 'ignore' });
  } catch {
    throw new FontToolsMissingError('python3-fonttools or python3-brotli');
  }
  mkdirSync(outDir, { recursive: true });
  mkdirSync(cacheDir, { recursive: true });
  const chars = characters(root);
  const cut: CutFont[] = [];
  for (const f of FAMILIES) {
    for (const w of WEIGHTS) {
      const ttc = join(NOTO, w.ttc);
      const id = createHash('sha256').update(JSON.stringify({ ttc, size: statSync(ttc).size, face: f.face, chars: chars[f.file], v: 1 })).digest('hex').slice(0, 16);
      const name = `${f.file}-${w.weight}-${id.slice(0, 8)}.woff2`;
      const cached = join(cacheDir, `${id}.woff2`);
      if (!existsSync(cached)) {
        const textFile = join(cacheDir, `${id}.txt`);
        writeFileSync(textFile, chars[f.file]);
        execFileSync(PYTHON, ['-m', 'fontTools.subset', ttc, `--font-number=${f.face}`, `--text-file=${textFile}`, '--flavor=woff2',
          `--output-file=${cached}.tmp`, '--no-hinting', '--desubroutinize', '--layout-features=kern,palt,vert,locl,ccmp'], { stdio: ['ignore', 'ignore', 'pipe'] });
        copyFileSync(`${cached}.tmp`, cached);
      }
      copyFileSync(cached, join(outDir, name));
      cut.push({ family: f.family, weight: w.weight, file: name, bytes: statSync(cached).size, glyphs: [...chars[f.file]].length });
    }
  }
  writeFileSync(join(outDir, 'fonts.css'), fontCss(cut));
  return cut;
}

/** The style sheet: one rule a face and weight; `swap` shows the text at once in the fallback while a face loads. */
export function fontCss(cut: readonly CutFont[]): string {
  return cut.map((c) => `@font-face{font-family:"${c.family}";font-style:normal;font-weight:${c.weight};font-display:swap;src:url(./${c.file}) format("woff2")}`).join('\n') + '\n';
}
