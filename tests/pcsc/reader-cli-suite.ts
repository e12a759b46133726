// `kiosk reader …` against the real pcscd with vsmartcard's vpcd driver: a persona's virtual card goes into vpcd
// slot 1 ("Virtual PCD 00 01") through VpcdBridge. Run from pcsc.test.ts, whose harness starts pcscd.
import { describe, expect, it } from 'vitest';
import { VpcdBridge } from '../../reader/vpcd-bridge.ts';
import { PcscReader } from '../../reader/pcsc-reader.ts';
import type { ReaderInfo, ReaderWatchEvent } from '../../reader/diagnostics/pcsc-watch.ts';
import type { ProbeReport } from '../../reader/diagnostics/probe.ts';
import { main } from '../../kiosk/cli/main.ts';
import { loadSampleData } from '../../samples/sample-data.ts';

const READER = 'Virtual PCD 00 01';
/** `kiosk reader …` in this process: its exit code. */
const readerCommand = (args: string[], out: Console, o: { signal?: AbortSignal } = {}) => main(['reader', ...args], out, o);
const MY_NUMBER_CARD_ATR = '3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B';

function capture(): { out: Console; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = { log: (...a: unknown[]) => stdout.push(a.join(' ')), error: (...a: unknown[]) => stderr.push(a.join(' ')) } as unknown as Console;
  return { out, stdout, stderr };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function readerCliSuite(): void {
describe('kiosk reader … through pcscd and vpcd slot 1', () => {
  it(`probe --conformance --events --reader "${READER}": every check passes through pcscd and vpcd; the card taken out and put back when asked`, async () => {
    const bridge = new VpcdBridge({ slot: 1 });
    const card = loadSampleData().makeCard('kawasaki-taro', Date.now());
    await bridge.insert(card);
    try {
      const stdout: string[] = [];
      // The person's hands: the probe asks on stderr, the bridge takes the card out and puts it back.
      const out = {
        log: (...a: unknown[]) => stdout.push(a.join(' ')),
        error: (...a: unknown[]) => {
          const line = a.join(' ');
          if (line.startsWith('Take the card out')) bridge.remove();
          if (line.startsWith('Put it back')) void bridge.insert(card);
        },
      } as unknown as Console;
      const code = await readerCommand(['probe', '--reader', READER, '--conformance', '--events', '--json', '--wait', '5000'], out);
      const report = JSON.parse(stdout.join('\n')) as { checks: Array<{ id: string; result: string; detail: string }> };
      expect(report.checks.map((c) => `${c.id} ${c.result}`)).toEqual([
        'protocol passed', 'short-256 passed', 'extended-258 passed', 'extended-259 passed', 'extended-whole passed', 'two-programs passed', 'removal passed', 'insertion passed', 'new-session passed',
      ]);
      expect(report.checks[0]!.detail).toBe('T=1, which the ATR offers (T=1)');
      expect(code).toBe(0);
    } finally {
      // The next test puts its own card there: pcscd must have seen this one go first (it polls vpcd every 400 ms).
      const watcher = await new PcscReader({ name: READER }).open();
      bridge.remove();
      await until('pcscd to see the card go', () => !watcher.cardPresent, 8000).finally(() => watcher.close());
    }
  }, 60_000);

  it(`probe --reader "${READER}": card type, ATR, tries left and APDU times of a virtual card`, async () => {
    const bridge = new VpcdBridge({ slot: 1 });
    await bridge.insert(loadSampleData().makeCard('one-try-left', Date.now()));
    try {
      const { out, stdout, stderr } = capture();
      // --wait: pcscd notices a card vpcd accepted on its next 400 ms poll.
      const code = await readerCommand(['probe', '--reader', READER, '--json', '--wait', '5000'], out);
      expect(stderr).toEqual([]);
      expect(code).toBe(0);
      const report = JSON.parse(stdout.join('\n')) as ProbeReport;
      expect(report.format).toBe('kiosk-reader-probe/1');
      expect(report.reader).toBe(READER);
      expect(report.cardType).toBe('my-number-card');
      expect(report.token).toBe('JPKIAPICCTOKEN2');
      expect(report.atr.hex).toBe(MY_NUMBER_CARD_ATR);
      expect(report.atr).toMatchObject({ protocols: ['T=1'], tck: { present: true, ok: true } });
      expect(report.pins[0]).toMatchObject({ id: 'jpki-auth', triesLeft: 1, state: 'available', sw: '63C1' });
      expect(bridge.card?.triesLeft).toBe(1); // not spent
      expect(report.userCertificate?.error).toBeNull();
      expect(report.extendedApdu.readerNote).toMatch(/vpcd 3\.3 does not announce extended APDU support/);
      // Times are whatever this machine takes; only that they are reported.
      expect(report.totals.apdus).toBe(report.apdus.length);
      expect(report.totals.apdus).toBeGreaterThan(10);
      expect(typeof report.totals.meanMsPerApdu).toBe('number');
      expect(report.apdus.every((a) => typeof a.ms === 'number' && a.error === null)).toBe(true);
      expect(bridge.exchanges).toBeGreaterThanOrEqual(report.totals.apdus);
    } finally {
      bridge.remove();
    }
  }, 30_000);

  it(`probe on the empty "${READER}": exit 1 with a clear message`, async () => {
    await until(`"${READER}" to be empty`, async () => {
      const { out, stdout } = capture();
      await readerCommand(['list', '--json', '--wait', '3000'], out);
      return (JSON.parse(stdout.join('\n')) as ReaderInfo[]).some((r) => r.name === READER && !r.cardPresent);
    });
    const { out, stdout, stderr } = capture();
    expect(await readerCommand(['probe', '--reader', READER, '--wait', '300'], out)).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual([`kiosk reader: no card is in "${READER}" (waited 300 ms): place a card on the reader, or serve a virtual one with \`kiosk card serve --persona ID --slot 0|1\`, then run the probe again`]);
  }, 30_000);

  it(`list shows "${READER}" with the card and its ATR; watch reports it coming and going`, async () => {
    const events: ReaderWatchEvent[] = [];
    const { out: watchOut, stdout: watchLines } = capture();
    const controller = new AbortController();
    const watching = readerCommand(['watch', '--json'], watchOut, { signal: controller.signal });
    const parsed = () => watchLines.map((l) => JSON.parse(l) as ReaderWatchEvent).filter((e) => e.reader === READER);
    const bridge = new VpcdBridge({ slot: 1 });
    try {
      await until('the watch to report the reader', () => parsed().some((e) => e.event === 'reader-added'));
      await bridge.insert(loadSampleData().makeCard('juki-card', Date.now()));
      await until('card-inserted', () => parsed().some((e) => e.event === 'card-inserted'));

      const { out, stdout } = capture();
      expect(await readerCommand(['list'], out)).toBe(0);
      const text = stdout.join('\n');
      expect(text).toMatch(new RegExp(`^\\d: ${READER}\\n {3}Card state: Card inserted \\(present[^)]*\\)\\n {3}ATR: 3B E0 00 FF 81 31 FE 45 14$`, 'm'));

      bridge.remove();
      await until('card-removed', () => parsed().some((e) => e.event === 'card-removed'));
    } finally {
      bridge.remove();
      controller.abort();
    }
    expect(await watching).toBe(0);
    events.push(...parsed());
    expect(events.map((e) => e.event)).toEqual(['reader-added', 'card-inserted', 'card-removed']);
    expect(events[1]!.atr).toBe('3B E0 00 FF 81 31 FE 45 14');
    expect(events.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
  }, 40_000);
});
}
