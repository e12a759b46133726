// The booth's API as a hostile caller meets it: another Host (DNS rebinding), a web page's Origin, a body that is not
// JSON or too large, a tap the screen could not send, a coin that does not exist. Each is refused with what to do,
// and the booth is as it was.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SimClock } from '../../kiosk/clock.ts';
import { serveBooth } from '../../kiosk/booth/booth-server.ts';

let booth: Awaited<ReturnType<typeof serveBooth>>;
const clock = new SimClock('2026-12-07T10:00:00+09:00');
beforeAll(async () => {
  booth = await serveBooth({ port: 0, clock, headless: true });
});
afterAll(async () => {
  await booth?.close();
});

function raw(o: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port: booth.port, method: o.method ?? 'GET', path: o.path, headers: o.headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => done({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', fail);
    req.end(o.body);
  });
}
const json = { 'content-type': 'application/json' };

describe('the booth’s API refuses what a screen could not send', () => {
  it('another Host, a page’s Origin: 403; not JSON: 415; too large: 413; not an object: 400', async () => {
    expect((await raw({ path: '/api/v1/booth/view', headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await raw({ path: '/api/v1/booth/view', headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await raw({ method: 'POST', path: '/api/v1/booth/tap', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await raw({ method: 'POST', path: '/api/v1/booth/tap', headers: json, body: JSON.stringify({ event: { type: 'ui.start' }, pad: 'x'.repeat(20_000) }) })).status).toBe(413);
    expect((await raw({ method: 'POST', path: '/api/v1/booth/tap', headers: json, body: '[1,2]' })).status).toBe(400);
    expect((await raw({ method: 'POST', path: '/api/v1/booth/tap', headers: json, body: '{"event":' })).status).toBe(400);
    expect((await raw({ path: '/api/v1/booth/nowhere' })).status).toBe(404);
    expect(booth.runtime.view().screen).toBe('top');
  });

  it('a device event passed off as a tap, a made-up birth date, a coin that does not exist, a subject nobody is: 400, and nothing happens', async () => {
    for (const event of [{ type: 'cash.inserted', amount: 1000, total: 1000 }, { type: 'center.application.done', application: 1, arrivesOn: '2027-01-05' }, { type: 'ui.enterBirthDate', birthDate: '1982-13-45' }, { type: 'ui.setOptions', certificates: 'yes', braille: false }]) {
      const r = await raw({ method: 'POST', path: '/api/v1/booth/tap', headers: json, body: JSON.stringify({ event }) });
      expect(r.status, JSON.stringify(event)).toBe(400);
    }
    expect((await raw({ method: 'POST', path: '/api/v1/booth/cash', headers: json, body: '{"yen":7}' })).status).toBe(400);
    expect((await raw({ method: 'POST', path: '/api/v1/booth/pose', headers: json, body: '{"subject":"someone-else"}' })).status).toBe(400);
    expect((await raw({ method: 'POST', path: '/api/v1/booth/scan', headers: json, body: JSON.stringify({ text: 'x'.repeat(600) }) })).status).toBe(400);
    expect(booth.runtime.view()).toMatchObject({ screen: 'top', inserted: 0 });
    expect(booth.cashBox.counters.accepted).toBe(0);
  });
});

describe('the booth’s WebSocket', () => {
  it('pushes the view when it changes without a tap (a coin from the operator, a timeout), to this machine’s screens only', async () => {
    const url = `ws://127.0.0.1:${booth.port}/api/v1/booth/ws`;
    const refused = (headers: Record<string, string>) => new Promise<number>((done) => {
      const ws = new WebSocket(url, { headers });
      ws.on('unexpected-response', (_req, res) => done(res.statusCode ?? 0));
      ws.on('open', () => done(101));
    });
    expect(await refused({ origin: 'http://evil.example' })).toBe(403);
    expect(await refused({ host: 'evil.example' })).toBe(403);
    const ws = new WebSocket(url);
    const views: Array<{ screen: string; inserted: number; warning: boolean }> = [];
    ws.on('message', (m) => views.push(JSON.parse(String(m))));
    await new Promise((ok) => ws.once('open', ok));
    await expect.poll(() => views.length).toBe(1);
    await fetch(`http://127.0.0.1:${booth.port}/api/v1/booth/tap`, { method: 'POST', headers: json, body: JSON.stringify({ event: { type: 'ui.start' } }) });
    await fetch(`http://127.0.0.1:${booth.port}/api/v1/booth/cash`, { method: 'POST', headers: json, body: JSON.stringify({ yen: 500 }) });
    await expect.poll(() => views.at(-1)).toMatchObject({ screen: 'payment', inserted: 500, warning: false });
    clock.advance(120_000);
    await expect.poll(() => views.at(-1)).toMatchObject({ screen: 'payment', warning: true });
    clock.advance(30_000);
    await expect.poll(() => views.at(-1)).toMatchObject({ screen: 'cancelled', inserted: 500 });
    // The screen sends its taps over HTTP: a message on the socket closes it.
    const closed = new Promise<number>((ok) => ws.once('close', (code) => ok(code)));
    ws.send('{"type":"ui.done"}');
    expect(await closed).toBe(1008);
    await fetch(`http://127.0.0.1:${booth.port}/api/v1/booth/tap`, { method: 'POST', headers: json, body: JSON.stringify({ event: { type: 'ui.done' } }) });
    expect(booth.runtime.view().screen).toBe('top');
  });
});
