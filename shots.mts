import { launchChromium, startKiosk } from './tests/browser/browser.ts';
const sizes = (process.env.SIZES ?? '1024x768,1080x1920,1920x1080,800x480,1366x768,1280x1024').split(',');
const screens = (process.env.SCREENS ?? 'pin-entry,certificate-select,info-select').split(',');
const lang = process.env.LANG_ ?? 'pt';
const kiosk = await startKiosk({ printer: 'null' });
const browser = await launchChromium();
for (const s of sizes) {
  const [width, height] = s.split('x').map(Number);
  const page = await browser.newPage({ viewport: { width, height } });
  for (const sc of screens) {
    await page.goto(`${kiosk.server.url}#demo=${sc}&lang=${lang}`);
    await page.locator(`[data-screen="${sc.split('&')[0]}"]`).waitFor();
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: `/tmp/shots/${s}-${sc.replace(/[&=]/g, '_')}-${lang}.png` });
  }
  await page.close();
}
await browser.close(); await kiosk.server.close();
