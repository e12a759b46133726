// The 音声ガイド in Debian's Chromium: every screen state in every language asks for its phrases, each is served and
// Chromium plays it; on a live kiosk a PIN digit is said as "one digit entered" and never as itself, mute silences
// the next screens until the session ends, and repeat says the screen again.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../machine/types.ts';
import { LANG_TAGS, loadLanguage } from '../../kiosk/ui/i18n/index.ts';
import { demoState, parseDemo } from '../../kiosk/ui/fixtures.ts';
import { guidance } from '../../kiosk/ui/voice.ts';
import { launchChromium, requireBuiltUiAndChromium, SCREEN_WAIT_MS, startKiosk, VIEWPORT } from './browser.ts';
import { VARIANTS } from './variants.ts';

let kiosk: Awaited<ReturnType<typeof startKiosk>>;
let browser: Browser;
let page: Page;
/** Every voice file the page asked for, with the server's answer. */
const fetched: Array<{ url: string; status: number }> = [];

beforeAll(async () => {
  requireBuiltUiAndChromium();
  kiosk = await startKiosk({ printer: 'null' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: VIEWPORT });
  page.on('response', (r) => { if (r.url().includes('/voice/')) fetched.push({ url: r.url(), status: r.status() }); });
  await page.goto(`${kiosk.server.url}#demo=top`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.server.close();
});

/** Until the phrases asked for last have started (or ended): their files have come, nothing of theirs is on the way. */
const started = () => page.waitForFunction(() => ['playing', 'done'].includes(document.documentElement.dataset.voiceState ?? ''), null, { timeout: SCREEN_WAIT_MS });
const voice = () => page.evaluate(() => ({ said: document.documentElement.dataset.voice ?? '', state: document.documentElement.dataset.voiceState ?? '' }));

describe('every screen speaks', () => {
  it.each(LANGUAGES)('in %s: its guidance asked for, served and played', async (language) => {
    const t = await loadLanguage(language);
    await page.evaluate((h) => { location.hash = h; }, `demo=top&lang=${language}&voice=1`);
    await page.locator(`[data-screen="top"][lang="${LANG_TAGS[language]}"]`).waitFor({ timeout: SCREEN_WAIT_MS });
    const problems: string[] = [];
    let before = (await voice()).said;
    for (const [name, params] of VARIANTS) {
      if (params.includes('attract=1')) continue;
      fetched.length = 0;
      const expected = guidance(demoState(parseDemo(`#${params}&lang=${language}`)!).view!, t).map((p) => p.key);
      await page.evaluate((h) => { location.hash = h; }, `${params}&lang=${language}&voice=1`);
      const want = `${language}:${expected.join(' ')}`;
      await page.waitForFunction((w) => document.documentElement.dataset.voice === w, want, { timeout: SCREEN_WAIT_MS }).catch(() => undefined);
      const { said } = await voice();
      if (said !== want) { problems.push(`${name}: said ${said}, expected ${want}`); continue; }
      // The first phrase is fetched and Chromium plays it (the rest follow as each ends).
      if (want !== before) {
        await page.waitForFunction(() => ['playing', 'done'].includes(document.documentElement.dataset.voiceState ?? ''), null, { timeout: SCREEN_WAIT_MS })
          .catch(() => problems.push(`${name}: never played`));
      }
      // A screen whose guidance is what was just said (a variant of the same screen) is not said twice.
      if (want !== before) {
        const file = `/voice/${language}/${expected[0]}.ogg`;
        for (let waited = 0; waited < SCREEN_WAIT_MS && !fetched.some((f) => f.url.endsWith(file)); waited += 50) await new Promise((r) => setTimeout(r, 50));
        const first = fetched.find((f) => f.url.endsWith(file));
        if (first && first.status !== 200) problems.push(`${name}: ${expected[0]}.ogg answered ${first.status}`);
        if (!first) problems.push(`${name}: ${expected[0]}.ogg never asked for`);
      }
      before = want;
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('on a live kiosk', () => {
  it('says a PIN digit as "one digit entered", never the digit; mute holds until the main menu; repeat says it again', async () => {
    await page.goto(`${kiosk.server.url}?attract=0`);
    await page.reload();
    const t = kiosk.server.terminal;
    const tap = (id: string) => page.getByTestId(id).click();
    const on = (screen: string) => page.locator(`[data-screen="${screen}"]`).waitFor({ timeout: SCREEN_WAIT_MS });
    await on('top');
    await tap('tap-government-service');
    await on('government-menu');
    await page.waitForFunction(() => document.documentElement.dataset.voice === 'ja:governmentTitle', null, { timeout: SCREEN_WAIT_MS });
    await tap('tap-certificate-service');
    await tap('medium-card');
    await tap('accept-terms');
    await on('card-reading');
    await t.insertCard('kawasaki-taro');
    await on('city-select');
    await tap('city-residence');
    await on('pin-entry');
    await page.waitForFunction(() => document.documentElement.dataset.voice === 'ja:pinTitle', null, { timeout: SCREEN_WAIT_MS });
    await started();
    fetched.length = 0;
    for (const d of '8642') {
      await tap(`pin-key-${d}`);
      await page.waitForFunction(() => document.documentElement.dataset.voice === 'ja:voiceDigit', null, { timeout: SCREEN_WAIT_MS });
    }
    // The same phrase (a quick typist hears the last one), and nothing that names a digit.
    for (let waited = 0; waited < SCREEN_WAIT_MS && !fetched.length; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(fetched.length).toBeGreaterThan(0);
    await started();
    for (const f of fetched) expect(f.url).toMatch(/\/voice\/ja\/voiceDigit\.ogg$/);
    // Muted: the next screens ask for nothing.
    await tap('voice-mute');
    await expect(page.getByTestId('voice-mute').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(voice()).resolves.toMatchObject({ state: 'muted' });
    fetched.length = 0;
    await tap('pin-enter');
    await on('card-removal');
    await t.removeCard();
    await on('certificate-select');
    await page.waitForFunction(() => document.documentElement.dataset.voice === 'ja:certificateTitle', null, { timeout: SCREEN_WAIT_MS });
    await expect(voice()).resolves.toMatchObject({ state: 'muted' });
    expect(fetched).toEqual([]);
    // Unmuted: it says the screen at once; repeat says it again.
    await tap('voice-mute');
    await started();
    fetched.length = 0;
    await tap('voice-repeat');
    await page.waitForFunction(() => document.documentElement.dataset.voiceState === 'playing', null, { timeout: SCREEN_WAIT_MS });
    expect(fetched.map((f) => f.url.split('/voice/')[1])).toContain('ja/certificateTitle.ogg');
    // Muted again and the session ends: the next person at the main menu hears the guide.
    await tap('voice-mute');
    await tap('cancel');
    await on('cancelled');
    await tap('done');
    await on('top');
    await page.waitForFunction(() => document.documentElement.dataset.voice === 'ja:topTitle', null, { timeout: SCREEN_WAIT_MS });
    await expect(page.evaluate(() => document.documentElement.dataset.voiceState)).resolves.not.toBe('muted');
  }, 90_000);
});
