// The connection adapter with a fake socket and fake timers: state from server messages, reconnect with backoff,
// and nothing sent while disconnected (a tap or a PIN is never queued for a later screen).
import { describe, expect, it } from 'vitest';
import { connect, reduce, socketUrl, type ConnectionState, type SocketLike } from './connection.ts';
import { baseView, DEMO_DEVICES, DEMO_HELLO } from './fixtures.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) { this.sent.push(data); }
  close() { this.closed = true; this.readyState = 3; this.onclose?.({}); }
  open() { this.readyState = 1; this.onopen?.({}); }
  receive(m: unknown) { this.onmessage?.({ data: typeof m === 'string' ? m : JSON.stringify(m) }); }
  drop() { this.readyState = 3; this.onclose?.({}); }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const states: ConnectionState[] = [];
  const conn = connect({
    url: 'ws://kiosk/ws',
    createSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    setTimer: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
    clearTimer: () => {},
    minDelayMs: 500,
    maxDelayMs: 4000,
  });
  conn.subscribe((s) => states.push(s));
  return { conn, sockets, timers, states };
}

describe('connection', () => {
  it('builds the socket URL from the page', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:8090' })).toBe('ws://127.0.0.1:8090/ws');
    expect(socketUrl({ protocol: 'https:', host: 'kiosk.example' })).toBe('wss://kiosk.example/ws');
  });

  it('keeps the latest hello, view and devices', () => {
    const { conn, sockets } = harness();
    const s = sockets[0];
    s.open();
    expect(conn.getState().status).toBe('open');
    s.receive(DEMO_HELLO);
    s.receive({ type: 'view', view: baseView('copies'), devices: DEMO_DEVICES, rev: 1 });
    expect(conn.getState().hello?.municipalities.length).toBe(5);
    expect(conn.getState().view?.screen).toBe('copies');
    s.receive({ type: 'error', message: 'Entering a PIN is not possible on the copies screen.' });
    expect(conn.getState().error).toMatch(/not possible/);
    s.receive({ type: 'view', view: baseView('confirm'), devices: DEMO_DEVICES, rev: 2 });
    expect(conn.getState().error).toBeNull();
    expect(conn.getState().view?.screen).toBe('confirm');
    expect(conn.getState().rev).toBe(2);
  });

  it('ignores malformed messages', () => {
    const { conn, sockets } = harness();
    sockets[0].open();
    const before = conn.getState();
    sockets[0].receive('not json');
    sockets[0].receive({ type: 'unknown' });
    expect(conn.getState()).toBe(before);
    expect(reduce(before, null)).toBe(before);
  });

  it('sends JSON while open and refuses (without queueing) while disconnected', () => {
    const { conn, sockets, timers } = harness();
    expect(conn.send({ type: 'pin', digits: '1234' })).toBe(false);
    sockets[0].open();
    expect(conn.send({ type: 'event', event: { type: 'ui.start' } })).toBe(true);
    expect(JSON.parse(sockets[0].sent[0])).toEqual({ type: 'event', event: { type: 'ui.start' } });
    sockets[0].drop();
    expect(conn.send({ type: 'pin', digits: '1234' })).toBe(false);
    timers.shift()!.fn();
    sockets[1].open();
    // Nothing from the disconnected time arrives on the new socket.
    expect(sockets[1].sent).toEqual([]);
  });

  it('reconnects with a doubling delay, reset after a successful open', () => {
    const { conn, sockets, timers } = harness();
    sockets[0].drop();
    expect(conn.getState().status).toBe('closed');
    expect(timers.map((t) => t.ms)).toEqual([500]);
    timers[0].fn();
    expect(conn.getState().status).toBe('connecting');
    sockets[1].drop();
    timers[1].fn();
    sockets[2].drop();
    timers[2].fn();
    sockets[3].drop();
    timers[3].fn();
    sockets[4].drop();
    expect(timers.map((t) => t.ms)).toEqual([500, 1000, 2000, 4000, 4000]);
    timers[4].fn();
    sockets[5].open();
    sockets[5].drop();
    expect(timers.at(-1)!.ms).toBe(500);
  });

  it('stops for good on close', () => {
    const { conn, sockets, timers } = harness();
    sockets[0].open();
    conn.close();
    expect(sockets[0].closed).toBe(true);
    expect(timers).toEqual([]);
    expect(conn.getState().status).toBe('closed');
  });
});
