// Hostile WebSocket input, property-based (fast-check): random JSON, random strings and binary, messages shaped like
// the protocol's with fields of every wrong kind, unknown events and device events a screen may not send, the steps
// of a purchase out of order, a flood, oversized messages and broken frames. The server must never crash: it answers
// an error (without echoing what was sent) or closes that connection, and the terminal stays consistent: no device
// error, a defined screen, and every yen inserted kept for a printed copy, returned, owed or still in escrow.
// Connections from other origins are refused.
import { connect } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SimClock } from '../../kiosk/clock.ts';
import { MAX_MESSAGE_BYTES, serveKiosk } from '../../kiosk/server.ts';
import { FAULTS } from '../../kiosk/terminal.ts';
import { CERTIFICATES, LANGUAGES, SCREENS } from '../../machine/types.ts';
import { ledger } from '../crash/drive.ts';

type Server = Awaited<ReturnType<typeof serveKiosk>>;
let server: Server;
const dir = mkdtempSync(join(tmpdir(), 'kiosk-ws-'));
const figures = { messages: 0, sequences: 0, errors: 0 };

beforeAll(async () => {
  server = await serveKiosk({ port: 0, clock: new SimClock('2026-11-24T10:00:00+09:00'), printer: 'null', spoolDir: join(dir, 'spool'), varDir: join(dir, 'var'), headless: true });
});
afterAll(async () => {
  await server.close();
  console.log(`ws fuzz: ${figures.sequences} sequences, ${figures.messages} messages, ${figures.errors} error answers; server alive, no device error, money conserved`);
});

interface Client { ws: WebSocket; frames: string[]; closed: Promise<number> }

function open(headers: Record<string, string> = {}): Promise<Client> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}ws`, { headers });
    const frames: string[] = [];
    const closed = new Promise<number>((c) => ws.on('close', (code) => c(code)));
    ws.on('message', (d) => frames.push(String(d)));
    ws.on('open', () => ok({ ws, frames, closed }));
    ws.on('error', fail);
  });
}

/** Until the server has gone quiet and the terminal's device work is done. */
async function quiet(c: Client): Promise<void> {
  for (let seen = -1; seen !== c.frames.length;) {
    seen = c.frames.length;
    await new Promise((r) => setTimeout(r, 25));
  }
  await server.terminal.runtime.settled();
}

/** What must hold whatever was sent. */
async function consistent(): Promise<void> {
  const { runtime } = server.terminal;
  expect(runtime.errors.map((e) => `${e.name}: ${e.message}`)).toEqual([]);
  expect(SCREENS).toContain(runtime.screen);
  const m = ledger(server.terminal);
  expect(m.inserted, JSON.stringify(m)).toBe(m.charged + m.returned + m.owed + m.escrow);
  // Still serving: a new screen gets the greeting and the view.
  const c = await open();
  await new Promise((r) => setTimeout(r, 20));
  expect(c.frames.map((f) => JSON.parse(f).type).slice(0, 2)).toEqual(['hello', 'view']);
  c.ws.close();
}

/** PINs to look for in the answers (the right one of kawasaki-taro and wrong ones); no fixed message has their digits. */
const PINS = ['8642', '7319', '5826', '46813'];

const UI_TYPES = ['ui.start', 'ui.otherService', 'ui.certificateService', 'ui.chooseMedium', 'ui.acceptTerms', 'ui.selectCity', 'ui.selectCertificate',
  'ui.selectType', 'ui.selectInfo', 'ui.selectCopies', 'ui.confirm', 'ui.correct', 'ui.back', 'ui.cancel', 'ui.done', 'ui.continue', 'ui.setLanguage'];
/** Values of every kind for a field, including the right kind. */
const anyValue = fc.oneof(
  fc.anything({ maxDepth: 2 }), fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.constant(null), fc.boolean(),
  fc.constantFrom('card', 'phone', 'residence', 'domicile', 'household', 'self', 'members', 'zenbu', 'kojin', '141305', 'copy', 'en', ...CERTIFICATES, ...LANGUAGES),
);
const subtype = fc.oneof(
  fc.record({ kind: fc.constantFrom('juminhyo', 'koseki', 'kazei', 'fuhyo', 'x'), scope: anyValue, members: fc.oneof(fc.array(anyValue, { maxLength: 3 }), anyValue), form: anyValue, person: anyValue, year: anyValue }, { requiredKeys: ['kind'] }),
  anyValue,
);
const event = fc.record({
  type: fc.oneof(fc.constantFrom(...UI_TYPES, 'ui.bogus', 'card.read.done', 'cash.inserted', 'print.done', 'timeout', 'pin.submitted'), fc.string({ maxLength: 12 })),
  at: anyValue, service: anyValue, medium: anyValue, scope: anyValue, city: anyValue, certificate: anyValue, subtype, copies: anyValue,
  step: anyValue, language: anyValue, total: anyValue, amount: anyValue,
  options: fc.oneof(fc.record({ householdHead: anyValue, domicile: anyValue, myNumber: anyValue, nationality: fc.boolean(), residenceStatus: fc.boolean(), residenceCardNumber: fc.boolean() }), anyValue),
}, { requiredKeys: ['type'] });
const operator = fc.record({
  type: fc.constant('operator'),
  action: fc.oneof(fc.constantFrom('insert-card', 'remove-card', 'insert-cash', 'fault', 'clock-set', 'clock-advance', 'clock-rate', 'x'), anyValue),
  persona: fc.oneof(fc.constantFrom('kawasaki-taro', 'expired', 'juki-card', 'pin-locked', 'nobody'), anyValue),
  yen: fc.oneof(fc.constantFrom(10, 50, 100, 500, 1000, 2000, 5000, 10000, 1, 5, -100, 0), anyValue),
  fault: fc.oneof(fc.constantFrom(...FAULTS, 'meltdown'), anyValue),
  seconds: fc.oneof(fc.integer({ min: -10, max: 200 }), anyValue),
  time: fc.oneof(fc.constantFrom('2026-12-30T10:00:00+09:00', '2026-11-24T10:00:00+09:00', 'never'), anyValue),
  rate: anyValue,
}, { requiredKeys: ['type', 'action'] });
const message: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('event'), event: fc.oneof(event, anyValue) }, { requiredKeys: ['type'] }).map((m) => JSON.stringify(m)) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('pin'), digits: fc.oneof(fc.stringMatching(/^[0-9]{3,6}$/), fc.constantFrom(...PINS), anyValue) }, { requiredKeys: ['type'] }).map((m) => JSON.stringify(m)) },
  { weight: 4, arbitrary: operator.map((m) => JSON.stringify(m)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.constantFrom('null', '[]', '{}', '"x"', '{"type":null}', '{"type":"event"}', '{"type":"operator"}', '{"__proto__":{"type":"event"}}', '{"type":"event","event":{"type":"ui.start","constructor":{"prototype":{"x":1}}}}') },
);

/** A purchase as the touch screen and the operator panel send it, in order. */
const PURCHASE = [
  { type: 'event', event: { type: 'ui.start' } }, { type: 'event', event: { type: 'ui.certificateService' } },
  { type: 'event', event: { type: 'ui.chooseMedium', medium: 'card' } }, { type: 'event', event: { type: 'ui.acceptTerms' } },
  { type: 'operator', action: 'insert-card', persona: 'kawasaki-taro' }, { type: 'event', event: { type: 'ui.selectCity', scope: 'residence' } },
  { type: 'pin', digits: '8642' }, { type: 'operator', action: 'remove-card' },
  { type: 'event', event: { type: 'ui.selectCertificate', certificate: 'juminhyo' } },
  { type: 'event', event: { type: 'ui.selectType', subtype: { kind: 'juminhyo', scope: 'self', members: [] } } },
  { type: 'event', event: { type: 'ui.selectInfo', options: { householdHead: false, domicile: false, myNumber: false, nationality: false, residenceStatus: false, residenceCardNumber: false } } },
  { type: 'event', event: { type: 'ui.selectCopies', copies: 2 } }, { type: 'event', event: { type: 'ui.confirm' } },
  { type: 'operator', action: 'insert-cash', yen: 100 }, { type: 'operator', action: 'insert-cash', yen: 500 },
  { type: 'event', event: { type: 'ui.cancel' } }, { type: 'event', event: { type: 'ui.done' } },
].map((m) => JSON.stringify(m));

async function play(messages: Array<string | Buffer>): Promise<void> {
  const c = await open();
  for (const m of messages) c.ws.send(m);
  figures.messages += messages.length;
  figures.sequences += 1;
  await quiet(c);
  const errors = c.frames.map((f) => JSON.parse(f) as { type: string; message?: string }).filter((f) => f.type === 'error');
  figures.errors += errors.length;
  // No answer repeats a PIN that was sent (in any message, of any kind).
  const sent = messages.map(String).join('\n');
  for (const pin of PINS.filter((p) => sent.includes(p))) expect(c.frames.filter((f) => f.includes(pin))).toEqual([]);
  c.ws.close();
  await consistent();
}

describe('hostile WebSocket messages', () => {
  it('random, malformed and protocol-shaped messages with wrong fields', async () => {
    await fc.assert(fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 25 }), play), { numRuns: 150 });
  }, 180_000);

  it('a purchase\'s messages out of order, repeated and interleaved with noise', async () => {
    const step = fc.constantFrom(...PURCHASE);
    await fc.assert(fc.asyncProperty(
      fc.oneof(fc.shuffledSubarray(PURCHASE), fc.array(step, { maxLength: 30 }), fc.array(fc.oneof(step, message), { maxLength: 30 })),
      play,
    ), { numRuns: 150 });
  }, 180_000);

  it('a flood of 2000 messages on one connection, and on four at once', async () => {
    const flood = Array.from({ length: 2000 }, (_, i) => PURCHASE[i % PURCHASE.length]);
    await play(flood);
    const clients = await Promise.all([open(), open(), open(), open()]);
    clients.forEach((c, k) => PURCHASE.forEach((m, i) => i % 4 === k || c.ws.send(m)));
    figures.messages += PURCHASE.length * 3;
    await Promise.all(clients.map(quiet));
    for (const c of clients) c.ws.close();
    await consistent();
  }, 60_000);

  it('an oversized message closes that connection (1009), and only it', async () => {
    const c = await open();
    const other = await open();
    c.ws.send(JSON.stringify({ type: 'event', event: { type: 'ui.start', pad: 'x'.repeat(MAX_MESSAGE_BYTES) } }));
    expect(await c.closed).toBe(1009);
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    other.ws.close();
    await consistent();
  });

  it('broken frames (a reserved opcode, an unmasked client frame, a lying length) close that connection', async () => {
    const bad = [
      Buffer.from([0x83, 0x80, 1, 2, 3, 4]), // opcode 3 is reserved
      Buffer.from([0x81, 0x02, 0x7b, 0x7d]), // a client must mask its frames
      Buffer.from([0xc1, 0x80, 1, 2, 3, 4]), // RSV1 without an extension
      Buffer.from([0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]), // 2^63 bytes announced
    ];
    for (const frame of bad) {
      const closed = await new Promise<boolean>((ok) => {
        const s = connect(server.port, '127.0.0.1', () => {
          s.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
        });
        let upgraded = false;
        s.on('data', (d) => {
          if (!upgraded && String(d).startsWith('HTTP/1.1 101')) {
            upgraded = true;
            s.write(frame);
          }
        });
        s.on('close', () => ok(upgraded));
        s.on('error', () => undefined);
        setTimeout(() => s.destroy(), 5000);
      });
      expect(closed).toBe(true);
    }
    await consistent();
  });
});

describe('who may connect', () => {
  const upgrade = (headers: Record<string, string>) => new Promise<number>((ok) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}ws`, { headers });
    ws.on('open', () => {
      ws.close();
      ok(101);
    });
    ws.on('unexpected-response', (_req, res) => ok(res.statusCode ?? 0));
    ws.on('error', () => ok(-1));
  });

  it.each([
    ['http://evil.example', 403], ['https://evil.example:8080', 403], ['null', 403], ['http://127.0.0.1.evil.example', 403],
    ['http://localhost.evil.example', 403], ['file://', 403], ['http://192.168.1.10:8080', 403],
  ])('refuses a WebSocket from Origin %s', async (origin, status) => {
    expect(await upgrade({ Origin: origin })).toBe(status);
  });

  it.each(['http://127.0.0.1:8080', 'http://localhost:5173', 'http://[::1]:8080'])('accepts the kiosk\'s own pages (Origin %s)', async (origin) => {
    expect(await upgrade({ Origin: origin })).toBe(101);
  });

  it('refuses a WebSocket whose Host is not this machine (DNS rebinding)', async () => {
    expect(await upgrade({ Host: 'evil.example' })).toBe(403);
  });
});
