// The photo booth's touch screen (#booth) in Debian's Chromium, as a resident meets it: 個人番号カード申請, the fee
// (the operator's coin), the form's QR code held to the scanner, the birth date typed (a wrong one first), the options,
// a dark photograph refused by its checks and retaken, the application sent, the day the card comes. The same story
// through the API reaches J-LIS: the application is in the center's records.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SimClock } from '../../kiosk/clock.ts';
import { serveBooth } from '../../kiosk/booth/booth-server.ts';
import jsQR from 'jsqr';
import { APPLICATION_SITE, renderApplicationFormPdf } from '../../printer/layout/application-form.ts';
import { rgbPixels } from '../../printer/testing/poppler.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { photoAsY4m, samplePhoto } from '../../samples/photos.ts';
import { auditScreen, launchChromium, requireBuiltUiAndChromium, shotPath, VIEWPORT } from './browser.ts';

describe('the photo booth in Chromium (#booth)', () => {
  let browser: Browser;
  let booth: Awaited<ReturnType<typeof serveBooth>>;
  beforeAll(async () => {
    requireBuiltUiAndChromium();
    booth = await serveBooth({ port: 0, clock: new SimClock('2026-12-07T10:00:00+09:00'), varDir: join(mkdtempSync(join(tmpdir(), 'booth-')), 'var') });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await booth?.close();
  });

  const shot = async (page: Page, name: string) => {
    const file = shotPath('booth', `${name}.png`);
    if (file) await page.screenshot({ path: file });
  };

  it('an application by touch: the fee, the form, a wrong birth date, a dark photo retaken, sent; the card’s day shown', async () => {
    const form = booth.center!.applications.printForm('kawasaki-hanako').id;
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(booth.url);
    await expect.poll(() => page.locator('main.booth').getAttribute('data-screen')).toBe('top');
    await shot(page, 'top');
    await page.getByTestId('apply').click();
    await expect.poll(() => page.getByTestId('pay').textContent()).toContain('写真代 1,000円');
    await page.getByTestId('cash-1000').click();
    await expect.poll(() => page.locator('main.booth').getAttribute('data-screen')).toBe('scan');
    await shot(page, 'scan');
    // The scanner is a keyboard wedge: it types the code's text and Enter.
    await page.locator('main.booth').click();
    await page.keyboard.type(`https://net.kojinbango-card.example/apply?id=${form}\n`);
    await expect.poll(() => page.locator('main.booth').getAttribute('data-screen')).toBe('birth-date');
    for (const [id, v] of [['year', '1982'], ['month', '3'], ['day', '9']]) await page.getByTestId(id).fill(v);
    await page.getByTestId('next').click();
    await expect.poll(() => page.getByTestId('birth-wrong').textContent()).toContain('あと2回');
    await shot(page, 'birth-date-wrong');
    for (const [id, v] of [['year', '1982'], ['month', '9'], ['day', '30']]) await page.getByTestId(id).fill(v);
    await page.getByTestId('next').click();
    await expect.poll(() => page.locator('main.booth').getAttribute('data-screen')).toBe('options');
    await page.getByTestId('braille').click();
    await page.getByTestId('next').click();
    await page.getByTestId('pose').selectOption('dark');
    await page.getByTestId('shoot').click();
    await expect.poll(() => page.getByTestId('check-lit').getAttribute('data-ok'), { timeout: 10_000 }).toBe('false');
    expect(await page.getByTestId('accept').isDisabled()).toBe(true);
    await shot(page, 'photo-dark');
    await page.getByTestId('retake').click();
    await page.getByTestId('pose').selectOption('good');
    await page.getByTestId('shoot').click();
    await expect.poll(() => page.getByTestId('check-lit').getAttribute('data-ok'), { timeout: 10_000 }).toBe('true');
    await shot(page, 'photo-good');
    await page.getByTestId('accept').click();
    await expect.poll(() => page.locator('main.booth').getAttribute('data-screen')).toBe('confirm');
    await page.getByTestId('send').click();
    await expect.poll(() => page.getByTestId('arrives').textContent()).toContain('2027年1月5日ごろ');
    await shot(page, 'done');
    // The operator's strip shows the devices: the fee in the vault, the slip printed.
    await expect.poll(() => page.getByTestId('devices').textContent()).toMatch(/escrow ¥0 · fees kept ¥1000 · returned ¥0 · slips 1/);
    const [application] = booth.center!.life.records.applications('kawasaki-hanako');
    expect(application).toMatchObject({ route: 'booth', by: 'B01', certificates: true, braille: true });
    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.getByTestId('done').textContent()).toBe('Your application was received');
    await page.getByTestId('top').click();
    await expect.poll(() => page.locator('main.booth').getAttribute('data-screen')).toBe('top');
    await page.close();
  }, 90_000);

  it('a form already used is refused after the scan, and the coins come back (the screen says so)', async () => {
    const form = booth.center!.applications.printForm('kawasaki-hanako').id;
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(booth.url);
    await page.getByTestId('apply').click();
    await page.getByTestId('cash-500').click();
    await page.getByTestId('cash-500').click();
    await page.getByTestId('form-text').fill(form);
    await page.getByTestId('scan').click();
    // kawasaki-hanako's earlier application is being processed.
    await expect.poll(() => page.getByTestId('end').getAttribute('data-reason')).toBe('application-pending');
    await expect.poll(() => page.getByTestId('returned').isVisible()).toBe(true);
    await shot(page, 'refused');
    expect(booth.cashBox.counters).toMatchObject({ returned: 1000 });
    await page.close();
  }, 60_000);

  it('with the browser’s camera (Chromium’s fake camera playing a person): the frame it grabs is measured and sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'booth-camera-'));
    const video = join(dir, 'person.y4m');
    writeFileSync(video, photoAsY4m(samplePhoto('good')));
    const camBrowser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
    const camBooth = await serveBooth({ port: 0, clock: new SimClock('2026-12-07T10:00:00+09:00'), varDir: join(dir, 'var'), camera: 'browser' });
    try {
      const form = camBooth.center!.applications.printForm('takasaki-yoshiko').id;
      const r = camBooth.runtime;
      r.send({ type: 'ui.start' });
      r.insertCash(1000);
      camBooth.scanner.present(form);
      await r.settled();
      r.send({ type: 'ui.enterBirthDate', birthDate: '1975-01-20' });
      await r.settled();
      r.send({ type: 'ui.setOptions', certificates: true, braille: false });
      const page = await camBrowser.newPage({ viewport: VIEWPORT });
      await page.goto(camBooth.url);
      await expect.poll(() => page.getByTestId('live').evaluate((v) => (v as HTMLVideoElement).videoWidth), { timeout: 10_000 }).toBeGreaterThan(0);
      await page.getByTestId('shoot').click();
      await expect.poll(() => page.getByTestId('check-face').getAttribute('data-ok'), { timeout: 15_000 }).toBe('true');
      expect(await page.getByTestId('check-lit').getAttribute('data-ok')).toBe('true');
      expect(await page.getByTestId('accept').isDisabled()).toBe(false);
      await shot(page, 'browser-camera');
      // Nobody can post a frame the booth did not ask for.
      const stray = await fetch(`${camBooth.url}api/v1/booth/photo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ width: 16, height: 16, rgb: Buffer.alloc(768).toString('base64') }) });
      expect(stray.status).toBe(409);
      await page.close();
    } finally {
      await camBrowser.close();
      await camBooth.close();
    }
  }, 90_000);

  /** RGB pixels as the RGBA jsQR reads. */
  const rgbaOf = (p: { width: number; height: number; pixels: Uint8Array }) => {
    const out = new Uint8ClampedArray(p.width * p.height * 4).fill(255);
    for (let i = 0; i < p.width * p.height; i++) out.set(p.pixels.subarray(i * 3, i * 3 + 3), i * 4);
    return out;
  };

  it('with the browser’s camera, the printed form’s QR code held to it is read (jsQR) and the booth goes on to the birth date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'booth-qr-'));
    const camBooth = await serveBooth({ port: 0, clock: new SimClock('2026-12-07T10:00:00+09:00'), varDir: join(dir, 'var'), camera: 'browser' });
    const form = camBooth.center!.applications.printForm('takasaki-yoshiko').id;
    // The printed form held to the camera: the top right of its first page (the QR code, with the form's words around
    // it) as pdftoppm renders the PDF J-LIS printed, 288 pt square at 120 dpi: a 480 × 480 picture.
    const pdf = await renderApplicationFormPdf(camBooth.center!.applications.formDocument(camBooth.center!.life.records.form(form)!, loadSampleData().municipalities));
    const held = rgbPixels(pdf, 1, 120, { x: 595.28 - 288, y: 0, width: 288, height: 288 });
    expect(jsQR(rgbaOf(held), held.width, held.height)?.data).toBe(`${APPLICATION_SITE}${form}`);
    const pixels = held.pixels;
    const side = held.width;
    const video = join(dir, 'form.y4m');
    writeFileSync(video, photoAsY4m({ width: side, height: side, pixels }));
    const camBrowser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
    try {
      const page = await camBrowser.newPage({ viewport: VIEWPORT });
      await page.goto(camBooth.url);
      await page.getByTestId('apply').click();
      await page.getByTestId('cash-1000').click();
      await expect.poll(() => page.locator('main.booth').getAttribute('data-screen')).toBe('scan');
      await expect.poll(() => page.locator('main.booth').getAttribute('data-screen'), { timeout: 15_000 }).toBe('birth-date');
      await page.close();
    } finally {
      await camBrowser.close();
      await camBooth.close();
    }
  }, 90_000);

  it('every booth screen in Japanese and English, at 1280×800 and 1024×768: targets, type, contrast, nothing cut off', async () => {
    const b = await serveBooth({ port: 0, clock: new SimClock('2026-12-07T10:00:00+09:00') });
    const page = await browser.newPage({ viewport: VIEWPORT });
    const problems: string[] = [];
    try {
      const r = b.runtime;
      const form = b.center!.applications.printForm('kawasaki-hanako').id;
      /** The screens, each reached from the top by the runtime (what a person's taps and the devices would do). */
      const steps: Array<[string, () => Promise<void>]> = [
        ['top', async () => {}],
        ['payment', async () => r.send({ type: 'ui.start' })],
        ['scan', async () => void r.insertCash(1000)],
        ['scan-not-a-form', async () => void b.scanner.present('https://example.com/')],
        ['birth-date', async () => void b.scanner.present(form)],
        ['birth-date-wrong', async () => r.send({ type: 'ui.enterBirthDate', birthDate: '1982-01-01' })],
        ['options', async () => r.send({ type: 'ui.enterBirthDate', birthDate: '1982-09-30' })],
        ['photo', async () => r.send({ type: 'ui.setOptions', certificates: true, braille: true })],
        ['photo-review', async () => { b.camera.pose('busy-background'); r.send({ type: 'ui.takePhoto' }); }],
        ['timeout-warning', async () => void b.runtime.send({ type: 'ui.retakePhoto' })],
        ['confirm', async () => { r.send({ type: 'ui.continue' }); b.camera.pose('good'); r.send({ type: 'ui.takePhoto' }); await r.settled(); r.send({ type: 'ui.acceptPhoto' }); }],
        ['done', async () => r.send({ type: 'ui.confirm' })],
        ['refused', async () => { r.send({ type: 'ui.done' }); r.send({ type: 'ui.start' }); r.insertCash(5000); b.scanner.present('12345678901234567890123'); }],
        ['cancelled', async () => { r.send({ type: 'ui.done' }); r.send({ type: 'ui.start' }); r.insertCash(500); r.send({ type: 'ui.cancel' }); }],
      ];
      await page.goto(b.url);
      for (const [name, reach] of steps) {
        await reach();
        await r.settled();
        // The timeout warning: the booth's clock past the photo screen's idle time.
        if (name === 'timeout-warning') (b.runtime as unknown as { actor: { send(e: unknown): void } }).actor.send({ type: 'timeout' });
        // The screen reads the view twice a second: wait until it shows this one.
        const view = r.view();
        await expect.poll(() => page.locator('main.booth').evaluate((m) => `${m.getAttribute('data-screen')}/${m.getAttribute('data-step')}`)).toBe(`${view.screen}/${view.step ?? ''}`);
        await page.waitForTimeout(100);
        for (const size of [VIEWPORT, { width: 1024, height: 768 }]) {
          await page.setViewportSize(size);
          for (const lang of ['ja', 'en'] as const) {
            await page.getByTestId(`lang-${lang}`).click();
            for (const p of await auditScreen(page)) problems.push(`${name} ${lang} ${size.width}: ${p.check} ${p.what}: ${p.detail}`);
            if (size === VIEWPORT) await shot(page, `audit-${lang}-${name}`);
          }
        }
      }
    } finally {
      await page.close();
      await b.close();
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
