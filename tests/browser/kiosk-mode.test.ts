// `kiosk start --kiosk`: Chromium full screen in kiosk mode where there is a display, and where there is none (a
// server, this test machine) the exact command to run on the kiosk's screen, printed while the kiosk keeps serving.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { grabScreen, type ScreenGrab } from './xwd.ts';
import { kioskBrowserArgs, kioskPageUrl, kioskPlan, shellQuote } from '../../kiosk/kiosk-mode.ts';
import { UI_DIR } from '../../kiosk/server.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('the kiosk browser command', () => {
  it('opens the kiosk page full screen, without pinch, overscroll navigation or first-run pages', () => {
    expect(kioskPageUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/?kiosk=1');
    const args = kioskBrowserArgs('http://127.0.0.1:8080/?kiosk=1', '/var/kiosk/chromium');
    for (const flag of ['--kiosk', '--app=http://127.0.0.1:8080/?kiosk=1', '--no-first-run', '--disable-pinch', '--overscroll-history-navigation=0', '--user-data-dir=/var/kiosk/chromium']) {
      expect(args).toContain(flag);
    }
  });

  it('launches where there is a display and the browser, and says why not elsewhere', () => {
    const here = (p: string) => p === '/usr/bin/chromium';
    expect(kioskPlan('http://127.0.0.1:8080/', '/p', { DISPLAY: ':0' }, here)).toMatchObject({ launch: true, browser: '/usr/bin/chromium', reason: null });
    expect(kioskPlan('http://127.0.0.1:8080/', '/p', { WAYLAND_DISPLAY: 'wayland-0' }, here).launch).toBe(true);
    expect(kioskPlan('http://127.0.0.1:8080/', '/p', {}, here)).toMatchObject({ launch: false, reason: expect.stringMatching(/no display/) });
    expect(kioskPlan('http://127.0.0.1:8080/', '/p', { DISPLAY: ':0' }, () => false)).toMatchObject({ launch: false, reason: expect.stringMatching(/not installed/) });
    expect(kioskPlan('http://127.0.0.1:8080/', '/p', { DISPLAY: ':0', KIOSK_BROWSER: '/opt/chrome' }, (p) => p === '/opt/chrome').browser).toBe('/opt/chrome');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(kioskPlan('http://127.0.0.1:8080/', '/p', {}, here).command).toMatch(/^\/usr\/bin\/chromium --kiosk '--app=http:\/\/127\.0\.0\.1:8080\/\?kiosk=1' /);
  });
});

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

let child: ChildProcess | null = null;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = null;
});

/** Starts `kiosk start --kiosk` and collects its output until `until` matches. */
async function startKiosk(env: NodeJS.ProcessEnv, until: RegExp): Promise<{ out: string; port: number }> {
  if (!existsSync(join(UI_DIR, 'index.html'))) throw new Error('The UI is not built: run `npm run build` (npm test does it).');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-mode-'));
  child = spawn(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'start', '--kiosk', '--port', String(port), '--var', join(dir, 'var'), '--spool', join(dir, 'spool')], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no match for ${until} in:\n${out}`)), 30_000);
    const on = (d: Buffer) => {
      out += String(d);
      if (until.test(out)) {
        clearTimeout(timer);
        ok();
      }
    };
    child!.stdout!.on('data', on);
    child!.stderr!.on('data', on);
    child!.once('exit', (code) => fail(new Error(`kiosk start exited (${code}):\n${out}`)));
  });
  return { out, port };
}

const withoutDisplay = () => {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return env;
};

describe('kiosk start --kiosk', () => {
  it('without a display prints the exact command and keeps serving', async () => {
    const { out, port } = await startKiosk(withoutDisplay(), /kiosk mode:.*\n\s+\S.*--kiosk.*\n/);
    expect(out).toContain('no display here');
    const command = out.split('\n').find((l) => l.includes('--kiosk') && l.includes('--app='))!.trim();
    expect(command).toContain(`'--app=http://127.0.0.1:${port}/?kiosk=1'`);
    expect(command).toMatch(/--disable-pinch .*--overscroll-history-navigation=0/);
    const page = await fetch(`http://127.0.0.1:${port}/?kiosk=1`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
  }, 60_000);

  it('with a display starts the browser with those flags (a stand-in browser records them)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-fake-browser-'));
    const record = join(dir, 'args.txt');
    const fake = join(dir, 'chromium');
    // Written aside and renamed, so the test never reads a half-written file.
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > ${shellQuote(record + '.tmp')}\nmv ${shellQuote(record + '.tmp')} ${shellQuote(record)}\nexec sleep 60\n`);
    chmodSync(fake, 0o755);
    const { out, port } = await startKiosk({ ...withoutDisplay(), DISPLAY: ':99', KIOSK_BROWSER: fake }, /kiosk mode: .+ full screen/);
    expect(out).toContain(fake);
    for (let i = 0; i < 150 && !existsSync(record); i++) await new Promise((r) => setTimeout(r, 100));
    const args = readFileSync(record, 'utf8').trim().split('\n');
    expect(args).toContain('--kiosk');
    expect(args).toContain(`--app=http://127.0.0.1:${port}/?kiosk=1`);
    expect(args).toContain('--disable-pinch');
    expect(args).toContain('--overscroll-history-navigation=0');
    expect(args).toContain('--window-position=0,0');
    // Stopping the kiosk closes its browser too.
    const exited = new Promise<number | null>((ok) => child!.once('exit', ok));
    child!.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
  }, 60_000);

  it('on an X display with no window manager (Xvfb), the real Chromium covers the whole screen with the kiosk page', async () => {
    // 1440×900, not the UI's own 1280×800: the window's size must come from the display.
    const { display, stop } = await startXvfb(1440, 900);
    try {
      const { out } = await startKiosk({ ...withoutDisplay(), DISPLAY: display }, /kiosk mode: .+ full screen \(pid \d+\)/);
      const browserPid = Number(/full screen \(pid (\d+)\)/.exec(out)![1]);
      const isBrand = ([r, g, b]: number[]) => Math.abs(r - 0x0b) < 12 && Math.abs(g - 0x25) < 12 && Math.abs(b - 0x45) < 12;
      // The page is up when its header (the brand colour) shows in the top-left corner.
      let screen: ScreenGrab = grabScreen(display);
      // Up to 60 s: with the browser suites beside it on two cores, Chromium's first paint has taken over 30 s.
      const until = Date.now() + 60_000;
      while (!isBrand(screen.rgb(3, 3)) && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 250));
        screen = grabScreen(display);
      }
      const browserAlive = (() => {
        try {
          process.kill(browserPid, 0);
          return 'running';
        } catch {
          return 'gone';
        }
      })();
      expect(screen.rgb(3, 3), `top-left corner: the kiosk header, no window frame (browser ${browserAlive}; kiosk said:\n${out})`).toSatisfy(isBrand);
      // The header runs the whole width, with nothing over it (Chromium's translation offer sat there once).
      for (let x = Math.floor(screen.width / 2); x < screen.width - 2; x += 8) expect(screen.rgb(x, 10), `header at x=${x}`).toSatisfy(isBrand);
      // The window reaches the bottom-right corner: the bare X root there is black.
      expect(screen.rgb(screen.width - 3, screen.height - 3)).not.toEqual([0, 0, 0]);
      // Stopping the kiosk closes its browser.
      const exited = new Promise<number | null>((ok) => child!.once('exit', ok));
      child!.kill('SIGTERM');
      await expect(exited).resolves.toBe(0);
      const alive = () => {
        try {
          process.kill(browserPid, 0);
          return true;
        } catch {
          return false;
        }
      };
      for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(), 'the browser is gone').toBe(false);
    } finally {
      stop();
    }
  }, 120_000);
});

/** An X server with no window manager, as many kiosks run (Debian's xvfb). */
async function startXvfb(width: number, height: number): Promise<{ display: string; stop: () => void }> {
  for (let n = 90 + Math.floor(Math.random() * 50); ; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const x = spawn('Xvfb', [`:${n}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${n}`) && x.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    if (x.exitCode !== null) continue;
    return { display: `:${n}`, stop: () => x.kill('SIGKILL') };
  }
}
