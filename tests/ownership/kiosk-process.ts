// A real `kiosk start` as a user meets it: a child process on a free port with its own folders, and a screen that
// speaks the WebSocket protocol as the touch UI and the operator panel do. For the ownership suites (tests/ownership).
import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';

export { KIOSK, ROOT, freePort, kiosk } from '../processes.ts';
import { KIOSK, ROOT, freePort } from '../processes.ts';
/** A Tuesday inside every service window. */
export const T = '2026-11-24T10:00:00+09:00';
export const PIN = '8642'; // kawasaki-taro's, from assets/personas.json

export interface KioskProcess {
  child: ChildProcess;
  port: number;
  url: string;
  out: () => string;
  err: () => string;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
  /** Resolves once the kiosk has printed `text` on stdout or stderr (throws after `ms`). */
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Starts `kiosk start` with the given flags (a free --port unless given); resolves once it says it is ready. Its
 * printer prints at once unless a --print-speed is given (`kiosk start` alone takes a real machine's minute a copy).
 */
export async function startKiosk(flags: string[], port?: number): Promise<KioskProcess> {
  const p = port ?? (await freePort());
  const speed = flags.includes('--print-speed') ? [] : ['--print-speed', 'fast'];
  const child = spawn(process.execPath, [KIOSK, 'start', '--port', String(p), ...speed, ...flags], { cwd: ROOT });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`kiosk start did not get ready in 20 s:\n${out}\n${err}`)), 20_000);
    const poll = setInterval(() => {
      // The whole greeting: the staff's lines (recovered sessions) come after it.
      if (out.includes('(Ctrl+C to stop)')) {
        clearInterval(poll);
        clearTimeout(timer);
        ok();
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      fail(new Error(`kiosk start exited with ${code} before it was ready:\n${out}\n${err}`));
    });
  });
  return {
    child, port: p, url: `http://127.0.0.1:${p}/`, out: () => out, err: () => err, exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async waitFor(text, ms = 10_000) {
      const deadline = Date.now() + ms;
      const seen = () => (typeof text === 'string' ? (out + err).includes(text) : text.test(out + err));
      while (!seen()) {
        if (Date.now() > deadline) throw new Error(`kiosk start never said ${String(text)}:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

interface View {
  screen: string;
  step: string | null;
  reason: string | null;
  triesLeft: number | null;
  inserted: number;
  printed: number;
  payout: { change: number; refunded: number; failed: boolean } | null;
}
interface Devices {
  outOfOrder?: string | null;
  reader: { cardPresent: boolean; cardId?: string | null; pins?: Record<string, number> | null };
  cash: { escrow: number };
}

/** One screen on the kiosk's WebSocket: sends what a person or an operator does, waits for what the kiosk shows. */
export class Screen {
  view: View | null = null;
  devices: Devices | null = null;
  readonly errors: string[] = [];
  readonly frames: string[] = [];
  #waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const text = String(d);
      this.frames.push(text);
      const m = JSON.parse(text);
      if (m.type === 'view') {
        this.view = m.view;
        this.devices = m.devices;
      }
      if (m.type === 'error') this.errors.push(m.message);
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  static open(url: string): Promise<Screen> {
    return new Promise((ok, fail) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}ws`);
      const screen = new Screen(ws);
      ws.once('open', () => ok(screen));
      ws.once('error', fail);
    });
  }

  send(m: unknown): void {
    this.ws.send(JSON.stringify(m));
  }

  tap(event: Record<string, unknown>): void {
    this.send({ type: 'event', event });
  }

  operator(action: string, more: Record<string, unknown> = {}): void {
    this.send({ type: 'operator', action, ...more });
  }

  /** Waits until `ok(view, devices)` holds (or `ms` pass: then throws with what the screen showed). */
  async until(ok: (v: View, d: Devices) => boolean, ms = 10_000): Promise<View> {
    const deadline = Date.now() + ms;
    while (!(this.view && this.devices && ok(this.view, this.devices))) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the screen did not get there in ${ms} ms; it shows ${JSON.stringify(this.view)} ${JSON.stringify(this.devices?.reader)} errors ${JSON.stringify(this.errors)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.view;
  }

  screen(name: string, ms?: number): Promise<View> {
    return this.until((v) => v.screen === name, ms);
  }

  /** The next error the kiosk answers with. */
  async error(ms = 5000): Promise<string> {
    const before = this.errors.length;
    const deadline = Date.now() + ms;
    while (this.errors.length === before) {
      if (Date.now() > deadline) throw new Error('no error came');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.errors[before];
  }

  close(): void {
    this.ws.close();
  }
}

/** From the main menu to the PIN pad with a persona's card on the reader. */
export async function toPin(s: Screen, persona = 'kawasaki-taro'): Promise<View> {
  await s.screen('top');
  s.tap({ type: 'ui.start' });
  await s.screen('government-menu');
  s.tap({ type: 'ui.certificateService' });
  await s.screen('advanced-menu');
  s.tap({ type: 'ui.chooseMedium', medium: 'card' });
  s.tap({ type: 'ui.acceptTerms' });
  await s.screen('card-reading');
  s.operator('insert-card', { persona });
  const v = await s.until((x) => x.screen !== 'card-reading');
  if (v.screen !== 'city-select') return v;
  s.tap({ type: 'ui.selectCity', scope: 'residence' });
  return s.screen('pin-entry');
}

/** A whole purchase of one 住民票 (200 yen) paid with a 1000-yen bill; resolves on the screen printing ends on. */
export async function buyJuminhyo(s: Screen, pin = PIN, beforePay?: () => void): Promise<View> {
  await toPin(s);
  s.send({ type: 'pin', digits: pin });
  await s.screen('card-removal');
  s.operator('remove-card');
  await s.screen('certificate-select');
  s.tap({ type: 'ui.selectCertificate', certificate: 'juminhyo' });
  await s.screen('type-select');
  s.tap({ type: 'ui.selectType', subtype: { kind: 'juminhyo', scope: 'self', members: [] } });
  await s.screen('info-select');
  s.tap({ type: 'ui.selectInfo', options: { householdHead: false, domicile: false, myNumber: false, nationality: false, residenceStatus: false, residenceCardNumber: false } });
  await s.screen('copies');
  s.tap({ type: 'ui.selectCopies', copies: 1 });
  await s.screen('confirm');
  s.tap({ type: 'ui.confirm' });
  await s.screen('payment');
  beforePay?.();
  s.operator('insert-cash', { yen: 1000 });
  return s.until((v) => v.screen === 'print-failed' || (v.screen === 'printing' && v.step === 'collect'), 15_000);
}
