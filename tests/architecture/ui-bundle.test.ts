// The touch screen's first bundle carries Japanese only: each other language is a chunk of its own, fetched when
// chosen. Read from the built UI (npm test builds it first), as a browser would receive it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STRINGS } from '../../kiosk/ui/i18n/all.ts';
import { bundleSize, FIRST_SCREEN_BUDGET_KB } from '../browser/ui-bench.ts';

const UI = resolve(import.meta.dirname, '..', '..', 'dist', 'ui');

describe('the first screen loads one language', () => {
  const html = existsSync(join(UI, 'index.html')) ? readFileSync(join(UI, 'index.html'), 'utf8') : '';
  const entry = /<script[^>]*\ssrc="\.?\/?([^"]+\.js)"/.exec(html)?.[1];
  const code = (f: string) => readFileSync(join(UI, f), 'utf8');

  it('the entry holds the Japanese words and no other language', () => {
    expect(entry, 'dist/ui/index.html names its script (npm run build)').toBeTruthy();
    const js = code(entry!);
    expect(js).toContain(STRINGS.ja.appName);
    for (const l of ['en', 'pt', 'es', 'ko', 'zh-Hans', 'zh-Hant'] as const) expect(js, l).not.toContain(STRINGS[l].touchToStart);
  });

  it('each other language is a chunk of its own that holds its words', () => {
    const chunks = readdirSync(join(UI, 'assets')).filter((f) => f.endsWith('.js'));
    for (const [l, file] of [['en', 'en-'], ['zh-Hans', 'zh-hans-'], ['zh-Hant', 'zh-hant-'], ['ko', 'ko-'], ['pt', 'pt-'], ['es', 'es-']] as const) {
      const chunk = chunks.find((c) => c.startsWith(file));
      expect(chunk, l).toBeTruthy();
      expect(code(`assets/${chunk}`), l).toContain(STRINGS[l].touchToStart);
    }
  });

  it(`stays within the first screen's budget (${FIRST_SCREEN_BUDGET_KB} KB gzip)`, () => {
    expect(bundleSize(UI).firstScreenJsGzipKb).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET_KB);
  });
});
