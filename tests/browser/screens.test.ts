// Every screen of the spec in every language, rendered by the #demo route in Debian's Chromium: each is checked for
// what a touch screen owes its users (targets ≥ 44×44, type ≥ 16 pt, contrast ≥ 4.5:1, everything fits 1280×800
// without scrolling, the language switcher from step 2 on, Japanese certificate names beside translated ones, the
// screen's change announced), and with KIOSK_SCREENSHOTS=DIR each is kept as DIR/screens/<lang>/<screen>.png.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../machine/types.ts';
import { JAPANESE_CERTIFICATE_NAMES, LANG_TAGS, strings, loadLanguage } from '../../kiosk/ui/i18n/index.ts';
import { displayFit } from '../../kiosk/ui/display-fit.ts';
import {
  auditScreen, DISPLAYS, enabledControls, launchChromium, requireBuiltUiAndChromium, shotPath, startKiosk, tabOrder, VIEWPORT, type Problem,
} from './browser.ts';
import { VARIANTS } from './variants.ts';

// The screen loads a language when it is chosen; these tests word every one.
await Promise.all(LANGUAGES.map(loadLanguage));


let kiosk: Awaited<ReturnType<typeof startKiosk>>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  requireBuiltUiAndChromium();
  kiosk = await startKiosk({ printer: 'null' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(`${kiosk.server.url}#demo=top`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.server.close();
});

async function show(params: string, language: Language): Promise<void> {
  const hash = `${params}&lang=${language}`;
  await page.evaluate((h) => { location.hash = h; }, hash);
  const screen = new URLSearchParams(params).get('demo')!;
  await page.locator(`[data-screen="${screen}"][lang="${LANG_TAGS[language]}"]`).waitFor({ timeout: 10_000 });
  if (params.includes('attract=1')) await page.getByTestId('attract').waitFor({ timeout: 10_000 });
  // The timeout warning takes the focus once mounted: a keyboard walk that starts before that loses its first stop.
  await page.waitForFunction(() => {
    const dialog = document.querySelector('[data-testid="timeout-warning"]');
    return !dialog || dialog.contains(document.activeElement);
  }, null, { timeout: 10_000 });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

const sizeName = (d: { width: number; height: number }) => `${d.width}x${d.height}`;
/** Screenshots: every screen in every language at 1280×800 (the README's size); at the other sizes eight screens in
 *  Japanese, enough to look at (each picture costs the suite time: all screens in two languages took 314 s in CI). */
const shotsAt = (d: { width: number; height: number }, language: Language) =>
  d === VIEWPORT ? shotPath('screens', language) : language === 'ja' ? shotPath('screens', sizeName(d), language) : null;
const SHOWN_AT_EVERY_SIZE = new Set(['top', 'pin-entry', 'certificate-select', 'confirm', 'payment', 'printing-collect', 'pin-locked', 'take-card']);

describe.each(DISPLAYS)('every screen at $width×$height', (display) => {
  const fit = displayFit(display.width, display.height);
  // 16 pt everywhere; a small terminal zoomed down (800×480, ×0.75) shows the same layout's 22 px as 16.5 px.
  const minFont = fit.zoom < 1 ? 21.3 * fit.zoom - 0.1 : 21.3;
  beforeAll(async () => {
    await page.setViewportSize(display);
    // The fit follows the window's resize event: wait for it before the first screen is measured.
    await page.waitForFunction((w) => getComputedStyle(document.documentElement).getPropertyValue('--fit-width') === w, `${fit.width}px`);
  });
  afterAll(async () => {
    await page.setViewportSize(VIEWPORT);
  });

  it.each(LANGUAGES)('in %s: meets the touch-screen checks, shows the switcher and the Japanese names, and announces itself', async (language) => {
    const problems: Array<Problem & { screen: string }> = [];
    const t = strings(language);
    const shots = shotsAt(display, language);
    if (shots) mkdirSync(shots, { recursive: true });
    for (const [name, params] of VARIANTS) {
      await show(params, language);
      for (const p of await auditScreen(page, { minFontPx: minFont, contentScrolls: fit.small })) problems.push({ ...p, screen: name });

      const screen = new URLSearchParams(params).get('demo')!;
      // The language switcher on every screen from step 2 on, all seven languages, the current one pressed; folded
      // into one control where the header has no room for seven.
      const langs = await page.locator('[data-testid^="lang-"]:not([data-testid="lang-menu"])').count();
      expect(langs, `${name}: language buttons`).toBe(screen === 'top' ? 0 : 7);
      if (screen !== 'top' && !name.includes('warning')) {
        await expect(page.getByTestId(`lang-${language}`).getAttribute('aria-pressed')).resolves.toBe('true');
        await expect(page.getByTestId('lang-menu').isVisible(), `${name}: folded switcher`).resolves.toBe(fit.fold);
        await expect(page.getByTestId(`lang-${language}`).isVisible(), `${name}: language row`).resolves.toBe(!fit.fold);
      }
      // The live region says where the person is, in their language.
      const announced = await page.getByTestId('announcer').innerText();
      expect(announced.trim(), `${name}: announcement`).not.toBe('');
      await expect(page.getByTestId('announcer').getAttribute('lang')).resolves.toBe(LANG_TAGS[language]);
      if (screen === 'certificate-select' && language !== 'ja') {
        // Each certificate in the chosen language with its Japanese name beside it, set in Japanese.
        for (const [id, jaName] of Object.entries(JAPANESE_CERTIFICATE_NAMES)) {
          const button = page.getByTestId(`certificate-${id}`);
          await expect(button.innerText()).resolves.toContain(t.certificateNames[id as keyof typeof JAPANESE_CERTIFICATE_NAMES]);
          await expect(button.locator('[lang="ja"]').innerText()).resolves.toContain(jaName);
        }
      }
      if (shots && (display === VIEWPORT || SHOWN_AT_EVERY_SIZE.has(name))) await page.screenshot({ path: `${shots}/${name}.png`, animations: 'disabled' });
    }
    const report = problems.map((p) => `${p.screen}: ${p.check} ${p.what} ${p.detail}`);
    expect(report).toEqual([]);
  }, 120_000);
});

describe('the screens with a keyboard', () => {
  it('Tab reaches every control of every screen, and the focus ring shows', async () => {
    const missed: string[] = [];
    for (const [name, params] of VARIANTS) {
      if (name === 'top-attract') continue;
      await show(params, 'ja');
      const controls = await enabledControls(page);
      const order = await tabOrder(page, controls.length * 2 + 4);
      for (const c of controls) if (!order.includes(c)) missed.push(`${name}: ${c}`);
    }
    expect(missed).toEqual([]);
    await show('demo=government-menu', 'en');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
  }, 120_000);
});

describe('the attract screen', () => {
  it('is still under prefers-reduced-motion, with every language shown at once', async () => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await show('demo=top&attract=1', 'ja');
    const shown = await page.locator('.attract-langs li').evaluateAll((lis) =>
      lis.map((li) => ({ pos: getComputedStyle(li).position, opacity: getComputedStyle(li).opacity, anim: getComputedStyle(li).animationName })));
    expect(shown).toHaveLength(6);
    for (const s of shown) expect(s).toEqual({ pos: 'static', opacity: '1', anim: 'none' });
    const file = shotPath('screens', 'attract-reduced-motion.png');
    if (file) await page.screenshot({ path: file });
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await show('demo=top&attract=1', 'ja');
    const moving = await page.locator('.attract-langs li').first().evaluate((li) => getComputedStyle(li).animationName);
    expect(moving).toBe('lang-turn');
  }, 60_000);
});
