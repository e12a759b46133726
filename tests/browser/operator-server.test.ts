// What the operator panel relies on from the kiosk server, over its WebSocket and HTTP: the clock can be set, jumped
// ahead (firing the idle timers that fall due) and sped up; the timeout's moment is in the device status (the
// warning counts down to it); the journal and the printed PDFs can be read. No browser needed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ControlledClock, RealClock } from '../../kiosk/clock.ts';
import type { ClientMessage, ServerMessage } from '../../kiosk/protocol.ts';
import { serveKiosk } from '../../kiosk/server.ts';

describe('ControlledClock', () => {
  it('sets, jumps ahead firing timers in order, and runs faster', async () => {
    const clock = new ControlledClock('2026-11-24T10:00:00+09:00');
    const fired: string[] = [];
    clock.setTimer(60_000, () => {
      fired.push('a');
      clock.setTimer(30_000, () => fired.push('b'));
    });
    const cancel = clock.setTimer(50_000, () => fired.push('never'));
    cancel();
    // Real time runs on between the lines: within a second of 10:01.
    expect(clock.nextTimerDue()! - Date.parse('2026-11-24T10:01:00+09:00')).toBeGreaterThanOrEqual(0);
    expect(clock.nextTimerDue()! - Date.parse('2026-11-24T10:01:00+09:00')).toBeLessThan(1_000);
    clock.advance(89_000);
    expect(fired).toEqual(['a']);
    clock.advance(2_000);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.nowMs() - Date.parse('2026-11-24T10:01:31+09:00')).toBeLessThan(1_000);
    clock.set('2026-12-29T10:00:00+09:00');
    expect(clock.now()).toMatch(/^2026-12-29T10:00:0/);
    // ×1000: a 2 s timer fires in about 2 ms of real time.
    clock.setRate(1000);
    await new Promise<void>((ok) => clock.setTimer(2_000, ok));
    expect(clock.rate).toBe(1000);
    expect(() => clock.setRate(0)).toThrow(RangeError);
  });
});

describe('the kiosk server for the operator panel', () => {
  const clock = new ControlledClock('2026-11-24T10:00:00+09:00');
  let server: Awaited<ReturnType<typeof serveKiosk>>;
  let ws: WebSocket;
  const inbox: ServerMessage[] = [];

  beforeAll(async () => {
    server = await serveKiosk({ port: 0, clock, printer: 'null', spoolDir: mkdtempSync(join(tmpdir(), 'op-spool-')), headless: true });
    ws = new WebSocket(server.url.replace('http', 'ws') + 'ws');
    ws.on('message', (d) => inbox.push(JSON.parse(String(d)) as ServerMessage));
    await new Promise((ok) => ws.once('open', ok));
  });
  afterAll(async () => {
    ws?.close();
    await server?.close();
  });

  /** Sends a message and returns the view the server answers with. */
  async function send(m: ClientMessage) {
    const from = inbox.length;
    ws.send(JSON.stringify(m));
    for (let i = 0; i < 100; i++) {
      const got = inbox.slice(from).filter((x) => x.type === 'view' || x.type === 'error');
      const error = got.find((x) => x.type === 'error');
      if (error) return error;
      if (got.length) return got.at(-1)!;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('no answer');
  }

  it('reports the clock, its rate and when the screen times out', async () => {
    const m = await send({ type: 'event', event: { type: 'ui.start' } });
    if (m.type !== 'view') throw new Error(JSON.stringify(m));
    expect(m.view.screen).toBe('government-menu');
    expect(m.devices.clockControl).toBe(true);
    expect(m.devices.clockRate).toBe(1);
    // The menu's idle timeout is 60 s.
    expect(Date.parse(m.devices.timeoutAt!) - Date.parse(m.devices.clock)).toBeGreaterThan(59_000);
  });

  it('jumps the clock ahead: the warning, then the end of the session', async () => {
    let m = await send({ type: 'operator', action: 'clock-advance', seconds: 60 });
    if (m.type !== 'view') throw new Error(JSON.stringify(m));
    expect(m.view.warning).toBe(true);
    expect(Date.parse(m.devices.timeoutAt!) - Date.parse(m.devices.clock)).toBeLessThanOrEqual(30_000);
    m = await send({ type: 'operator', action: 'clock-advance', seconds: 30 });
    if (m.type !== 'view') throw new Error(JSON.stringify(m));
    expect(m.view.screen).toBe('cancelled');
    expect(m.view.reason).toBe('timeout');
  });

  it('sets the time and the rate, and refuses nonsense', async () => {
    let m = await send({ type: 'operator', action: 'clock-set', time: '2026-12-31T09:00:00+09:00' });
    if (m.type !== 'view') throw new Error(JSON.stringify(m));
    expect(m.devices.clock).toMatch(/^2026-12-31T09:00:0/);
    m = await send({ type: 'operator', action: 'clock-rate', rate: 10 });
    if (m.type !== 'view') throw new Error(JSON.stringify(m));
    expect(m.devices.clockRate).toBe(10);
    await send({ type: 'operator', action: 'clock-rate', rate: 1 });
    for (const bad of [
      { type: 'operator', action: 'clock-set', time: 'tomorrow' },
      { type: 'operator', action: 'clock-set', time: '2026-12-31T09:00:00' },
      { type: 'operator', action: 'clock-advance', seconds: -5 },
      { type: 'operator', action: 'clock-rate', rate: 0 },
    ] as ClientMessage[]) {
      expect(await send(bad)).toMatchObject({ type: 'error', message: expect.stringMatching(/^Bad request: (time|seconds|rate)/) });
    }
  });

  it('serves the journal and the list of printed PDFs', async () => {
    await send({ type: 'event', event: { type: 'ui.done' } });
    const journal = await fetch(server.url + 'api/v1/journal');
    expect(journal.headers.get('content-type')).toBe('application/json');
    expect(Array.isArray(await journal.json())).toBe(true);
    const spool = await fetch(server.url + 'api/v1/spool');
    expect(await spool.json()).toEqual([]);
  });

  it('says so when its clock cannot be steered', async () => {
    const fixed = await serveKiosk({ port: 0, clock: new RealClock(), printer: 'null', spoolDir: mkdtempSync(join(tmpdir(), 'op-spool-')), headless: true });
    const s = new WebSocket(fixed.url.replace('http', 'ws') + 'ws');
    const got: ServerMessage[] = [];
    s.on('message', (d) => got.push(JSON.parse(String(d)) as ServerMessage));
    await new Promise((ok) => s.once('open', ok));
    s.send(JSON.stringify({ type: 'operator', action: 'clock-advance', seconds: 60 }));
    for (let i = 0; i < 100 && !got.some((x) => x.type === 'error'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(got.find((x) => x.type === 'error')).toMatchObject({ message: expect.stringMatching(/cannot be steered/) });
    expect(got.find((x) => x.type === 'view')).toMatchObject({ devices: { clockControl: false, timeoutAt: null } });
    s.close();
    await fixed.close();
  });
});
