// The touch screen's words: Japanese in the first bundle, every other language a chunk of its own, loaded when the
// language is chosen (or soon after the first screen, while nobody waits). `strings()` answers at once with what is
// loaded (Japanese until then); `loadLanguage()` fetches a catalog; `onCatalog()` tells the screen to draw again.
import type { Certificate, Language, PinReset, TaxKind } from '../../../machine/types.ts';
import { catalog as ja } from './ja.ts';
import { JAPANESE_CERTIFICATE_NAMES, JAPANESE_TAX_KIND_NAMES, type Strings } from './strings.ts';

export * from './strings.ts';

const LOADERS: Record<Exclude<Language, 'ja'>, () => Promise<{ catalog: Strings }>> = {
  en: () => import('./en.ts'),
  'zh-Hans': () => import('./zh-hans.ts'),
  'zh-Hant': () => import('./zh-hant.ts'),
  ko: () => import('./ko.ts'),
  pt: () => import('./pt.ts'),
  es: () => import('./es.ts'),
};

const loaded = new Map<Language, Strings>([['ja', ja]]);
const loading = new Map<Language, Promise<Strings>>();
const listeners = new Set<() => void>();

export function isLoaded(language: Language): boolean {
  return loaded.has(language);
}

/** The catalog of a language, fetched once; Japanese at once. */
export function loadLanguage(language: Language): Promise<Strings> {
  const have = loaded.get(language);
  if (have) return Promise.resolve(have);
  let p = loading.get(language);
  if (!p) {
    p = LOADERS[language as Exclude<Language, 'ja'>]().then((m) => {
      loaded.set(language, m.catalog);
      for (const l of [...listeners]) l();
      return m.catalog;
    });
    loading.set(language, p);
  }
  return p;
}

/** Told each time a catalog arrives; returns the function that stops listening. */
export function onCatalog(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The strings of a language as far as they are loaded; anything unknown or not yet loaded falls back to Japanese. */
export function strings(language: Language | string | null | undefined): Strings {
  return loaded.get((language ?? 'ja') as Language) ?? ja;
}

/** A certificate's name in the chosen language with the Japanese name beside it (only the Japanese in Japanese). */
export function certificateLabel(c: Certificate, language: Language): string {
  const jaName = JAPANESE_CERTIFICATE_NAMES[c];
  const local = strings(language).certificateNames[c];
  return language === 'ja' || local === jaName ? jaName : `${local}（${jaName}）`;
}

/** A tax certificate's name in the chosen language with the Japanese name beside it (only the Japanese in Japanese). */
export function taxKindLabel(k: TaxKind, language: Language): string {
  const jaName = JAPANESE_TAX_KIND_NAMES[k];
  const local = strings(language).taxKinds[k];
  return language === 'ja' || local === jaName ? jaName : `${local}（${jaName}）`;
}

/** Yen as a person of that language reads it: 1,200円 in CJK, ¥1,200 in the others. */
export function formatYen(amount: number, language: Language): string {
  const sign = amount < 0 ? '-' : '';
  const grouped = Math.abs(Math.round(amount)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, language === 'pt' || language === 'es' ? '.' : ',');
  switch (language) {
    case 'ja': case 'zh-Hans': case 'zh-Hant': return `${sign}${grouped}円`;
    case 'ko': return `${sign}${grouped}엔`;
    default: return `${sign}¥${grouped}`;
  }
}

/** '09:00' → '9:00', as counters post their hours. */
const clockTime = (hhmm: string) => hhmm.replace(/^0(?=\d:)/, '');

/** A municipality's PIN-reset hours, closures and what to bring, worded in a language (one string per item). */
export function resetGuide(reset: PinReset, language: Language): { hours: string[]; closed: string[]; bring: string[] } {
  const t = strings(language);
  const { weekdays, saturdays } = reset.hours;
  const day = (mmdd: string) => mmdd.split('-').map(Number) as [number, number];
  const yearEnd = reset.closed.yearEnd;
  return {
    hours: [
      t.weekdayHours(clockTime(weekdays.open), clockTime(weekdays.close)),
      ...(saturdays && saturdays.weeks.length ? [t.saturdayHours(saturdays.weeks, clockTime(saturdays.open), clockTime(saturdays.close))] : []),
    ],
    closed: [
      ...(reset.closed.holidays ? [t.holidays] : []),
      ...(yearEnd ? [t.dateRange(...day(yearEnd.from), ...day(yearEnd.to))] : []),
    ],
    bring: reset.bring.map((b) => t.bringItems[b]),
  };
}
