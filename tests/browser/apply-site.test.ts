// The application site the form's QR code leads to (kiosk apply-site), in Chromium as a resident's phone meets it:
// the ID filled in from the link, an e-mail address, the birth date, a JPEG photo chosen from the phone; the page
// checks the file and sends it, the site reads it again and measures it and J-LIS records the application (route smartphone),
// and the completion e-mail is in the outbox. A dark photo is refused with the check it failed.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CardApplications } from '../../center/applications.ts';
import { SimClock } from '../../kiosk/clock.ts';
import { serveApplySite } from '../../kiosk/booth/apply-site.ts';
import { encodePng } from '../../kiosk/booth/png.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { samplePhoto, type SamplePhoto } from '../../samples/photos.ts';
import { launchChromium, requireBuiltUiAndChromium } from './browser.ts';

describe('the application site (smartphone route) in Chromium', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof serveApplySite>>;
  let jlis: CardApplications;
  const clock = new SimClock('2026-12-07T10:00:00+09:00');
  beforeAll(async () => {
    requireBuiltUiAndChromium();
    site = await serveApplySite({ port: 0, clock, varDir: join(mkdtempSync(join(tmpdir(), 'apply-site-')), 'var') });
    jlis = new CardApplications({ records: site.records, registry: loadSampleData().registry, clock });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  /** A JPEG of a sample person as a phone would take it: 480 × 617, with a little sensor noise. */
  async function jpegOf(page: Page, kind: SamplePhoto): Promise<Buffer> {
    const png = `data:image/png;base64,${encodePng(samplePhoto(kind)).toString('base64')}`;
    const b64 = await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = 480;
      c.height = 617;
      const g = c.getContext('2d')!;
      g.imageSmoothingEnabled = false;
      g.drawImage(img, 0, 0, 480, 617);
      const d = g.getImageData(0, 0, 480, 617);
      let seed = 7;
      for (let i = 0; i < d.data.length; i += 4) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const n = (seed % 9) - 4;
        for (let k = 0; k < 3; k++) d.data[i + k] = Math.max(0, Math.min(255, d.data[i + k] + n));
      }
      g.putImageData(d, 0, 0);
      return c.toDataURL('image/jpeg', 0.95).split(',')[1];
    }, png);
    return Buffer.from(b64, 'base64');
  }

  it('takes an application with the ID from the link; a dark photo is refused with the check it failed', async () => {
    const form = jlis.printForm('kawasaki-hanako').id;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${site.url}apply?id=${form}`);
    expect(await page.locator('#form').inputValue()).toBe(form);
    expect(await page.locator('#form').getAttribute('readonly')).not.toBeNull();
    await page.locator('#email').fill('hanako@example.jp');
    await page.locator('#birth').fill('1982-09-30');
    const dark = await jpegOf(page, 'dark');
    expect(dark.length).toBeGreaterThan(20 * 1024);
    await page.locator('#photo').setInputFiles({ name: 'dark.jpg', mimeType: 'image/jpeg', buffer: dark });
    await page.locator('#send').click();
    await expect.poll(() => page.locator('#said').textContent()).toContain('明るさが適切でない');
    expect(site.records.applications('kawasaki-hanako')).toEqual([]);
    await page.locator('#photo').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: await jpegOf(page, 'good') });
    await page.locator('#send').click();
    await expect.poll(() => page.locator('#said').textContent()).toContain('申請を受け付けました');
    const [a] = site.records.applications('kawasaki-hanako');
    expect(a).toMatchObject({ form, route: 'smartphone', certificates: true });
    const mail = join(site.outbox, `application-${a.id}.eml`);
    expect(existsSync(mail)).toBe(true);
    expect(readFileSync(mail, 'utf8')).toContain('To: hanako@example.jp');
    // The same form again: refused by J-LIS, as at a booth.
    await page.locator('#send').click();
    await expect.poll(() => page.locator('#said').textContent()).toMatch(/already|すでに|form-used|sent on this form/);
    await page.close();
  }, 90_000);

  it('refuses a photo file that is not a JPEG, and an application sent from another page', async () => {
    const form = jlis.printForm('takasaki-yoshiko').id;
    const page = await browser.newPage();
    await page.goto(`${site.url}apply`);
    await page.locator('#form').fill(form);
    await page.locator('#email').fill('y@example.jp');
    await page.locator('#birth').fill('1975-01-20');
    await page.locator('#photo').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: encodePng(samplePhoto('good')) });
    await page.locator('#send').click();
    await expect.poll(() => page.locator('#said').textContent()).toContain('JPEG');
    const forged = await fetch(`${site.url}api/apply`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: '{}' });
    expect(forged.status).toBe(403);
    expect(site.records.applications('takasaki-yoshiko')).toEqual([]);
    await page.close();
  }, 60_000);
});
