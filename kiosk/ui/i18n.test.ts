// Every UI string exists in all seven languages, and every reason the machine can give has a message in each.
// The reason ids are read from machine/types.ts itself, so a reason added there without a message fails here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import municipalitiesJson from '../../assets/municipalities.json' with { type: 'json' };
import { CASH_REJECTIONS, CERTIFICATES, INFO_KEYS, LANGUAGES, TAX_KINDS, type Language, type Municipality } from '../../machine/types.ts';
import {
  certificateLabel, formatYen, isLoaded, JAPANESE_CERTIFICATE_NAMES, JAPANESE_TAX_KIND_NAMES, LANG_TAGS, LANGUAGE_NAMES, LANGUAGE_ORDER, loadLanguage, resetGuide, strings,
  taxKindLabel,
} from './i18n/index.ts';
import { TITLES } from '../../center/documents.ts';
import { STRINGS } from './i18n/all.ts';

// The screen loads a language when it is chosen; these tests read every one.
await Promise.all(LANGUAGES.map(loadLanguage));

const typesSource = readFileSync(fileURLToPath(new URL('../../machine/types.ts', import.meta.url)), 'utf8');
const eventsSource = readFileSync(fileURLToPath(new URL('../../machine/events.ts', import.meta.url)), 'utf8');

/** The string literals of `export type Name = 'a' | 'b' ...;` in machine/types.ts. */
function unionMembers(name: string): string[] {
  const m = new RegExp(`export type ${name}\\s*=([^;]+);`).exec(typesSource);
  if (!m) throw new Error(`type ${name} not found in machine/types.ts`);
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
}

/** Arguments for the string functions that take something other than numbers. */
const SAMPLE_ARGS: Record<string, unknown[]> = {
  saturdayHours: [[2, 4], '8:30', '12:30'],
  weekdayHours: ['9:00', '17:00'],
  dateRange: [12, 29, 1, 3],
  resetOfficesIn: ['川崎市'],
  resetElsewhere: ['川崎市'],
  renewalSoon: ['2027-01-21'],
  registeredDone: ['文京区', '2026-11-26'],
};

/** Walks two string tables in parallel and reports keys missing, of the wrong kind, or empty. */
function problems(reference: unknown, other: unknown, path: string, out: string[]): void {
  if (typeof reference === 'function') {
    if (typeof other !== 'function') return void out.push(`${path}: not a function`);
    const args = SAMPLE_ARGS[path] ?? Array.from({ length: reference.length }, (_, i) => (i === 0 ? 2 : 10));
    const r = (other as (...a: unknown[]) => unknown)(...args);
    if (typeof r !== 'string' || !r.trim()) out.push(`${path}: returns ${JSON.stringify(r)}`);
    return;
  }
  if (typeof reference === 'string') {
    if (typeof other !== 'string' || !other.trim()) out.push(`${path}: missing or empty`);
    return;
  }
  if (Array.isArray(reference)) {
    if (!Array.isArray(other) || other.length !== reference.length) return void out.push(`${path}: expected ${reference.length} items`);
    reference.forEach((r, i) => problems(r, other[i], `${path}[${i}]`, out));
    return;
  }
  if (reference && typeof reference === 'object') {
    if (!other || typeof other !== 'object') return void out.push(`${path}: missing`);
    for (const k of Object.keys(reference)) problems((reference as Record<string, unknown>)[k], (other as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
    for (const k of Object.keys(other)) if (!(k in reference)) out.push(`${path}.${k}: not in Japanese`);
  }
}

describe('loading a language', () => {
  it('has every catalog once loaded, each the one all.ts holds', () => {
    for (const l of LANGUAGES) {
      expect(isLoaded(l), l).toBe(true);
      expect(strings(l), l).toBe(STRINGS[l]);
    }
  });
});

describe('UI strings', () => {
  it('cover exactly the machine languages, in the switcher order', () => {
    expect([...LANGUAGE_ORDER].sort()).toEqual([...LANGUAGES].sort());
    expect(Object.keys(STRINGS).sort()).toEqual([...LANGUAGES].sort());
    for (const l of LANGUAGES) {
      expect(LANGUAGE_NAMES[l]).toBeTruthy();
      expect(LANG_TAGS[l]).toBeTruthy();
    }
  });

  it.each(LANGUAGES.filter((l) => l !== 'ja'))('%s has every key of Japanese, none empty', (l) => {
    const out: string[] = [];
    problems(STRINGS.ja, STRINGS[l], '', out);
    expect(out).toEqual([]);
  });

  it('Japanese has no empty string either', () => {
    const out: string[] = [];
    problems(STRINGS.ja, STRINGS.ja, '', out);
    expect(out).toEqual([]);
  });

  it.each(LANGUAGES.filter((l) => !['ja', 'zh-Hans', 'zh-Hant'].includes(l)))('%s is translated, not copied from Japanese', (l) => {
    const ja = STRINGS.ja as unknown as Record<string, unknown>;
    const other = STRINGS[l] as unknown as Record<string, unknown>;
    const copied = Object.keys(ja).filter((k) => typeof ja[k] === 'string' && ja[k] === other[k]);
    expect(copied).toEqual([]);
  });

  const reasonTables = [
    ['RefusalReason', 'refusal'],
    ['OutOfServiceReason', 'outOfService'],
    ['PrintFailure', 'printFailure'],
    ['CancelReason', 'cancelled'],
  ] as const;

  it.each(reasonTables)('every %s in machine/types.ts has a message (what happened, what to do) in every language', (type, table) => {
    const ids = unionMembers(type);
    expect(ids.length).toBeGreaterThan(0);
    for (const l of LANGUAGES) {
      const messages = STRINGS[l][table] as Record<string, { title: string; action: string }>;
      for (const id of ids) {
        expect(messages[id]?.title, `${l} ${table}.${id}.title`).toBeTruthy();
        expect(messages[id]?.action, `${l} ${table}.${id}.action`).toBeTruthy();
      }
      expect(Object.keys(messages).sort()).toEqual([...ids].sort());
    }
  });

  it('every Unavailability in machine/types.ts has a reason in every language', () => {
    const ids = unionMembers('Unavailability');
    for (const l of LANGUAGES) {
      for (const id of ids) expect(STRINGS[l].unavailable[id as keyof typeof STRINGS.ja.unavailable], `${l} ${id}`).toBeTruthy();
      expect(Object.keys(STRINGS[l].unavailable).sort()).toEqual([...ids].sort());
    }
  });

  it('every cash rejection reason of the machine has a message', () => {
    // The machine's vocabulary (machine/types.ts CASH_REJECTIONS) is the one cash.rejected carries.
    expect(eventsSource).toMatch(/type: 'cash\.rejected';[^}]*reason: CashRejection/);
    for (const l of LANGUAGES) for (const id of CASH_REJECTIONS) expect(STRINGS[l].cashRejected[id], `${l} ${id}`).toBeTruthy();
  });

  it('every certificate and information item has a name in every language', () => {
    for (const l of LANGUAGES) {
      for (const c of CERTIFICATES) expect(STRINGS[l].certificateNames[c]).toBeTruthy();
      for (const k of INFO_KEYS) expect(STRINGS[l].info[k]).toBeTruthy();
    }
    expect(Object.keys(JAPANESE_CERTIFICATE_NAMES).sort()).toEqual([...CERTIFICATES].sort());
  });

  it('names a certificate in the chosen language with the Japanese name beside it', () => {
    expect(certificateLabel('juminhyo', 'en')).toBe('Copy of Resident Record（住民票の写し）');
    expect(certificateLabel('juminhyo', 'ja')).toBe('住民票の写し');
    for (const l of LANGUAGES) for (const c of CERTIFICATES) expect(certificateLabel(c, l)).toContain(JAPANESE_CERTIFICATE_NAMES[c]);
    expect(certificateLabel('koseki', 'ko')).toBe('호적증명서（戸籍証明書）');
  });

  it('every tax certificate a city may issue has a name and a line of what it states in every language, the Japanese as printed', () => {
    for (const l of LANGUAGES) {
      for (const k of TAX_KINDS) {
        expect(STRINGS[l].taxKinds[k], `${l} ${k}`).toBeTruthy();
        expect(STRINGS[l].taxKindSub[k], `${l} ${k}`).toBeTruthy();
        expect(taxKindLabel(k, l)).toContain(JAPANESE_TAX_KIND_NAMES[k]);
      }
      expect(STRINGS[l].chooseTaxKind).toBeTruthy();
    }
    for (const k of TAX_KINDS) expect(JAPANESE_TAX_KIND_NAMES[k], k).toBe(TITLES[k]);
    // A city issuing the 課税・非課税証明書 alone names it by its kind: the same words as the certificate's own.
    for (const l of LANGUAGES) expect(STRINGS[l].taxKinds.kazei, l).toBe(STRINGS[l].certificateNames.kazei);
    expect(taxKindLabel('nozei', 'en')).toBe('Tax Payment Certificate（納税証明書）');
    expect(taxKindLabel('shotoku', 'ja')).toBe('所得証明書');
  });

  it('the unsupported-card refusal keeps the kiosk wording in Japanese', () => {
    expect(STRINGS.ja.refusal['unsupported-card'].title).toBe('ご利用いただけないカードです。');
  });

  it('the PIN-locked screen words the reset hours, closures and what to bring from the data, in every language', () => {
    const reset = (municipalitiesJson.municipalities as unknown as Municipality[]).find((m) => m.code === '141305')!.pinReset!;
    for (const l of LANGUAGES) {
      const g = resetGuide(reset, l);
      expect(g.hours, l).toHaveLength(2);
      expect(g.hours[0], l).toMatch(/9:00.+17:00/);
      expect(g.hours[1], l).toMatch(/8:30.+12:30/);
      expect(g.closed, l).toHaveLength(2);
      expect(g.closed[1], l).toMatch(/29.+3/);
      expect(g.bring, l).toHaveLength(2);
      expect(STRINGS[l].resetWhere).toBeTruthy();
    }
    expect(resetGuide(reset, 'ja')).toEqual({
      hours: ['平日 9:00〜17:00', '第2・第4土曜日 8:30〜12:30'],
      closed: ['祝日', '12月29日〜1月3日'],
      bring: ['マイナンバーカード', '本人確認書類をもう1点（運転免許証・パスポートなど）'],
    });
    expect(resetGuide(reset, 'en').hours).toEqual(['Weekdays 9:00–17:00', '2nd and 4th Saturday 8:30–12:30']);
    expect(resetGuide(reset, 'en').closed).toEqual(['National holidays', 'December 29 – January 3']);
    expect(resetGuide(reset, 'ko').hours[1]).toBe('둘째·넷째 토요일 8:30~12:30');
    expect(resetGuide(reset, 'pt').hours[1]).toBe('2º e 4º sábados 8:30–12:30');
    expect(resetGuide(reset, 'es').hours[1]).toBe('2.º y 4.º sábado 8:30–12:30');
    // No Saturday opening, no year-end closure: those lines are left out rather than left blank.
    const weekdaysOnly = { ...reset, hours: { weekdays: { open: '08:30', close: '17:15' } }, closed: { holidays: true, yearEnd: null } };
    expect(resetGuide(weekdaysOnly, 'en')).toMatchObject({ hours: ['Weekdays 8:30–17:15'], closed: ['National holidays'] });
  });

  it('every ResetRequirement in machine/types.ts has a wording in every language', () => {
    const ids = unionMembers('ResetRequirement');
    expect(ids.length).toBeGreaterThan(0);
    for (const l of LANGUAGES) expect(Object.keys(STRINGS[l].bringItems).sort(), l).toEqual([...ids].sort());
  });

  it('the revoked-certificate message gives the call center number in every language', () => {
    for (const l of LANGUAGES) expect(STRINGS[l].refusal['certificate-revoked'].action).toContain('0120-95-0178');
  });

  it('falls back to Japanese for an unknown language', () => {
    expect(strings('xx' as Language)).toBe(STRINGS.ja);
    expect(strings(null)).toBe(STRINGS.ja);
  });
});

describe('formatYen', () => {
  it('writes yen as each language reads it', () => {
    expect(formatYen(200, 'ja')).toBe('200円');
    expect(formatYen(1000, 'ja')).toBe('1,000円');
    expect(formatYen(10000, 'zh-Hans')).toBe('10,000円');
    expect(formatYen(10000, 'zh-Hant')).toBe('10,000円');
    expect(formatYen(1200, 'ko')).toBe('1,200엔');
    expect(formatYen(1200, 'en')).toBe('¥1,200');
    expect(formatYen(1200, 'pt')).toBe('¥1.200');
    expect(formatYen(1200, 'es')).toBe('¥1.200');
    expect(formatYen(0, 'en')).toBe('¥0');
    expect(formatYen(1234567, 'en')).toBe('¥1,234,567');
    expect(formatYen(-600, 'ja')).toBe('-600円');
  });
});
