// `kiosk start --kiosk`: the touch screen in Chromium's kiosk mode (full screen, no address bar, no way out but the
// power button). Where there is no display to open it on (a server, a container, an SSH session), the exact command
// is printed for the kiosk's own screen, and the kiosk keeps serving.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Chromium; KIOSK_BROWSER names another Chromium-family binary (chromium-browser, google-chrome). */
export const DEFAULT_KIOSK_BROWSER = '/usr/bin/chromium';

/** The page the kiosk browser opens: the touch screen in kiosk mode (no operator strip, navigation locked). */
export function kioskPageUrl(serverUrl: string): string {
  const u = new URL(serverUrl);
  u.searchParams.set('kiosk', '1');
  return u.toString();
}

export interface ScreenSize {
  width: number;
  height: number;
}

/**
 * The X display's size (xdpyinfo, from x11-utils), or null where it cannot be read (Wayland, no xdpyinfo). A kiosk's
 * X server often runs no window manager, and then nobody answers Chromium's full-screen request: its window stays
 * at the default size and place unless told the screen's.
 */
export function x11ScreenSize(env: NodeJS.ProcessEnv = process.env): ScreenSize | null {
  if (!env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  const r = spawnSync('xdpyinfo', [], { env, encoding: 'utf8', timeout: 5000 });
  const m = /dimensions:\s+(\d+)x(\d+) pixels/.exec(r.stdout ?? '');
  return m ? { width: Number(m[1]), height: Number(m[2]) } : null;
}

/** Chromium's flags for an unattended touch kiosk. */
export function kioskBrowserArgs(pageUrl: string, profileDir: string, options: { root?: boolean; screen?: ScreenSize | null } = {}): string[] {
  return [
    '--kiosk',
    `--app=${pageUrl}`,
    // Where no window manager makes the window full screen (see x11ScreenSize), it covers the screen by itself.
    '--window-position=0,0',
    ...(options.screen ? [`--window-size=${options.screen.width},${options.screen.height}`] : []),
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--disable-features=TranslateUI,Translate,OverscrollHistoryNavigation',
    '--noerrdialogs',
    '--disable-infobars',
    '--disable-session-crashed-bubble',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--password-store=basic',
    '--autoplay-policy=no-user-gesture-required',
    '--touch-events=enabled',
    // Its own profile: otherwise a Chromium already running for the user would just open a tab, not a kiosk.
    `--user-data-dir=${profileDir}`,
    // Chromium refuses to run as root with its sandbox; a kiosk should run as its own user instead.
    ...(options.root ? ['--no-sandbox'] : []),
  ];
}

/** A word as a POSIX shell reads it back (for the printed command). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface KioskPlan {
  /** true: open the browser now; false: print `command` for the kiosk's screen. */
  launch: boolean;
  browser: string;
  args: string[];
  /** The whole command line, shell-quoted. */
  command: string;
  /** Why it is not launched (no display, no browser). */
  reason: string | null;
}

export function kioskPlan(
  serverUrl: string, profileDir: string, env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync,
  screenSize: (env: NodeJS.ProcessEnv) => ScreenSize | null = x11ScreenSize,
): KioskPlan {
  const browser = env.KIOSK_BROWSER || DEFAULT_KIOSK_BROWSER;
  const args = kioskBrowserArgs(kioskPageUrl(serverUrl), profileDir, { root: process.getuid?.() === 0, screen: screenSize(env) });
  const command = [browser, ...args].map(shellQuote).join(' ');
  let reason: string | null = null;
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) reason = 'no display here (DISPLAY and WAYLAND_DISPLAY are unset)';
  else if (!exists(browser)) reason = `${browser} is not installed (apt-get install chromium, or set KIOSK_BROWSER)`;
  return { launch: reason === null, browser, args, command, reason };
}

/** Opens the kiosk browser, or prints the command to run on the kiosk's screen. Returns the browser process, if any. */
export function openKioskBrowser(serverUrl: string, profileDir: string, out: Pick<Console, 'log'>, env: NodeJS.ProcessEnv = process.env): ChildProcess | null {
  const plan = kioskPlan(serverUrl, profileDir, env);
  if (!plan.launch) {
    out.log(`  kiosk mode: ${plan.reason}; on the kiosk's screen run:`);
    out.log(`    ${plan.command}`);
    return null;
  }
  const child = spawn(plan.browser, plan.args, { stdio: 'ignore', env });
  out.log(`  kiosk mode: ${plan.browser} full screen (pid ${child.pid ?? '?'}); the operator panel stays at ${serverUrl}#operator`);
  child.on('error', (e) => out.log(`  kiosk mode: could not start ${plan.browser}: ${e.message}; run:\n    ${plan.command}`));
  child.on('exit', (code, signal) => out.log(`  kiosk mode: the browser closed (${signal ?? `exit ${code}`}); the kiosk keeps serving`));
  return child;
}
