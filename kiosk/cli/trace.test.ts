// APDU traces as a vendor meets them: `--trace FILE` on a journey run, the probe and the kiosk writes one line per
// APDU (text or JSON lines) with every PIN masked, and `kiosk card replay` sends a recorded session to a fresh card of
// the same persona and finds it the same, or says which exchanges differ.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSampleData } from '../../samples/sample-data.ts';
import { maskedCommand, parseTrace, textLine, type TraceEntry } from '../../reader/trace.ts';
import { matchingNumberB } from '../../reader/card-info-ap.ts';
import { main } from './main.ts';

function capture() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = { log: (...a: unknown[]) => stdout.push(a.join(' ')), error: (...a: unknown[]) => stderr.push(a.join(' ')) } as unknown as Console;
  return { out, stdout, stderr };
}
const dir = mkdtempSync(join(tmpdir(), 'kiosk-trace-'));
const hex = (s: string) => Buffer.from(s, 'ascii').toString('hex').toUpperCase();
const data = loadSampleData();
/** Every PIN and password of every persona, as the hex a command would carry. */
const SECRETS = data.personas.flatMap((p) => [p.card.pin, p.card.signPin].filter((x): x is string => !!x)).map(hex);

describe('APDU traces', () => {
  it('mask the data of VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER, short or extended, and nothing else', () => {
    expect(maskedCommand(Buffer.from('0020008004' + hex('1234'), 'hex'))).toBe('0020008004********');
    expect(maskedCommand(Buffer.from('00200080', 'hex'))).toBe('00200080');
    expect(maskedCommand(Buffer.from('002C0081' + '08' + hex('NEWPW123'), 'hex'))).toBe('002C008108' + '**'.repeat(8));
    expect(maskedCommand(Buffer.from('0024000100000A' + hex('1234567890'), 'hex'))).toBe('0024000100000A' + '**'.repeat(10));
    // A length that lies about the data: everything after the header is masked.
    expect(maskedCommand(Buffer.from('0020008009' + hex('1234'), 'hex'))).toBe('00200080' + '**'.repeat(5));
    expect(maskedCommand(Buffer.from('00A4020C020018', 'hex'))).toBe('00A4020C020018');
  });

  it('read back in both forms what they wrote', () => {
    const e: TraceEntry = { at: '2026-12-07T01:00:00.000Z', reader: 'Virtual PCD 00 00', session: 'j.yaml', command: '0020008004********', response: '', sw: '9000', ms: 0.31 };
    const none: TraceEntry = { at: '2026-12-07T01:00:01.000Z', reader: 'Virtual PCD 00 00', command: '00B0000000', response: null, sw: null, ms: 1.5, error: 'CardRemovedError' };
    expect(textLine(e)).toBe('2026-12-07T01:00:00.000Z [Virtual PCD 00 00] {j.yaml} > 00 20 00 80 04 ** ** ** ** < 90 00 (0.31 ms)');
    expect(parseTrace(`# a trace\n${textLine(e)}\n${textLine(none)}\n`)).toEqual([e, none]);
    expect(parseTrace(`${JSON.stringify(e)}\n`)).toEqual([e]);
    expect(() => parseTrace('{"command":"00A4"}\nnot a line')).toThrow(/line 1 of the trace: an entry has command/);
    expect(() => parseTrace(`${textLine(e)}\nnot a line`)).toThrow(/line 2 of the trace: not a trace line/);
  });

  it('kiosk journey run --trace: one line per APDU of every journey, no PIN, and a replay on a fresh card of the persona is the same', async () => {
    const file = join(dir, 'journeys.jsonl');
    const run = capture();
    expect(await main(['journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', 'journeys/life/17-pin-reset-at-the-kiosk.yaml', '--trace', file], run.out), run.stderr.join('\n')).toBe(0);
    const entries = parseTrace(readFileSync(file, 'utf8'));
    expect(new Set(entries.map((e) => e.session))).toEqual(new Set(['journeys/01-juminhyo-happy-path.yaml', 'journeys/life/17-pin-reset-at-the-kiosk.yaml']));
    const verifies = entries.filter((e) => e.command.startsWith('0020') && e.command.length > 8);
    expect(verifies.length).toBeGreaterThan(2);
    for (const v of verifies) expect(v.command).toMatch(/^00200080[0-9A-F]{2}(\*\*)+$/);
    for (const e of entries) for (const secret of SECRETS) expect(e.command).not.toContain(secret);

    const first = entries.filter((e) => e.session === 'journeys/01-juminhyo-happy-path.yaml');
    const one = join(dir, 'one.txt');
    writeFileSync(one, first.map(textLine).join('\n'));
    const same = capture();
    expect(await main(['card', 'replay', one, '--persona', 'kawasaki-taro', '--clock', '2026-11-24T10:00+09:00'], same.out)).toBe(0);
    expect(same.stdout.at(-1)).toBe(`${first.length} exchanges: ${first.length} the same, 0 with another status word or data length, 0 with other bytes only, 0 skipped`);
    // Another person's card: their certificate and signature are other bytes of the same shapes; a locked card answers otherwise.
    const locked = capture();
    expect(await main(['card', 'replay', one, '--persona', 'pin-locked', '--clock', '2026-11-24T10:00+09:00'], locked.out)).toBe(1);
    expect(locked.stdout.join('\n')).toMatch(/00200080…: sw-differs: recorded 0 bytes 63C3, replayed 0 bytes 63C0/);
    // No persona: the masked PIN cannot be sent.
    const noPins = capture();
    await main(['card', 'replay', one, '--reader', 'nothing-here'], noPins.out);
    expect(noPins.stderr.join('\n')).toMatch(/pcscd|reader|PC\/SC/i);
  });

  it('a vendor\'s session over every AP (照合番号A and B, the 住基 PIN, the card\'s front) is masked and replays the same on a fresh card', async () => {
    const at = Date.parse('2026-11-24T10:00+09:00');
    const card = data.makeCard('kawasaki-taro', at);
    card.powerOn();
    const info = data.cardOptions('kawasaki-taro', data.mintCard('kawasaki-taro', at)).cardInfo!;
    const b = matchingNumberB(info.birthDate, info.surface!.expires, info.surface!.securityCode);
    const verify = (p2: string, value: string) => `0020${p2}${value.length.toString(16).padStart(2, '0')}${hex(value)}`;
    const session = [
      '00A4040C0AD3921000310001010402', '00A4020C020013', verify('0080', info.myNumber), '00A4020C020002', '00B0000007', '00B0000700',
      '00A4020C020005', '00B0000000', '00A4040C0AD3921000310001010402', verify('0092', b), '00A4020C020001', '00B0000000',
      '00A4040C0AD3921000310001010408', verify('0094', info.myNumber), '00A4020C020001', '00B0000011', '00A4020C020005', '00B0000000',
      '00A4040C0AD3921000310001010100', '00B2010C00', '00A4020C02001C', verify('0080', data.persona('kawasaki-taro').card.pin!),
    ];
    const entries: TraceEntry[] = session.map((c) => {
      const r = Buffer.from(card.transmit(Buffer.from(c, 'hex')));
      return { at: new Date(at).toISOString(), reader: 'vendor', command: maskedCommand(Buffer.from(c, 'hex')), response: r.subarray(0, -2).toString('hex').toUpperCase(), sw: r.subarray(-2).toString('hex').toUpperCase(), ms: 0.3 };
    });
    expect(entries.filter((e) => e.command.startsWith('0020')).map((e) => e.sw)).toEqual(['9000', '9000', '9000', '9000']);
    const text = entries.map(textLine).join('\n');
    for (const secret of [info.myNumber, b, data.persona('kawasaki-taro').card.pin!]) expect(text).not.toContain(hex(secret));
    const file = join(dir, 'vendor.txt');
    writeFileSync(file, text);
    const replayed = capture();
    expect(await main(['card', 'replay', file, '--persona', 'kawasaki-taro', '--clock', '2026-11-24T10:00+09:00'], replayed.out), replayed.stdout.join('\n')).toBe(0);
    expect(replayed.stdout.at(-1)).toBe(`${entries.length} exchanges: ${entries.length} the same, 0 with another status word or data length, 0 with other bytes only, 0 skipped`);
  });

  it('kiosk reader probe --trace writes text; a trace that cannot be written or read stops with exit 2 and what to do', async () => {
    const file = join(dir, 'probe.txt');
    expect(await main(['reader', 'probe', '--sim', 'kawasaki-taro', '--trace', file], capture().out)).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# APDU trace/);
    expect(parseTrace(text).every((e) => e.session === 'kiosk reader probe' && e.reader === 'Simulated reader 0')).toBe(true);
    const bad = capture();
    expect(await main(['reader', 'probe', '--sim', 'kawasaki-taro', '--trace', join(dir, 'no', 'such', 'folder.txt')], bad.out)).toBe(2);
    expect(bad.stderr.join('\n')).toMatch(/--trace .*: its folder does not exist; give a file in a writable folder/);
    const long = capture();
    expect(await main(['reader', 'probe', '--sim', 'kawasaki-taro', '--trace', join(dir, 'a'.repeat(60_000))], long.out)).toBe(2);
    expect(long.stderr.join('\n').split('\n\n')[0]).toMatch(/^kiosk: --trace .{120}…: the name is too long; give a file in a writable folder$/);
    const unreadable = capture();
    expect(await main(['card', 'replay', join(dir, 'missing.txt'), '--persona', 'kawasaki-taro'], unreadable.out)).toBe(2);
    expect(unreadable.stderr.join('\n')).toMatch(/missing\.txt: no such file/);
  });

  it('kiosk card serve --atr: a name of the card\'s real ATRs or a well-formed one; anything else stops with exit 2 before a card is taken', async () => {
    const { atrOf } = await import('./card.ts');
    expect(atrOf('contactless-2024')!.toString('hex').toUpperCase()).toBe('3B888001004B51FFB381D1000F');
    expect(atrOf('3B:E0:00:FF:81:31:FE:45:14')!.toString('hex')).toBe('3be000ff8131fe4514');
    const bad = capture();
    expect(await main(['card', 'serve', '--persona', 'kawasaki-taro', '--atr', '3B DA 13 FF', '--var', join(dir, 'var')], bad.out)).toBe(2);
    expect(bad.stderr.join('\n')).toMatch(/--atr 3B DA 13 FF: one of contact, contact-short, .* or a well-formed ATR in hex/);
  });

  it('kiosk start --trace: the kiosk\'s reader, a card read and a PIN checked over the control API, the PIN masked', async () => {
    const { daemon, freePort, stop } = await import('../../tests/processes.ts');
    const file = join(dir, 'kiosk.txt');
    const port = await freePort();
    const kiosk = await daemon(['start', '--port', String(port), '--var', join(dir, 'kiosk-var'), '--spool', join(dir, 'spool'), '--printer', 'null', '--clock', '2026-11-24T10:00+09:00', '--trace', file], 'Kiosk ready');
    try {
      const api = (method: string, path: string, body?: unknown) => fetch(`http://127.0.0.1:${port}/api/v1${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }).then((r) => r.json());
      for (const event of [{ type: 'ui.start' }, { type: 'ui.certificateService' }, { type: 'ui.chooseMedium', medium: 'card' }, { type: 'ui.acceptTerms' }]) await api('POST', '/screen/tap', { event });
      await api('POST', '/reader/card', { persona: 'kawasaki-taro' });
      await api('POST', '/screen/tap', { event: { type: 'ui.selectCity', scope: 'residence' } });
      await api('POST', '/screen/pin', { digits: data.persona('kawasaki-taro').card.pin });
    } finally {
      await stop(kiosk);
    }
    const entries = parseTrace(readFileSync(file, 'utf8'));
    expect(entries[0]).toMatchObject({ reader: 'Simulated reader 0', session: 'kiosk start K01', command: '00A4040C0AD392F000260100000001', sw: '9000' });
    expect(entries.find((e) => e.command.startsWith('0020008004'))?.command).toBe('0020008004********');
    for (const e of entries) for (const secret of SECRETS) expect(e.command).not.toContain(secret);
  }, 60_000);

  it('a trace whose disk fills stops; the journeys it traced still run and pass', async () => {
    const { Disks, fill } = await import('../../tests/ownership/disks.ts');
    const disks = new Disks();
    const small = join(dir, 'small');
    disks.small(small, 256);
    try {
      const file = join(small, 'trace.txt');
      // No room at all: refused at the start, before any journey runs.
      let free = fill(small, 0);
      const full = capture();
      expect(await main(['journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--trace', file], full.out)).toBe(2);
      expect(full.stderr.join('\n')).toMatch(/--trace .*ENOSPC: no space left on device/);
      free();
      // One page of room: the trace starts, then the disk fills under it.
      free = fill(small, 4096);
      const run = capture();
      expect(await main(['journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', 'journeys/02-wrong-pin-then-right.yaml', '--trace', file, '--workers', '1'], run.out), run.stderr.join('\n')).toBe(0);
      expect(run.stdout.at(-1)).toMatch(/journeys: 2 passed, 0 failed/);
      const written = readFileSync(file, 'utf8');
      expect(written.length).toBeLessThanOrEqual(4096);
      expect(written).toMatch(/^# APDU trace/);
      free();
    } finally {
      disks.unmountAll();
    }
  });
});
