// listReaders and watchReaders over a scripted stand-in for the pcsclite binding (the real one, through pcscd, is
// exercised by tests/pcsc/reader-cli-suite.ts).
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PcscUnavailableError } from '../pcsc-reader.ts';
import { PcscdNotRunningError, listReaders, loadPcscBinding, watchReaders, type PcscBinding, type ReaderWatchEvent } from './pcsc-watch.ts';

// pcsc-lite's SCARD_STATE_* values.
const UNAVAILABLE = 0x8;
const EMPTY = 0x10;
const PRESENT = 0x20;
const EXCLUSIVE = 0x80;
const INUSE = 0x100;
const MUTE = 0x200;

class FakeReader extends EventEmitter {
  readonly SCARD_STATE_UNAVAILABLE = UNAVAILABLE;
  readonly SCARD_STATE_EMPTY = EMPTY;
  readonly SCARD_STATE_PRESENT = PRESENT;
  readonly SCARD_STATE_EXCLUSIVE = EXCLUSIVE;
  readonly SCARD_STATE_INUSE = INUSE;
  readonly SCARD_STATE_MUTE = MUTE;
  closed = false;
  constructor(readonly name: string) {
    super();
  }
  /** Like pcsclite: closing ends the status thread, which then emits 'end'. */
  close(): void {
    this.closed = true;
    setImmediate(() => this.emit('end'));
  }
}

class FakeContext extends EventEmitter {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

const ATR = Buffer.from('3BDA13FF8131FB468012392F31C173C601C03B', 'hex');
const ATR_HEX = '3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B';

function binding(...contexts: FakeContext[]): PcscBinding & { calls: number } {
  const b = Object.assign(
    () => {
      const next = contexts[b.calls++];
      if (!next) throw new Error('SCardEstablishContext error: Service not available.(0x8010001D)');
      return next;
    },
    { calls: 0 },
  );
  return b;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('listReaders', () => {
  it('lists every reader with its first status, then closes the readers and the context', async () => {
    const ctx = new FakeContext();
    const listing = listReaders({ binding: binding(ctx), waitMs: 5000 });
    const a = new FakeReader('Virtual PCD 00 00');
    const b = new FakeReader('Virtual PCD 00 01');
    ctx.emit('reader', a);
    ctx.emit('reader', b);
    a.emit('status', { state: PRESENT | INUSE, atr: ATR });
    a.emit('status', { state: EMPTY }); // later statuses do not change the listing
    b.emit('status', { state: EMPTY, atr: Buffer.alloc(0) });
    const started = Date.now();
    expect(await listing).toEqual([
      { name: 'Virtual PCD 00 00', cardPresent: true, atr: ATR_HEX, state: ['present', 'in use'] },
      { name: 'Virtual PCD 00 01', cardPresent: false, atr: null, state: ['empty'] },
    ]);
    expect(Date.now() - started).toBeLessThan(1000); // answered once every reader reported, not after waitMs
    expect([a.closed, b.closed, ctx.closed]).toEqual([true, true, true]);
  });

  it('a reader without a status in time is listed without one; no reader at all takes the whole wait', async () => {
    const ctx = new FakeContext();
    const listing = listReaders({ binding: binding(ctx), waitMs: 80 });
    ctx.emit('reader', new FakeReader('Silent reader'));
    expect(await listing).toEqual([{ name: 'Silent reader', cardPresent: false, atr: null, state: [] }]);
    expect(await listReaders({ binding: binding(new FakeContext()), waitMs: 30 })).toEqual([]);
  });

  it('a mute card is present with the mute flag', async () => {
    const ctx = new FakeContext();
    const listing = listReaders({ binding: binding(ctx), waitMs: 5000 });
    const r = new FakeReader('R');
    ctx.emit('reader', r);
    r.emit('status', { state: PRESENT | MUTE | EXCLUSIVE, atr: Buffer.alloc(0) });
    expect(await listing).toEqual([{ name: 'R', cardPresent: true, atr: null, state: ['present', 'mute', 'exclusive'] }]);
  });

  it('pcscd not running: PcscdNotRunningError saying how to start it', () => {
    expect(() => listReaders({ binding: binding() })).toThrow(PcscdNotRunningError);
    expect(() => listReaders({ binding: binding() })).toThrow(/pcscd is not running or not reachable \(SCardEstablishContext error: Service not available.*start it with `pcscd --foreground &`/);
  });

  it('a context error while listing rejects with PcscdNotRunningError', async () => {
    const ctx = new FakeContext();
    const listing = listReaders({ binding: binding(ctx), waitMs: 5000 });
    ctx.emit('error', new Error('SCardListReaders error: Service not available'));
    await expect(listing).rejects.toThrow(PcscdNotRunningError);
    expect(ctx.closed).toBe(true);
  });
});

describe('loadPcscBinding', () => {
  it('a module that does not load is the PcscUnavailableError PcscReader throws', () => {
    expect(() => loadPcscBinding('pcsclite-does-not-exist')).toThrow(PcscUnavailableError);
    expect(() => loadPcscBinding('pcsclite-does-not-exist')).toThrow(/the pcsclite-does-not-exist module did not load .*apt-get install pcscd libpcsclite-dev/);
  });
});

describe('watchReaders', () => {
  it('reports readers and cards coming and going, not other state changes, and stops on abort', async () => {
    const ctx = new FakeContext();
    const events: ReaderWatchEvent[] = [];
    const controller = new AbortController();
    const watching = watchReaders((e) => events.push(e), { signal: controller.signal, binding: binding(ctx), now: () => new Date(0) });
    const a = new FakeReader('Reader A');
    ctx.emit('reader', a);
    a.emit('status', { state: EMPTY }); // the first status of an empty reader is no event
    a.emit('status', { state: PRESENT, atr: ATR });
    a.emit('status', { state: PRESENT | INUSE, atr: ATR }); // in use: no event
    a.emit('status', { state: EMPTY });
    a.emit('status', { state: PRESENT | MUTE, atr: Buffer.alloc(0) });
    a.emit('end'); // unplugged with the card in it
    const b = new FakeReader('Reader B');
    ctx.emit('reader', b);
    b.emit('status', { state: PRESENT, atr: ATR }); // a card already there at the start
    controller.abort();
    await watching;
    const at = '1970-01-01T00:00:00.000Z';
    expect(events).toEqual([
      { at, reader: 'Reader A', event: 'reader-added' },
      { at, reader: 'Reader A', event: 'card-inserted', atr: ATR_HEX },
      { at, reader: 'Reader A', event: 'card-removed' },
      { at, reader: 'Reader A', event: 'card-inserted', mute: true },
      { at, reader: 'Reader A', event: 'card-removed' },
      { at, reader: 'Reader A', event: 'reader-removed' },
      { at, reader: 'Reader B', event: 'reader-added' },
      { at, reader: 'Reader B', event: 'card-inserted', atr: ATR_HEX },
    ]);
    expect([b.closed, ctx.closed]).toEqual([true, true]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toHaveLength(8); // B's 'end' after the abort is not a removal
  });

  it('pcscd gone: the readers are reported removed, the problem is told, and the watch reconnects', async () => {
    vi.useFakeTimers();
    const first = new FakeContext();
    const second = new FakeContext();
    const bind = binding(first, second);
    const events: string[] = [];
    const problems: string[] = [];
    const controller = new AbortController();
    const watching = watchReaders((e) => events.push(`${e.reader} ${e.event}`), {
      signal: controller.signal, binding: bind, onProblem: (m) => problems.push(m),
    });
    const a = new FakeReader('Reader A');
    first.emit('reader', a);
    a.emit('status', { state: PRESENT, atr: ATR });
    first.emit('error', new Error('SCardGetStatusChange error: Service not available'));
    expect(events).toEqual(['Reader A reader-added', 'Reader A card-inserted', 'Reader A card-removed', 'Reader A reader-removed']);
    expect(problems).toEqual(['pcscd: SCardGetStatusChange error: Service not available; waiting for it to come back']);
    expect(first.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(bind.calls).toBe(2);
    expect(problems.at(-1)).toBe('pcscd is back');
    second.emit('reader', new FakeReader('Reader A'));
    expect(events.at(-1)).toBe('Reader A reader-added');
    controller.abort();
    await watching;
    expect(second.closed).toBe(true);
  });

  it('pcscd not running at the start: PcscdNotRunningError at once', async () => {
    await expect(watchReaders(() => undefined, { signal: new AbortController().signal, binding: binding() })).rejects.toThrow(PcscdNotRunningError);
  });

  it('an already aborted signal returns without opening pcscd', async () => {
    const bind = binding(new FakeContext());
    await watchReaders(() => undefined, { signal: AbortSignal.abort(), binding: bind });
    expect(bind.calls).toBe(0);
  });
});
