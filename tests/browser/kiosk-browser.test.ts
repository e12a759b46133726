// The whole 14-step journey in a real browser (Debian chromium driven by playwright-core): a resident taps
// through the touch UI, the operator strip places and takes the card, the PIN goes in on the on-screen keypad,
// cash goes in through the coin and bill buttons, and the certificates appear as PDFs in the spool folder.
// KIOSK_SCREENSHOTS=DIR keeps a PNG of every screen (the README's pictures come from here).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../kiosk/clock.ts';
import { UI_DIR, serveKiosk } from '../../kiosk/server.ts';

const CHROMIUM = '/usr/bin/chromium';
const shots = process.env.KIOSK_SCREENSHOTS;
let server: Awaited<ReturnType<typeof serveKiosk>>;
let browser: Browser;
let page: Page;
const spoolDir = mkdtempSync(join(tmpdir(), 'kiosk-browser-spool-'));
const frames: string[] = [];

beforeAll(async () => {
  // `npm test` builds the UI and installs chromium first (bin/system-packages.mjs); say so if run on its own.
  if (!existsSync(join(UI_DIR, 'index.html'))) throw new Error('The UI is not built: run `npm run build` (npm test does it).');
  if (!existsSync(CHROMIUM)) throw new Error('Debian chromium is missing: run `node bin/system-packages.mjs test` (npm test does it).');
  server = await serveKiosk({ port: 0, clock: new RealClock('2026-11-24T10:00:00+09:00'), printer: 'spool', spoolDir, varDir: mkdtempSync(join(tmpdir(), 'kiosk-browser-var-')) });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
  await page.goto(server.url);
  if (shots) mkdirSync(shots, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

let shot = 0;
async function onScreen(screen: string): Promise<void> {
  await page.locator(`[data-screen="${screen}"]`).waitFor({ timeout: 10_000 });
  if (shots) await page.screenshot({ path: join(shots, `${String(++shot).padStart(2, '0')}-${screen}.png`) });
}
const tap = (testid: string) => page.getByTestId(testid).click();

describe('in the browser', () => {
  it('completes the 14-step journey and prints the certificates', async () => {
    await onScreen('top');
    await tap('tap-government-service');
    await onScreen('government-menu');
    await tap('tap-certificate-service');
    await onScreen('advanced-menu');
    await expect(page.getByTestId('accept-terms').isDisabled()).resolves.toBe(true);
    await tap('medium-card');
    await tap('accept-terms');
    await onScreen('card-reading');
    await tap('operator-strip-toggle');
    await page.getByTestId('operator-persona').selectOption('kawasaki-taro');
    await tap('operator-insert-card');
    await onScreen('city-select');
    await tap('city-residence');
    await onScreen('pin-entry');
    for (const d of '8642') await tap(`pin-key-${d}`);
    await expect(page.getByTestId('pin-display').getAttribute('data-length')).resolves.toBe('4');
    await expect(page.getByTestId('pin-display').innerText()).resolves.not.toMatch(/\d/);
    await tap('pin-enter');
    await onScreen('card-removal');
    await tap('operator-remove-card');
    await onScreen('certificate-select');
    await expect(page.getByTestId('certificate-kisai').getAttribute('data-unavailable')).resolves.toBe('not-offered');
    await tap('certificate-juminhyo');
    await onScreen('type-select');
    await tap('type-household');
    await onScreen('info-select');
    await tap('info-householdHead-yes');
    await tap('next');
    await onScreen('copies');
    await tap('copies-plus');
    await tap('next');
    await onScreen('confirm');
    await expect(page.getByTestId('summary-holder').innerText()).resolves.toContain('川崎 太郎');
    await expect(page.getByTestId('summary-total').innerText()).resolves.toMatch(/400/);
    await tap('confirm-pay');
    await onScreen('payment');
    await tap('cash-1000');
    await page.locator('[data-screen="printing"][data-step="collect"]').waitFor({ timeout: 20_000 });
    if (shots) await page.screenshot({ path: join(shots, `${String(++shot).padStart(2, '0')}-printing-collect.png`) });
    await expect(page.getByTestId('payout-change').innerText()).resolves.toMatch(/600/);
    expect(await page.getByTestId('document-link').count()).toBe(3);
    await tap('done');
    await onScreen('top');

    const pdfs = readdirSync(spoolDir).filter((f) => f.endsWith('.pdf')).sort();
    expect(pdfs).toHaveLength(3);
    const text = execFileSync('pdftotext', [join(spoolDir, pdfs.find((f) => f.includes('juminhyo-1of2'))!), '-'], { encoding: 'utf8' });
    expect(text).toContain('住民票の写し');
    expect(text).toContain('川崎 花子');
    // The PIN went to the server once, in a `pin` message; nothing the server sent back contains it.
    expect(frames.length).toBeGreaterThan(20);
    expect(frames.join('\n')).not.toContain('8642');
  }, 90_000);

  it('shows the screens in the chosen language and a refusal with what to do', async () => {
    await tap('tap-government-service');
    await tap('lang-en');
    await page.locator('html[lang="en"]').waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('tap-certificate-service').innerText()).resolves.toMatch(/certificate/i);
    await tap('tap-certificate-service');
    await tap('medium-card');
    await tap('accept-terms');
    await onScreen('card-reading');
    await page.getByTestId('operator-persona').selectOption('expired');
    await tap('operator-insert-card');
    await onScreen('refused');
    await expect(page.getByTestId('reason-title').getAttribute('data-reason')).resolves.toBe('certificate-expired');
    await expect(page.getByTestId('reason-action').innerText()).resolves.toMatch(/renew/i);
    await tap('done');
    await onScreen('top');
    await tap('operator-remove-card');
  }, 60_000);
});
