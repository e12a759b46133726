// Runs journeys through the real touch UI: each journey gets a kiosk server of its own (kiosk/server.ts, serving the
// built UI from dist/ui) on a journey clock, and a page in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core; nothing is downloaded). A person's steps are taps on the UI's data-testids; device steps (cards,
// faults, paper, time) act on the server's terminal in this process, as the operator panel would. After every step
// the page must show the screen the kiosk is on; expectations are checked on the terminal as headless, and the
// screen's data-screen / data-reason as the page shows them.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { KioskCommand } from '../../machine/events.ts';
import { SimClock } from '../clock.ts';
import { showsTimeoutWarning } from '../ui/flow.ts';
import { taxKindsOffered } from '../../machine/rules/catalog.ts';
import type { UiInput } from '../../machine/ui-input.ts';
import { TraceWriter } from '../../reader/trace.ts';
import { TAPS, type Expectation, type Journey, type Step, type Tap } from './format.ts';
import {
  StepFailure, cityCode, instrument, performDeviceStep, round, runSteps, type Driver, type JourneyResult,
} from './run.ts';

export const CHROMIUM = process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium';

export class BrowserUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserUnavailableError';
  }
}

export interface BrowserOptions {
  printer?: 'null' | 'spool';
  /** `--trace FILE`: each journey adds its APDUs to it, under the journey's file name. */
  tracePath?: string;
  spoolDir?: string;
  /** Journeys run at the same time, each with its own server and page (default 2). */
  workers?: number;
  /** Keep a small JPEG of the screen after every step (for the HTML report). Default true. */
  screenshots?: boolean;
  /** Milliseconds the page may take to show a screen. */
  timeoutMs?: number;
  /** A center started with `kiosk center serve`: each journey's server gets a client of its own. */
  centerUrl?: string;
  /** The registered terminal's token for that center, and its id (kiosk center terminal add). */
  centerToken?: string;
  terminalId?: string;
}

type Probe = { state: 'absent' } | { state: 'hidden' } | { state: 'disabled' } | { state: 'covered'; by: string } | { state: 'ready'; x: number; y: number };

/** The button each tap presses. */
const TAP_IDS: Record<Tap, string> = {
  'government-service': 'tap-government-service', copy: 'tap-copy', print: 'tap-print', photo: 'tap-photo',
  'certificate-service': 'tap-certificate-service', 'domicile-registration': 'tap-domicile-registration', 'my-number-card': 'medium-card', smartphone: 'medium-phone',
  'pin-reset': 'tap-pin-reset', 'reset-auth': 'reset-auth', 'reset-sign': 'reset-sign',
  'accept-terms': 'accept-terms', residence: 'city-residence', confirm: 'confirm-pay', back: 'back', cancel: 'cancel', done: 'done',
  continue: 'continue',
};
const CORRECT_IDS = { 'certificate-select': 'correct-certificate', 'type-select': 'correct-type', 'info-select': 'correct-info', copies: 'correct-copies' } as const;

/** `extraArgs`: more of Chromium's switches (a test's fake camera, say). */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new BrowserUnavailableError(`Chromium is not at ${CHROMIUM}: install Debian's chromium (node bin/system-packages.mjs test) or set KIOSK_CHROMIUM`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    // Autoplay as `kiosk start --kiosk` allows it: the voice guide speaks without a tap first.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required', ...extraArgs],
  });
}

/** Runs one journey in a page of `browser`. */
export async function runJourneyInBrowser(journey: Journey, browser: Browser, options: BrowserOptions = {}): Promise<JourneyResult> {
  const started = performance.now();
  const { serveKiosk } = await import('../server.ts');
  const clock = new SimClock(journey.clock);
  const ownSpool = !options.spoolDir;
  const spoolDir = options.spoolDir ? join(options.spoolDir, basename(journey.file).replace(/\.ya?ml$/, '')) : mkdtempSync(join(tmpdir(), 'kiosk-journey-'));
  const center = options.centerUrl ? new (await import('../../center/center-client.ts')).CenterClient({ url: options.centerUrl, token: options.centerToken, terminal: options.terminalId }) : undefined;
  const server = await serveKiosk({ port: 0, clock, printer: options.printer ?? 'null', spoolDir, center, terminalId: options.terminalId });
  const terminal = server.terminal;
  const { runtime } = terminal;
  const instruments = instrument(terminal);
  const trace = options.tracePath ? new TraceWriter(options.tracePath, { append: true }) : null;
  const stopTracing = trace?.follow(terminal.reader, journey.file);
  const timeout = options.timeoutMs ?? 10_000;


  let context: BrowserContext | null = null;
  let page: Page;
  const testid = (id: string) => page.locator(`[data-testid="${id}"]`).first();
  /**
   * A control's state in one call to the page: absent, hidden (no box, or visibility: hidden), disabled, covered
   * by something else at its centre, or ready with the centre to press (scrolled into view first). Playwright's
   * click checks the same things but over several calls and two animation frames of waiting for the control to
   * stand still, which made a tap cost 60–120 ms.
   */
  const probe = (id: string): Promise<Probe> => page.evaluate((id) => {
    const el = document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(id)}"]`);
    if (!el) return { state: 'absent' } as const;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') return { state: 'hidden' } as const;
    if ((el as HTMLButtonElement).disabled || el.getAttribute('aria-disabled') === 'true') return { state: 'disabled' } as const;
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(hit === el || el.contains(hit))) return { state: 'covered', by: hit?.closest('[data-testid]')?.getAttribute('data-testid') ?? hit?.tagName.toLowerCase() ?? 'nothing' } as const;
    return { state: 'ready', x, y } as const;
  }, id);
  const visible = async (id: string) => !['absent', 'hidden'].includes((await probe(id)).state);
  /** Presses the control with the mouse at its centre, as a finger would; a control covered for now is waited for. */
  const click = async (id: string, what: string) => {
    const until = Date.now() + timeout;
    for (;;) {
      const p = await probe(id);
      if (p.state === 'ready') return page.mouse.click(p.x, p.y);
      if (p.state === 'absent' || p.state === 'hidden') throw new StepFailure(`${what}: the ${runtime.screen} screen shows no button ${id}`);
      if (p.state === 'disabled') throw new StepFailure(`${what}: the button ${id} is disabled on the ${runtime.screen} screen`);
      if (Date.now() > until) throw new StepFailure(`${what}: the button ${id} is covered by ${p.by} on the ${runtime.screen} screen`);
      await new Promise((r) => setTimeout(r, 16));
    }
  };

  /** Waits until the page shows the screen, step and warning the kiosk is on. */
  const inSync = async () => {
    const v = runtime.view();
    // rev: a change that stays on the same screen (a medium chosen, an amount inserted) is rendered too.
    const want = { screen: v.screen, step: v.step ?? '', warning: showsTimeoutWarning(v), rev: server.viewRevision() };
    try {
      await page.waitForFunction((w) => {
        const el = document.querySelector('[data-screen]');
        if (!el) return false;
        return el.getAttribute('data-screen') === w.screen && (el.getAttribute('data-step') ?? '') === w.step
          && Number(document.querySelector('[data-rev]')?.getAttribute('data-rev') ?? 0) >= w.rev
          && !!document.querySelector('[data-testid="timeout-warning"]') === w.warning;
      }, want, { timeout, polling: 'raf' });
    } catch {
      const shown = await page.evaluate(() => document.querySelector('[data-screen]')?.getAttribute('data-screen') ?? 'nothing').catch(() => 'nothing');
      throw new StepFailure(`the browser shows ${shown}, while the kiosk is on ${v.screen}${v.step ? ` / ${v.step}` : ''}${want.warning ? ' with the timeout warning' : ''}`);
    }
  };
  const settle = async () => {
    await runtime.settled();
    await inSync();
  };
  /** Presses a button that sends a message, and waits until the kiosk has it. */
  const press = async (id: string, what: string) => {
    // Every message the page sends is counted by the server: a tap has arrived when the count grows.
    const before = server.messagesHandled();
    await click(id, what);
    const until = Date.now() + timeout;
    while (server.messagesHandled() === before) {
      if (Date.now() > until) throw new StepFailure(`${what}: the kiosk never heard the tap on ${id}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    await settle();
  };
  /** Presses a button that only changes the screen's own state (a prefecture, a member, +/-). */
  const choose = (id: string, what: string) => click(id, what);
  const ensure = (input: UiInput, what: string) => {
    if (!runtime.can(input)) throw new StepFailure(`${what} is not possible on the ${runtime.screen} screen`);
  };

  const perform = async (step: Step): Promise<void> => {
    if (await performDeviceStep(driver, journey, step, new Set<KioskCommand['type']>())) {
      if (step.kind === 'expect') await checkPage(step.expect);
      return;
    }
    switch (step.kind) {
      case 'tap': {
        const input = TAPS[step.tap] as UiInput;
        if (step.ignored) {
          if (runtime.can(input)) throw new StepFailure(`tap ${step.tap} was expected to be ignored on the ${runtime.screen} screen, but it acts there`);
          // A button the screen does not offer cannot be pressed; one it shows is pressed and must change nothing.
          const id = step.tap === 'cancel' && showsTimeoutWarning(runtime.view()) ? 'warning-cancel' : TAP_IDS[step.tap];
          if (await visible(id)) await choose(id, `tap ${step.tap}`);
          return;
        }
        ensure(input, `tap ${step.tap}`);
        const id = step.tap === 'cancel' && showsTimeoutWarning(runtime.view()) ? 'warning-cancel' : TAP_IDS[step.tap];
        return press(id, `tap ${step.tap}`);
      }
      case 'language':
        ensure({ type: 'ui.setLanguage', language: step.language }, 'switching language');
        return press(`lang-${step.language}`, `switching to ${step.language}`);
      case 'domicile': {
        const code = cityCode(terminal, step.city);
        ensure({ type: 'ui.selectCity', scope: 'domicile', city: code }, `choosing the 本籍地 ${step.city}`);
        const m = terminal.data.municipalities.find((x) => x.code === code)!;
        await choose('city-domicile', 'choosing 本籍地');
        await choose(`prefecture-${m.prefecture}`, `choosing ${m.prefecture}`);
        return press(`municipality-${code}`, `choosing ${m.name}`);
      }
      case 'pin': {
        if (!runtime.snapshot.can({ type: 'pin.submitted' })) throw new StepFailure(`Entering a PIN is not possible on the ${runtime.screen} screen.`);
        for (const d of step.digits) await choose(`pin-key-${d}`, 'a PIN key');
        return press('pin-enter', 'entering the PIN (the pad takes 4 digits)');
      }
      case 'certificate':
        ensure({ type: 'ui.selectCertificate', certificate: step.certificate }, `choosing ${step.certificate}`);
        return press(`certificate-${step.certificate}`, `choosing ${step.certificate}`);
      case 'type': {
        const c = runtime.context.certificate;
        const v = step.value;
        const holder = runtime.context.holder?.id ?? '';
        if (c === 'juminhyo' || c === 'kisai') {
          if (v.scope === 'members') {
            await choose('type-members', 'choosing members');
            for (const m of (v.members as string[]) ?? []) await choose(`member-${m}`, `choosing ${m}`);
            return press('next', 'choosing the members');
          }
          return press(v.scope === 'self' ? 'type-self' : 'type-household', 'choosing the sub-type');
        }
        if (c === 'koseki') {
          if (v.form !== 'kojin') return press('type-zenbu', 'choosing 全部事項');
          await choose('type-kojin', 'choosing 個人事項');
          return press(`person-${(v.person as string) ?? holder}`, 'choosing the person');
        }
        if (c === 'kazei') {
          // Where the city issues more than one tax certificate the screen asks which first (the journey's, or the
          // city's first, which is what a journey that names none gets headless).
          const kinds = runtime.context.city ? taxKindsOffered(runtime.context.city) : [];
          if (kinds.length > 1) await choose(`tax-${(v.tax as string | undefined) ?? kinds[0]}`, 'choosing the tax certificate');
          return press(`year-${v.year}`, `choosing the year ${v.year}`);
        }
        if (c === 'fuhyo') return press(`person-${(v.person as string) ?? holder}`, 'choosing the person');
        throw new StepFailure(`no certificate with a sub-type is chosen (${c ?? 'none'})`);
      }
      case 'info': {
        if (runtime.screen !== 'info-select') throw new StepFailure(`choosing what to print is not possible on the ${runtime.screen} screen`);
        for (const [k, on] of Object.entries(step.options)) {
          const id = `info-${k}-${on ? 'yes' : 'no'}`;
          if (await visible(id)) await choose(id, `info ${k}`);
          else if (on) throw new StepFailure(`choosing what to print: the info-select screen does not offer ${k}`);
        }
        return press('next', 'choosing what to print');
      }
      case 'copies': {
        if (runtime.screen !== 'copies') throw new StepFailure(`choosing ${step.copies} copies is not possible on the ${runtime.screen} screen`);
        for (let guard = 0; guard < 200; guard++) {
          const now = Number(await testid('copies-count').getAttribute('data-copies'));
          if (now === step.copies) break;
          await choose(now < step.copies ? 'copies-plus' : 'copies-minus', `choosing ${step.copies} copies`);
        }
        return press('next', `choosing ${step.copies} copies`);
      }
      case 'correct':
        ensure({ type: 'ui.correct', step: step.step }, `correcting ${step.step}`);
        return press(CORRECT_IDS[step.step], `correcting ${step.step}`);
      case 'insert-cash':
        for (const yen of step.yen) {
          // The payment screen's coin and bill buttons are the cash slot; anything else goes in as the operator's.
          if (runtime.screen === 'payment' && (await probe(`cash-${yen}`)).state === 'ready') {
            await press(`cash-${yen}`, `inserting ${yen} yen`);
          } else {
            const r = server.control.insertCash(yen);
            if (!r.accepted && r.reason === 'not-accepting') throw new StepFailure(`the cash box is not taking money on the ${runtime.screen} screen`);
            await settle();
          }
        }
        return;
    }
  };

  /** What the page shows must agree with the expectation too. */
  const checkPage = async (e: Expectation) => {
    await inSync();
    if (e.reason !== undefined && e.reason !== null && (await testid('reason-title').count())) {
      const shown = await testid('reason-title').getAttribute('data-reason');
      if (shown !== e.reason) throw new StepFailure(`the page shows the reason ${JSON.stringify(shown)}, expected ${JSON.stringify(e.reason)}`);
    }
  };

  const driver: Driver = {
    terminal, control: server.control, clock, instruments, settle, perform, stepTimeoutMs: Math.max(60_000, 4 * timeout),
    screenshot: options.screenshots === false ? undefined : async () => {
      const jpeg = await page.screenshot({ type: 'jpeg', quality: 50, scale: 'device', animations: 'disabled' });
      return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
    },
  };

  let result: Omit<JourneyResult, 'ms' | 'documents'>;
  try {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 0.4 });
    page = await context.newPage();
    await page.goto(`${server.url}?attract=0`);
    if (journey.language !== 'ja') server.control.tap({ type: 'ui.setLanguage', language: journey.language });
    await settle();
    result = await runSteps(journey, driver, 'browser');
  } finally {
    await context?.close().catch(() => undefined);
    instruments.dispose();
    stopTracing?.();
    trace?.close();
    // A server whose page did not let go of a connection must not hold the run up.
    await Promise.race([server.close(), new Promise((r) => setTimeout(r, 5000).unref())]);
    if (ownSpool) rmSync(spoolDir, { recursive: true, force: true });
  }
  const documents = ownSpool ? [] : runtime.journal.records.flatMap((r) => (r.type === 'print.copy' || r.type === 'print.receipt') && r.file ? [r.file] : []);
  return { ...result, ms: round(performance.now() - started), documents };
}

/** Runs journeys in the browser, `workers` at a time; results in the order given (and `onResult` in that order). */
export async function runJourneysInBrowser(journeys: Journey[], options: BrowserOptions = {}, onResult?: (r: JourneyResult, index: number) => void): Promise<JourneyResult[]> {
  const browser = await launchBrowser();
  const results: Array<JourneyResult | undefined> = new Array(journeys.length);
  let reported = 0;
  let next = 0;
  try {
    const lane = async () => {
      while (next < journeys.length) {
        const i = next++;
        results[i] = await runJourneyInBrowser(journeys[i], browser, options);
        while (reported < journeys.length && results[reported]) onResult?.(results[reported]!, reported++);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.workers ?? 2, journeys.length)) }, lane));
  } finally {
    await browser.close();
  }
  return results as JourneyResult[];
}
