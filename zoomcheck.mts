import { launchChromium, startKiosk } from './tests/browser/browser.ts';
const kiosk = await startKiosk({ printer: 'null' });
const browser = await launchChromium();
for (const [width, height] of [[1920,1080],[800,480]]) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(`${kiosk.server.url}#demo=pin-entry&lang=ja`);
  await page.locator('[data-screen="pin-entry"]').waitFor();
  console.log(width, await page.evaluate(() => { const el = document.querySelector('.title')!; const r = el.getBoundingClientRect(); const k = document.querySelector('.kiosk')!.getBoundingClientRect(); return { fs: getComputedStyle(el).fontSize, h: r.height, kw: k.width, kh: k.height, cz: (el as any).currentCSSZoom, iw: innerWidth }; }));
}
await browser.close(); await kiosk.server.close();
