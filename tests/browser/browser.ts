// Shared by the browser suites: Debian's Chromium through playwright-core (never a downloaded browser), the kiosk
// server on a steerable clock, and the in-page checks of what a touch screen owes its users: target sizes, type
// sizes, contrast, and text that fits. Speed is never asserted here (that is `npm run bench`).
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ControlledClock } from '../../kiosk/clock.ts';
import { CHROMIUM, launchBrowser } from '../../kiosk/journeys/browser.ts';
import { UI_DIR, serveKiosk } from '../../kiosk/server.ts';

export const VIEWPORT = { width: 1280, height: 800 };
/** The kiosk displays the screens are checked on (kiosk/ui/display-fit.ts says how each is fitted). */
export const DISPLAYS: Array<{ width: number; height: number }> = [
  VIEWPORT, { width: 1024, height: 768 }, { width: 1366, height: 768 }, { width: 1280, height: 1024 },
  { width: 1920, height: 1080 }, { width: 1080, height: 1920 }, { width: 800, height: 480 },
];
/** Generous: two cores run chromium, the server and other suites side by side. */
export const SCREEN_WAIT_MS = 15_000;
/** KIOSK_SCREENSHOTS=DIR keeps a PNG of every screen in every language (test artifacts, and the README's pictures). */
export const SHOTS_DIR = process.env.KIOSK_SCREENSHOTS || null;

export function requireBuiltUiAndChromium(): void {
  // `npm test` builds the UI and installs chromium first (bin/system-packages.mjs); say so if run on its own.
  if (!existsSync(join(UI_DIR, 'index.html'))) throw new Error('The UI is not built: run `npm run build` (npm test does it).');
  if (!existsSync(CHROMIUM)) throw new Error('Debian chromium is missing: run `node bin/system-packages.mjs test` (npm test does it).');
}

/** The same Chromium, with the same flags, as `kiosk journey run --browser` launches. */
export const launchChromium = launchBrowser;

/** A kiosk server for the browser; `varDir` starts it on the files a previous kiosk left (a crash's, say). */
export async function startKiosk(options: { printer?: 'spool' | 'null'; start?: string; varDir?: string } = {}) {
  const clock = new ControlledClock(options.start ?? '2026-11-24T10:00:00+09:00');
  const spoolDir = mkdtempSync(join(tmpdir(), 'kiosk-browser-spool-'));
  const server = await serveKiosk({
    port: 0, clock, printer: options.printer ?? 'spool', spoolDir, varDir: options.varDir ?? mkdtempSync(join(tmpdir(), 'kiosk-browser-var-')),
  });
  return { server, clock, spoolDir };
}

export function shotPath(...parts: string[]): string | null {
  if (!SHOTS_DIR) return null;
  const file = join(SHOTS_DIR, ...parts);
  mkdirSync(join(file, '..'), { recursive: true });
  return file;
}

export interface Problem {
  check: 'target-size' | 'font-size' | 'contrast' | 'overflow' | 'text';
  what: string;
  detail: string;
}

/**
 * Runs in the page. Looks at what is on the kiosk screen now (not the operator strip, not an inert screen under a
 * dialog) and reports:
 * - target-size: an interactive element smaller than 44×44 CSS px (WCAG 2.5.8 asks 24, 2.5.5 and the brief 44);
 * - font-size: text shown under 16 pt (21.33 CSS px), the Japanese public-terminal guidance for labels (a small
 *   terminal's panel, zoomed down by display-fit.ts, is checked against its own floor, `minFontPx`);
 * - contrast: text under 4.5:1 against what is behind it (alpha and opacity blended, gradients at their worst stop;
 *   disabled controls are exempt, as in WCAG 1.4.3);
 * - overflow: a screen part that needs scrolling or text wider than its box (a layout that does not fit the display;
 *   with `contentScrolls`, a small terminal's, the content may scroll up and down under its fixed frame);
 * - text: "undefined", "NaN" or "[object" shown to a person.
 */
export function auditScreen(page: Page, { minFontPx = 21.3, contentScrolls = false } = {}): Promise<Problem[]> {
  return page.evaluate(([minFont, mayScroll]) => {
    type RGBA = [number, number, number, number];
    const problems: Array<{ check: string; what: string; detail: string }> = [];
    const parse = (c: string): RGBA | null => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return null;
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top: RGBA, under: RGBA): RGBA => {
      const a = top[3] + under[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const lum = (c: RGBA) => {
      const f = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    };
    const ratio = (a: RGBA, b: RGBA) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    /** The colours that can be behind an element: its own background and its ancestors', until one is opaque. */
    const backdrops = (el: Element): RGBA[] => {
      const layers: RGBA[][] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const cs = getComputedStyle(e);
        const stops = cs.backgroundImage.includes('gradient') ? [...cs.backgroundImage.matchAll(/rgba?\([^)]+\)/g)].map((m) => parse(m[0])!) : [];
        const bg = parse(cs.backgroundColor);
        if (stops.length) {
          layers.push(stops);
          if (stops.every((s) => s[3] >= 1)) break;
        } else if (bg && bg[3] > 0) {
          layers.push([bg]);
          if (bg[3] >= 1) break;
        }
      }
      let result: RGBA[] = [[255, 255, 255, 1]];
      for (const layer of layers.reverse()) result = layer.flatMap((top) => result.map((under) => over(top, under)));
      return result;
    };
    const opacity = (el: Element) => {
      let o = 1;
      for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
      return o;
    };
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const excluded = (el: Element) => !!el.closest('.op-strip, .booth-operator, [inert], [aria-hidden="true"], svg, .sr-only');
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
    };

    const root = document.querySelector('.kiosk, main.booth') ?? document.body;
    for (const el of root.querySelectorAll('button, a[href], input, select, textarea, [role="button"], [tabindex]:not([tabindex="-1"])')) {
      if (excluded(el) || !visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 44 || r.height < 44) problems.push({ check: 'target-size', what: name(el), detail: `${r.width.toFixed(0)}×${r.height.toFixed(0)}` });
    }

    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !(n.textContent ?? '').trim() || excluded(el) || !visible(el)) continue;
      seen.add(el);
      const cs = getComputedStyle(el);
      // As shown: the computed size is before the display fit's zoom (display-fit.ts), the panel shows it zoomed.
      const px = Math.round(parseFloat(cs.fontSize) * ((el as Element & { currentCSSZoom?: number }).currentCSSZoom ?? 1) * 10) / 10;
      if (px < minFont) problems.push({ check: 'font-size', what: name(el), detail: `${px}px` });
      if (/\bundefined\b|\bNaN\b|\[object /.test(n.textContent ?? '')) problems.push({ check: 'text', what: name(el), detail: n.textContent ?? '' });
      if (el.closest('button:disabled, [aria-disabled="true"]')) continue;
      const fg = parse(cs.color);
      if (!fg) continue;
      const o = opacity(el);
      const worst = Math.min(...backdrops(el).map((bg) => ratio(over([fg[0], fg[1], fg[2], fg[3] * o], bg), bg)));
      if (worst < 4.5) problems.push({ check: 'contrast', what: name(el), detail: `${worst.toFixed(2)}:1 (${cs.color})` });
    }

    // The screens as laid out and zoomed (display-fit.ts) stay inside the window: nothing cut off at an edge.
    const app = document.getElementById('app')?.getBoundingClientRect();
    if (app && (app.right > innerWidth + 1 || app.bottom > innerHeight + 1 || app.left < -1 || app.top < -1)) {
      problems.push({ check: 'overflow', what: '#app', detail: `${app.width.toFixed(0)}×${app.height.toFixed(0)} at ${app.left.toFixed(0)},${app.top.toFixed(0)} in ${innerWidth}×${innerHeight}` });
    }
    for (const el of root.querySelectorAll('.content, .bar, .footer, .dialog, .attract-screen')) {
      if (excluded(el) && !el.matches('.attract-screen')) continue;
      const tall = el.scrollHeight > el.clientHeight + 2 && !(mayScroll && el.matches('.content') && getComputedStyle(el).overflowY === 'scroll');
      if (tall || el.scrollWidth > el.clientWidth + 2) {
        problems.push({ check: 'overflow', what: name(el), detail: `${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}` });
      }
    }
    for (const el of root.querySelectorAll('button')) {
      if (excluded(el) || !visible(el)) continue;
      if (el.scrollWidth > el.clientWidth + 2 || el.scrollHeight > el.clientHeight + 2) {
        problems.push({ check: 'overflow', what: name(el), detail: `text ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}` });
      }
    }
    return problems as Problem[];
  }, [minFontPx, contentScrolls] as const);
}

/** The testids of the enabled controls on the kiosk screen, in document order. */
export function enabledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.kiosk button:not(:disabled), .kiosk a[href]')]
      .filter((el) => !el.closest('.op-strip, [inert]') && el.getBoundingClientRect().width > 0)
      .map((el) => el.getAttribute('data-testid') ?? el.textContent ?? ''),
  );
}

/** Presses Tab until focus comes round again; returns the testids focused, in order. */
export async function tabOrder(page: Page, limit = 60): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return null;
      return a.getAttribute('data-testid') ?? a.textContent ?? a.tagName;
    });
    if (id === null) continue;
    if (seen.length && id === seen[0]) break;
    seen.push(id);
  }
  return seen;
}
