// `kiosk reader …` in-process, on the simulated reader (no pcscd needed). The pcscd path is tests/pcsc/reader-cli-suite.ts.
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { formatReaderList, formatWatchEvent } from './reader.ts';
import type { ProbeReport } from '../../reader/diagnostics/probe.ts';

function capture(): { out: Console; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = { log: (...a: unknown[]) => stdout.push(a.join(' ')), error: (...a: unknown[]) => stderr.push(a.join(' ')) } as unknown as Console;
  return { out, stdout, stderr };
}
/** `kiosk reader …` in this process: its exit code. */
const readerCommand = (args: string[], out: Console) => main(['reader', ...args], out);
/** What `kiosk reader …` refused, with exit 2 (the message, without the help after it). */
async function refused(args: string[]): Promise<string> {
  const { out, stderr } = capture();
  expect(await readerCommand(args, out), args.join(' ')).toBe(2);
  return stderr.join('\n').split('\n\n')[0];
}

describe('kiosk reader probe --sim', () => {
  it('prints a pcsc_scan-like report: reader, ATR analysis, card type, applications, certificate, PINs, extended APDU, APDU table', async () => {
    const { out, stdout, stderr } = capture();
    expect(await readerCommand(['probe', '--sim', 'kawasaki-taro'], out)).toBe(0);
    expect(stderr).toEqual([]);
    const text = stdout.join('\n');
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Reader: Simulated reader 0',
      '  Card state: Card inserted',
      '  ATR: 3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B',
    ]);
    for (const expected of [
      '+ TS = 3B --> Direct Convention',
      '  TA(1) = 13 --> Fi=372, Di=4, 93 cycles/ETU (f max 5 MHz)',
      '      - extended Lc/Le',
      '+ TCK = 3B (correct checksum)',
      'Known as: My Number Card, contact T=1 (pcsc-tools list, 2017; OpenSC #3021)',
      'Card type: my-number-card (token EF 0006: "JPKIAPICCTOKEN2")',
      'Applications (SELECT by AID, P2=0C):',
      '  present  9000  D392F000260100000001  公的個人認証AP (JPKI)',
      '  present  9000  D3921000310001010402  券面事項確認AP',
      '  absent   6A82  D3921000310001010401  unknown AP …0401 (purpose unconfirmed)',
      'User-authentication certificate (EF 000A):',
      '  Public key: RSA 2048',
      'PIN counters (empty VERIFY: no try is spent):',
      'Extended APDU: supported',
      "  The ATR's card capabilities announce extended Lc/Le.",
      'APDUs:',
    ]) {
      expect(lines).toContain(expected);
    }
    expect(text).toMatch(/^ {2}EF 0018 {2}3 of 3 tries left +63C3 +JPKI user-authentication PIN/m);
    expect(text).toMatch(/^ {2}EF 0013 {2}10 of 10 tries left +63CA +券面事項確認AP 照合番号A/m);
    expect(text).toMatch(/^ {2}EF 001C {2}3 of 3 tries left +63C3 +住民基本台帳用暗証番号/m);
    expect(text).toMatch(/^ {2}Subject: {4}C=JP, CN=[0-9A-Z]{23}$/m);
    expect(text).toMatch(/^ {2}SHA-256: {4}([0-9A-F]{2}:){31}[0-9A-F]{2}$/m);
    expect(text).toMatch(/^ {4}1 {2}00A4040C {3}10 {6}- {2}9000 {6}0 +\d+\.\d\d {2}SELECT AP D392F000260100000001 \(jpki\)$/m);
    expect(text).toMatch(/^ {2}Total: \d+ APDUs in \d+\.\d\d ms, mean \d+\.\d\d ms per APDU$/m);
  });

  it('--json prints the ProbeReport', async () => {
    const { out, stdout } = capture();
    expect(await readerCommand(['probe', '--json', '--sim', 'one-try-left'], out)).toBe(0);
    const report = JSON.parse(stdout.join('\n')) as ProbeReport;
    expect(report.format).toBe('kiosk-reader-probe/1');
    expect(report.reader).toBe('Simulated reader 0');
    expect(report.cardType).toBe('my-number-card');
    expect(report.atr.hex).toBe('3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B');
    expect(report.pins[0]).toMatchObject({ id: 'jpki-auth', triesLeft: 1, state: 'available' });
    expect(report.totals.apdus).toBe(report.apdus.length);
    expect(typeof report.totals.meanMsPerApdu).toBe('number');
  });

  it('a locked PIN and a card without JPKI read plainly', async () => {
    const locked = capture();
    await readerCommand(['probe', '--sim', 'pin-locked'], locked.out);
    expect(locked.stdout.join('\n')).toMatch(/EF 0018 {2}0 of 3 tries left \(LOCKED\) +63C0/);
    const city = capture();
    await readerCommand(['probe', '--sim', 'city-card'], city.out);
    const text = city.stdout.join('\n');
    expect(text).toContain('Card type: no-jpki');
    expect(text).toContain('  none (no JPKI AP or no EF 000A)');
    expect(text).toContain('Extended APDU: not tested');
    expect(text).toContain('  Total: 5 APDUs in');
  });

  it('an unknown flag, an unknown persona, --reader with --sim, a value for --json, a stray argument: UsageError', async () => {
    expect(await refused(['probe', '--bogus', '1'])).toMatch(/unknown flag --bogus/);
    expect(await refused(['probe', '--sim', 'nobody'])).toMatch(/--sim nobody: No persona "nobody"\. Known personas: kawasaki-taro, .*city-card/);
    expect(await refused(['probe', '--sim', 'kawasaki-taro', '--reader', 'X'])).toMatch(/--reader and --sim exclude each other/);
    expect(await refused(['probe', '--json=out.json', '--sim', 'kawasaki-taro'])).toMatch(/--json takes no value/);
    expect(await refused(['probe', '--sim'])).toMatch(/--sim needs a value/);
    expect(await refused(['probe', '--wait', 'soon'])).toMatch(/--wait soon: expected milliseconds/);
    expect(await refused(['probe', 'extra', '--sim', 'kawasaki-taro'])).toMatch(/unexpected argument "extra"/);
    expect(await refused(['list', 'extra'])).toMatch(/unexpected argument "extra"/);
    expect(await refused(['watch', '--reader', 'x'])).toMatch(/unknown flag --reader/);
  });

  it('an unknown or missing sub-command is a UsageError; help prints the usage', async () => {
    const { out, stdout } = capture();
    expect(await refused(['scan'])).toMatch(/unknown reader command "scan" \(expected: kiosk reader list\|watch\|probe\)/);
    expect(await refused([])).toMatch(/unknown reader command ""/);
    expect(await readerCommand(['help', 'probe'], out)).toBe(0);
    expect(stdout.join('\n')).toMatch(/Usage: kiosk reader probe \[options\][\s\S]*--reader <NAME>[\s\S]*--sim <PERSONA>[\s\S]*--wait <MS>[\s\S]*--json/);
  });
});

describe('reader list and watch formatting', () => {
  it('formatReaderList reads like pcsc_scan', () => {
    expect(formatReaderList([
      { name: 'Virtual PCD 00 00', cardPresent: true, atr: '3B E0 00 FF 81 31 FE 45 14', state: ['present', 'in use'] },
      { name: 'Virtual PCD 00 01', cardPresent: false, atr: null, state: ['empty'] },
    ])).toEqual([
      '0: Virtual PCD 00 00',
      '   Card state: Card inserted (present, in use)',
      '   ATR: 3B E0 00 FF 81 31 FE 45 14',
      '1: Virtual PCD 00 01',
      '   Card state: No card (empty)',
    ]);
    expect(formatReaderList([])[0]).toMatch(/^No readers: pcscd sees none/);
  });

  it('formatWatchEvent: one line with the time, the reader, the event and the ATR', () => {
    expect(formatWatchEvent({ at: '2026-11-24T01:00:00.000Z', reader: 'Virtual PCD 00 01', event: 'card-inserted', atr: '3B E0 00 FF 81 31 FE 45 14' }))
      .toBe('2026-11-24T01:00:00.000Z  Virtual PCD 00 01  card-inserted  ATR 3B E0 00 FF 81 31 FE 45 14');
    expect(formatWatchEvent({ at: '2026-11-24T01:00:00.000Z', reader: 'R', event: 'card-inserted', mute: true }))
      .toBe('2026-11-24T01:00:00.000Z  R  card-inserted  (mute: pcscd cannot talk to this card)');
    expect(formatWatchEvent({ at: '2026-11-24T01:00:00.000Z', reader: 'R', event: 'reader-removed' })).toBe('2026-11-24T01:00:00.000Z  R  reader-removed');
  });
});
