// Everything that goes through real pcscd + vsmartcard's vpcd driver, in one file so that nothing else uses the
// virtual readers meanwhile: the pcsc reader's contract, whole kiosk journeys with --reader pcsc, recovery after a
// pcscd restart, and OpenSC as an independent client of the virtual card.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { X509Certificate, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardTerminal } from '../../kiosk/card-terminal.ts';
import { JpkiClient } from '../../reader/jpki-client.ts';
import { loadSampleData } from '../../samples/sample-data.ts';
import { PcscReader } from '../../reader/pcsc-reader.ts';
import { readerContract } from '../../reader/testing/reader-contract.ts';
import type { VirtualMyNumberCard } from '../../reader/virtual-card.ts';
import { VpcdBridge } from '../../reader/vpcd-bridge.ts';
import { ensurePcscd, type Pcscd } from './pcscd.ts';
import { readerCliSuite } from './reader-cli-suite.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const execFileAsync = promisify(execFile);
const SLOT0 = 'Virtual PCD 00 00';
const data = loadSampleData();
const persona = data.persona('kawasaki-taro');
const T = Date.parse('2026-11-24T10:00:00+09:00');

let pcscd: Pcscd;
let reader: PcscReader;
const bridge = new VpcdBridge({ slot: 0 });

/** Runs `act`, then waits for the reader to report `event`. */
function until(event: 'inserted' | 'removed', act: () => unknown, r: PcscReader = reader, ms = 5000): Promise<void> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${r.name} did not report ${event} within ${ms} ms`)), ms);
    const off = r.on(event, () => {
      clearTimeout(timer);
      off();
      ok();
    });
    Promise.resolve(act()).catch(fail);
  });
}

/**
 * Waits until the reader has been empty for longer than one pcscd poll: cards that other processes (the kiosk
 * command in the journeys test) left behind are reported gone only on pcscd's next 400 ms poll.
 */
async function settledEmpty(r: PcscReader = reader): Promise<void> {
  const end = Date.now() + 10_000;
  let emptySince = r.cardPresent ? Infinity : Date.now();
  while (Date.now() - emptySince < 1000) {
    if (Date.now() > end) throw new Error(`${r.name} did not stay empty`);
    await new Promise((ok) => setTimeout(ok, 100));
    if (r.cardPresent) emptySince = Infinity;
    else if (emptySince === Infinity) emptySince = Date.now();
  }
}

beforeAll(async () => {
  pcscd = await ensurePcscd();
  reader = await new PcscReader({ name: SLOT0 }).open();
}, 30_000);

afterAll(async () => {
  bridge.remove();
  reader?.close();
  await pcscd?.stop();
});

describe.sequential('through pcscd and vpcd', () => {
  readerContract(`pcsc reader (${SLOT0})`, () => ({
    reader,
    insert: (card: VirtualMyNumberCard) => until('inserted', () => bridge.insert(card)),
    remove: () => (bridge.inserted ? until('removed', () => bridge.remove()) : Promise.resolve()),
    pull: () => bridge.remove(),
    card: () => ({ card: data.makeCard('kawasaki-taro', T), pin: persona.card.pin! }),
  }));

  readerCliSuite();

  it('kiosk card serve: a persona\'s card in "Virtual PCD 00 01", taken out and put back by keys, stopped cleanly; its PIN counter outlives the process', async () => {
    const slot1 = await new PcscReader({ name: 'Virtual PCD 00 01' }).open();
    const cards = mkdtempSync(join(tmpdir(), 'kiosk-card-serve-'));
    const traceFile = join(cards, 'serve-trace.txt');
    const serve = (...more: string[]) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'card', 'serve', '--persona', 'kawasaki-taro', '--slot', '1', '--var', cards, ...more], { cwd: ROOT });
      const io = { child, stdout: '', exited: new Promise<number | null>((ok) => child.on('exit', ok)) };
      child.stdout.on('data', (d) => (io.stdout += String(d)));
      return io;
    };
    const first = serve('--trace', traceFile);
    try {
      await until('inserted', () => undefined, slot1, 15_000);
      expect(first.stdout).toContain('Serving kawasaki-taro-1 (kawasaki-taro\'s my-number-card) in "Virtual PCD 00 01"');
      expect(first.stdout).toContain('vpcd\'s segments are acknowledged at once (TCP_QUICKACK)');
      const client = new JpkiClient(slot1.connect());
      expect(await client.readToken()).toBe('JPKIAPICCTOKEN2');
      // A wrong PIN through PC/SC: the card counts it, and writes the count to its card store before it answers.
      expect(await client.verifyAuthPin(persona.card.pin === '0000' ? '1111' : '0000')).toMatchObject({ result: 'wrong', triesLeft: 2 });
      await until('removed', () => first.child.stdin.write('r\n'), slot1);
      await until('inserted', () => first.child.stdin.write('r\n'), slot1);
      expect(await new JpkiClient(slot1.connect()).authPinTriesLeft()).toBe(2);
      first.child.stdin.write('q\n');
      expect(await first.exited).toBe(0);
      expect(first.stdout).toMatch(/Card removed; served \d+ APDUs/);
      // The card's side of every exchange, the wrong PIN masked.
      const trace = readFileSync(traceFile, 'utf8');
      expect(trace).toMatch(/\[Virtual PCD 00 01\] \{kiosk card serve kawasaki-taro\} > 00 20 00 80 04 \*\* \*\* \*\* \*\* < 63 C2 \(/);
      expect(trace).not.toContain(Buffer.from(persona.card.pin === '0000' ? '1111' : '0000').toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 '));
    } finally {
      first.child.kill();
    }
    // The same card served again by a new process: still 2 tries, as a real card would be.
    const second = serve();
    try {
      await until('inserted', () => undefined, slot1, 15_000);
      expect(await new JpkiClient(slot1.connect()).authPinTriesLeft()).toBe(2);
      // While it is in that reader, no other process can put it anywhere else.
      const again = spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'card', 'serve', '--persona', 'kawasaki-taro', '--slot', '0', '--var', cards], { cwd: ROOT, encoding: 'utf8' });
      expect(again.status).toBe(2);
      expect(again.stderr).toMatch(/kawasaki-taro's card \(kawasaki-taro-1\) is on another reader \(kiosk card serve \(Virtual PCD 00 01\), pid \d+\): take it off there first/);
      second.child.stdin.write('q\n');
      expect(await second.exited).toBe(0);
    } finally {
      second.child.kill();
    }
    // The first run's trace served as a card: a PC/SC client reads from it what the card answered then.
    if (slot1.cardPresent) await until('removed', () => undefined, slot1, 15_000);
    // …behind the 2024 chip's contactless ATR, one of the card's real faces.
    const recorded = spawn(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'card', 'serve', '--from-trace', traceFile, '--slot', '1', '--atr', 'contactless-2024'], { cwd: ROOT });
    let said = '';
    recorded.stdout.on('data', (d) => (said += String(d)));
    const gone = new Promise<number | null>((ok) => recorded.on('exit', ok));
    try {
      await until('inserted', () => undefined, slot1, 15_000);
      expect(said).toMatch(/Serving the card recorded in .*serve-trace\.txt \(\d+ exchanges\) in "Virtual PCD 00 01"/);
      const recordedSession = slot1.connect();
      expect(recordedSession.atr.toString('hex').toUpperCase()).toBe('3B888001004B51FFB381D1000F');
      expect(await new JpkiClient(recordedSession).readToken()).toBe('JPKIAPICCTOKEN2');
      recorded.stdin.write('q\n');
      expect(await gone).toBe(0);
    } finally {
      recorded.kill();
      slot1.close();
    }
  }, 90_000);

  it('kiosk card profile writes a persona\'s card as data; kiosk card serve --profile serves it, and a client reads the same certificate', async () => {
    const slot1 = await new PcscReader({ name: 'Virtual PCD 00 01' }).open();
    const out = mkdtempSync(join(tmpdir(), 'kiosk-profile-'));
    const wrote = spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'card', 'profile', '--persona', 'kawasaki-taro', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(wrote.status, wrote.stderr).toBe(0);
    const served = spawn(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'card', 'serve', '--profile', join(out, 'profile.json'), '--slot', '1', '--atr', 'contactless-2020'], { cwd: ROOT });
    const gone = new Promise<number | null>((ok) => served.on('exit', ok));
    try {
      await until('inserted', () => undefined, slot1, 15_000);
      const session = slot1.connect();
      expect(session.atr.toString('hex').toUpperCase()).toBe('3B888001000005E0B381A1007F');
      expect(Buffer.compare(await new JpkiClient(session).readAuthCertificate(), readFileSync(join(out, 'certificates', 'auth.der')))).toBe(0);
      // A journey's recorded session replayed against it through pcscd: every status word and length the same (the
      // certificates are of another day: other bytes only).
      const trace = join(out, 'journey.jsonl');
      expect(spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'journey', 'run', 'journeys/01-juminhyo-happy-path.yaml', '--trace', trace], { cwd: ROOT }).status).toBe(0);
      const replayed = spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'card', 'replay', trace, '--reader', 'Virtual PCD 00 01', '--persona', 'kawasaki-taro'], { cwd: ROOT, encoding: 'utf8' });
      expect(replayed.stdout).toMatch(/^\d+ exchanges: \d+ the same, 0 with another status word or data length, \d+ with other bytes only, 0 skipped$/m);
      expect(replayed.status, replayed.stdout + replayed.stderr).toBe(0);
      served.stdin.write('q\n');
      expect(await gone).toBe(0);
    } finally {
      served.kill();
      slot1.close();
    }
    const broken = spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'card', 'serve', '--profile', join(out, 'keys', 'auth.key.pem'), '--slot', '1'], { cwd: ROOT, encoding: 'utf8' });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/auth\.key\.pem: not JSON/);
  }, 60_000);

  it('lets the contract end with the reader empty', async () => {
    if (bridge.inserted) await until('removed', () => bridge.remove());
    await new Promise((r) => setTimeout(r, 500));
    expect(reader.cardPresent).toBe(false);
  });

  it('runs the whole journey library with --reader pcsc: every card, fault and card pulled mid-exchange through pcscd', () => {
    // The kiosk's own process opens pcscd; the test's reader lets go of nothing it holds (shared mode). 30-35 APDUs a
    // journey: about 75 s at vpcd's 44 ms before the bridge acknowledged at once (npm run bench has today's figure).
    const library = readdirSync(join(ROOT, 'journeys')).filter((f) => f.endsWith('.yaml'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kiosk.mjs'), 'journey', 'run', 'journeys/', '--reader', `pcsc:${SLOT0}`],
      { cwd: ROOT, encoding: 'utf8', timeout: 400_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`journeys: ${library.length} passed, 0 failed`);
    expect(r.status).toBe(0);
  }, 420_000);

  describe('OpenSC, an independent client, accepts the virtual card as a JPKI card', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-opensc-'));
    const card = data.makeCard('kawasaki-taro', T);
    // Asynchronous on purpose: the virtual card answers from this very process, through the vpcd bridge.
    const run = async (cmd: string, args: string[]) => (await execFileAsync(cmd, args, { encoding: 'utf8', timeout: 30_000 })).stdout;
    const tool = (cmd: string, args: string[]) => run(cmd, ['--reader', '0', ...args]);
    beforeAll(async () => {
      await settledEmpty();
      await until('inserted', () => bridge.insert(card));
      expect(reader.atr?.toString('hex')).toBe(card.atr.toString('hex'));
    }, 20_000);
    afterAll(() => (bridge.inserted ? until('removed', () => bridge.remove()) : undefined));

    it('opensc-tool names the card jpki', async () => {
      expect(await tool('opensc-tool', ['-n'])).toMatch(/^jpki$/m);
    });

    it('pkcs15-tool lists the certificates', { timeout: 30_000 }, async () => {
      const out = await tool('pkcs15-tool', ['--list-certificates']);
      expect(out).toContain('User Authentication Certificate');
      expect(out).toContain('User Authentication Certificate CA');
    });

    it('pkcs15-tool lists both PINs with their tries left (no PIN sent)', { timeout: 30_000 }, async () => {
      const out = await tool('pkcs15-tool', ['--list-pins']);
      expect(out).toContain('User Authentication PIN');
      expect(out).toContain('Digital Signature PIN');
      expect(out).toMatch(/Tries left\s*:\s*3/);
      expect(out).toMatch(/Tries left\s*:\s*5/);
      expect(card.triesLeft).toBe(3);
    });

    it('pkcs15-tool reads the same user certificate as the kiosk\'s client, byte for byte', { timeout: 30_000 }, async () => {
      const viaOpensc = new X509Certificate(await tool('pkcs15-tool', ['--read-certificate', '01'])).raw;
      const viaKiosk = await new JpkiClient(reader.connect()).readAuthCertificate();
      expect(viaOpensc.toString('hex')).toBe(viaKiosk.toString('hex'));
    });

    it('pkcs11-tool signs with the user PIN, and the signature verifies with the user certificate', async () => {
      const input = join(dir, 'data.bin');
      const output = join(dir, 'sig.bin');
      writeFileSync(input, 'konbini kiosk signature test');
      await run('pkcs11-tool', ['--module', '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '--slot-index', '0', '--login', '--pin', persona.card.pin!,
        '--sign', '-m', 'SHA256-RSA-PKCS', '--id', '01', '-i', input, '-o', output]);
      const pem = await tool('pkcs15-tool', ['--read-certificate', '01']);
      expect(verify('sha256', readFileSync(input), new X509Certificate(pem).publicKey, readFileSync(output))).toBe(true);
      expect(card.triesLeft).toBe(3);
    }, 60_000);
  });

  it('recovers when pcscd restarts under a running reader, after 3 s with no pcscd at all', async () => {
    if (!pcscd.startedHere) throw new Error('these tests need to start pcscd themselves: stop the running pcscd first (pkill pcscd)');
    const card = data.makeCard('kawasaki-taro', T);
    await settledEmpty();
    await until('inserted', () => bridge.insert(card));
    const gone = until('removed', () => undefined, reader, 15_000);
    // Down for longer than the reader's 1 s retry: it tries again and again meanwhile (a retry that threw once
    // ended the process).
    await pcscd.restart(3000);
    await gone;
    // The kiosk's reader opens a new context by itself; the card goes back in once pcscd listens again.
    await until('inserted', () => bridge.insert(card), reader, 15_000);
    const terminal = new CardTerminal(reader);
    const read = await terminal.read();
    expect(read.ok && read.card.token).toBe('JPKIAPICCTOKEN2');
    await until('removed', () => bridge.remove());
  }, 40_000);
});
