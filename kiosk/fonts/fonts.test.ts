// The touch screen's fonts as built (dist/ui/fonts, made by `npm run build`, which `npm test` runs first): every
// character a screen or a persona needs is in its cut wherever Noto Sans CJK has it (rare kanji in names included),
// the style sheet names each face once, and no file is missing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { UI_DIR } from '../server.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { characters, FAMILIES, WEIGHTS } from './subset.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FONTS = join(UI_DIR, 'fonts');
const css = readFileSync(join(FONTS, 'fonts.css'), 'utf8');
const COLLECTION_FACE = { 'noto-sans-jp': 'NotoSansCJKjp', 'noto-sans-kr': 'NotoSansCJKkr', 'noto-sans-sc': 'NotoSansCJKsc', 'noto-sans-tc': 'NotoSansCJKtc' } as const;

describe('the touch screen\'s fonts', () => {
  const chars = characters(ROOT);

  it('one rule a face and weight, each file served beside it', () => {
    const rules = [...css.matchAll(/font-family:"([^"]+)";font-style:normal;font-weight:(\d+);font-display:swap;src:url\(\.\/([^)]+)\)/g)];
    expect(rules.map((r) => `${r[1]} ${r[2]}`).sort()).toEqual(FAMILIES.flatMap((f) => WEIGHTS.map((w) => `${f.family} ${w.weight}`)).sort());
    for (const r of rules) expect(() => readFileSync(join(FONTS, r[3]))).not.toThrow();
  });

  it.each(FAMILIES.flatMap((f) => WEIGHTS.map((w) => ({ name: `${f.family} ${w.weight}`, f, w }))))('$name: holds every character it was cut for that Noto Sans CJK has', ({ f, w }) => {
    const rule = new RegExp(`font-family:"${f.family}";font-style:normal;font-weight:${w.weight};font-display:swap;src:url\\(\\./([^)]+)\\)`).exec(css)!;
    const cut = fontkit.create(readFileSync(join(FONTS, rule[1]))) as fontkit.Font;
    const source = fontkit.openSync(`/usr/share/fonts/opentype/noto/${w.ttc}`, `${COLLECTION_FACE[f.file]}-${w.weight === 400 ? 'Regular' : 'Bold'}`) as fontkit.Font;
    const lost = [...chars[f.file]].filter((c) => source.hasGlyphForCodePoint(c.codePointAt(0)!) && !cut.hasGlyphForCodePoint(c.codePointAt(0)!));
    expect(lost.join('')).toBe('');
  });

  it('draws every persona\'s and every office\'s name in Noto Sans JP, rare kanji too (𠮷 as itself)', () => {
    const rule = /font-family:"Noto Sans JP";font-style:normal;font-weight:700;font-display:swap;src:url\(\.\/([^)]+)\)/.exec(css)!;
    const jp = fontkit.create(readFileSync(join(FONTS, rule[1]))) as fontkit.Font;
    const data = loadSampleData();
    const names = [...data.personas.map((p) => JSON.stringify(p)), JSON.stringify(data.municipalities)].join('');
    const missing = [...new Set([...names])].filter((c) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(c) && !jp.hasGlyphForCodePoint(c.codePointAt(0)!));
    expect(missing).toEqual([]);
    expect(names).toContain('𠮷');
    expect(jp.hasGlyphForCodePoint('𠮷'.codePointAt(0)!)).toBe(true);
  });
});
