// The ward-office counter's screen (#counter) in Debian's Chromium: a clerk looks a card up, reports it lost, is told
// in Japanese why a PIN cannot be reset on a suspended card, and the PIN typed is gone from the page after the try.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, requireBuiltUiAndChromium, shotPath, startKiosk } from './browser.ts';

describe('the counter screen (#counter)', () => {
  let browser: Browser;
  let kiosk: Awaited<ReturnType<typeof startKiosk>>;
  beforeAll(async () => {
    requireBuiltUiAndChromium();
    // Monday 10:00: the ward office is open.
    kiosk = await startKiosk({ start: '2026-12-07T10:00:00+09:00' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await kiosk?.server.close();
  });

  it('looks a card up, suspends it, refuses a PIN reset on it with why, and empties the PIN field', async () => {
    const made = await fetch(`${kiosk.server.url}api/v1/cards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona: 'kawasaki-taro' }) });
    expect(made.status).toBe(200);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const sent: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/counter/')) sent.push(r.postData() ?? ''); });
    await page.goto(`${kiosk.server.url}#counter`);
    expect(await page.locator('h1').textContent()).toContain('窓口端末');
    await page.getByPlaceholder('kawasaki-taro').fill('kawasaki-taro');
    await page.getByRole('button', { name: '照会' }).click();
    await expect.poll(() => page.locator('[data-field=card]').textContent()).toContain('kawasaki-taro-1：有効');
    await page.locator('form', { hasText: '一時停止（紛失' }).getByRole('button').click();
    await expect.poll(() => page.locator('.counter-done').textContent()).toContain('一時停止（紛失の届出）');
    await expect.poll(() => page.locator('[data-field=cert-auth]').textContent()).toContain('一時保留（紛失）');
    const reset = page.locator('form', { hasText: '暗証番号の初期化' });
    await reset.locator('input[name=new]').fill('2468');
    await reset.getByRole('button').click();
    await expect.poll(() => page.locator('.counter-refused').textContent()).toContain('一時停止中です');
    expect(await reset.locator('input[name=new]').inputValue()).toBe('');
    // The PIN went once, in the one request that needed it, and is nowhere on the page.
    expect(sent.filter((b) => b.includes('2468'))).toHaveLength(1);
    expect(await page.content()).not.toContain('2468');
    const shot = shotPath('counter', 'counter-suspended.png');
    if (shot) await page.screenshot({ path: shot, fullPage: true });
    await page.close();
  }, 90_000);

  it('a move to 横浜市: 転出届, 転入届 with the new city, the continuation pending and its last day, 継続利用 with the PIN, the field emptied', async () => {
    const made = await fetch(`${kiosk.server.url}api/v1/cards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona: 'kawasaki-hanako' }) });
    expect(made.status).toBe(200);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const sent: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/counter/')) sent.push(r.postData() ?? ''); });
    await page.goto(`${kiosk.server.url}#counter`);
    await page.getByPlaceholder('kawasaki-taro').fill('kawasaki-hanako');
    await page.locator('form', { hasText: '転出届' }).filter({ hasNotText: '転入' }).getByRole('button').click();
    await expect.poll(() => page.locator('.counter-done').textContent()).toContain('転出届');
    const moveIn = page.locator('form', { hasText: '転入届（' });
    await moveIn.locator('input[name=to]').fill('横浜市');
    await moveIn.getByRole('button').click();
    await expect.poll(() => page.locator('.counter-done').textContent()).toContain('転入届');
    await expect.poll(() => page.locator('[data-field=continuation]').textContent()).toContain('2027-03-07 までに手続がないとカードは失効します');
    expect(await page.locator('.counter-status h2').textContent()).toContain('横浜市');
    const cont = page.locator('form', { hasText: '継続利用（' });
    await cont.locator('input[name=pin]').fill('5173');
    await cont.getByRole('button').click();
    await expect.poll(() => page.locator('.counter-done').textContent()).toContain('継続利用');
    expect(await cont.locator('input[name=pin]').inputValue()).toBe('');
    expect(await page.locator('[data-field=continuation]').count()).toBe(0);
    expect(sent.filter((b) => b.includes('5173'))).toHaveLength(1);
    expect(await page.content()).not.toContain('5173');
    await page.close();
  }, 90_000);

  it('hands a new card over: 交付待ち with its last day, the holder’s PIN and password typed once, the certificates issued, both fields emptied', async () => {
    const made = await fetch(`${kiosk.server.url}api/v1/cards`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona: 'takasaki-yoshiko', card: { uncollected: true } }),
    });
    expect(made.status).toBe(200);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const sent: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/counter/')) sent.push(r.postData() ?? ''); });
    await page.goto(`${kiosk.server.url}#counter`);
    await page.getByPlaceholder('kawasaki-taro').fill('takasaki-yoshiko');
    await page.getByRole('button', { name: '照会' }).click();
    await expect.poll(() => page.locator('[data-field=collection]').textContent()).toContain('交付待ち（2027-03-07 まで保管）');
    expect(await page.locator('[data-field=pins]').textContent()).toBe('なし');
    const collect = page.locator('form', { hasText: '本人が暗証番号を設定し' });
    await collect.locator('input[name=new]').fill('7391');
    await collect.getByRole('button').click();
    await expect.poll(() => page.locator('.counter-refused').textContent()).toContain('署名用パスワード（6〜16文字）も設定してください');
    await collect.locator('input[name=new]').fill('7391');
    await collect.locator('input[name=password]').fill('YOSHI7391');
    await collect.getByRole('button').click();
    await expect.poll(() => page.locator('.counter-done').textContent()).toContain('カードの交付');
    await expect.poll(() => page.locator('[data-field=cert-auth]').textContent()).toContain('有効　2026-12-07〜');
    expect(await page.locator('[data-field=card]').textContent()).toContain('コンビニ交付は 2026-12-08 00:00 から');
    expect(await page.locator('[data-field=collection]').count()).toBe(0);
    for (const name of ['new', 'password']) expect(await collect.locator(`input[name=${name}]`).inputValue()).toBe('');
    expect(sent.filter((b) => b.includes('YOSHI7391'))).toHaveLength(1);
    expect(await page.content()).not.toMatch(/7391/);
    const shot = shotPath('counter', 'counter-collected.png');
    if (shot) await page.screenshot({ path: shot, fullPage: true });
    await page.close();
  }, 90_000);
});
