// The control API (/api/v1) as a QA script or a vendor's tool meets it: plain HTTP to a real kiosk server. Its OpenAPI
// document is the checked-in kiosk/openapi.json, valid OpenAPI 3.1, and names exactly the routes the server answers;
// a whole purchase runs through it; the center's next answer can be chosen; and it keeps the trust rules: this
// machine only, JSON only, bounded bodies, no PIN in any answer.
import { readFileSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../kiosk/clock.ts';
import { openApiDocument, ROUTES } from '../../kiosk/control-api.ts';
import { serveKiosk } from '../../kiosk/server.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'kiosk-api-'));
let server: Awaited<ReturnType<typeof serveKiosk>>;

beforeAll(async () => {
  server = await serveKiosk({ port: 0, clock: new SimClock('2026-11-24T10:00:00+09:00'), printer: 'spool', spoolDir: join(dir, 'spool'), varDir: join(dir, 'var'), headless: true });
});
afterAll(async () => {
  await server?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One HTTP request as curl sends it (headers chosen by the test: Host, Origin, Content-Type). */
function http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((done, fail) => {
    const req = request({
      host: '127.0.0.1', port: server.port, method, path,
      headers: { ...(data !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        done({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', fail);
    if (data !== undefined) req.write(data);
    req.end();
  });
}
const api = (method: string, path: string, body?: unknown) => http(method, `/api/v1${path}`, body);

describe('the OpenAPI document', () => {
  it('is the checked-in kiosk/openapi.json (regenerate: npx tsx kiosk/control-api.ts) and is served', async () => {
    const file = JSON.parse(readFileSync(join(ROOT, 'kiosk', 'openapi.json'), 'utf8'));
    expect(file).toEqual(openApiDocument());
    const served = await api('GET', '/openapi.json');
    expect(served.status).toBe(200);
    expect(served.json()).toEqual(file);
  });

  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(openApiDocument() as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('names exactly the routes the server answers: each documented operation is no 404 or 405, and nothing else is', async () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    expect(documented).toEqual(ROUTES.map((r) => `${r.method} /api/v1${r.path}`).sort());
    for (const op of documented) {
      const [method, path] = op.split(' ');
      // An empty body: routes that take one answer 400 (what is missing), the others do their work.
      const r = await http(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect([404, 405], op).not.toContain(r.status);
    }
    expect((await api('GET', '/nothing')).status).toBe(404);
    const wrong = await api('PATCH', '/clock');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('PUT');
  });
});

describe('a purchase through the API alone', () => {
  it('prints a 住民票 and gives the change; no answer holds the PIN', async () => {
    const answers: string[] = [];
    const step = async (method: string, path: string, body?: unknown) => {
      const r = await api(method, path, body);
      answers.push(r.text);
      expect(r.status, `${method} ${path}: ${r.text.slice(0, 200)}`).toBe(200);
      return r.json();
    };
    await step('POST', '/screen/tap', { event: { type: 'ui.start' } });
    await step('POST', '/screen/tap', { event: { type: 'ui.certificateService' } });
    await step('POST', '/screen/tap', { event: { type: 'ui.chooseMedium', medium: 'card' } });
    await step('POST', '/screen/tap', { event: { type: 'ui.acceptTerms' } });
    expect((await step('POST', '/reader/card', { persona: 'kawasaki-taro' })).view.screen).toBe('city-select');
    await step('POST', '/screen/tap', { event: { type: 'ui.selectCity', scope: 'residence' } });
    const authenticated = await step('POST', '/screen/pin', { digits: '8642' });
    expect(authenticated.view.screen).toBe('card-removal');
    expect((await step('DELETE', '/reader/card')).view.screen).toBe('certificate-select');
    await step('POST', '/screen/tap', { event: { type: 'ui.selectCertificate', certificate: 'juminhyo' } });
    await step('POST', '/screen/tap', { event: { type: 'ui.selectType', subtype: { kind: 'juminhyo', scope: 'household', members: [] } } });
    await step('POST', '/screen/tap', { event: { type: 'ui.selectInfo', options: { householdHead: true, domicile: false, myNumber: false, nationality: false, residenceStatus: false, residenceCardNumber: false } } });
    await step('POST', '/screen/tap', { event: { type: 'ui.selectCopies', copies: 1 } });
    expect((await step('POST', '/screen/tap', { event: { type: 'ui.confirm' } })).view.screen).toBe('payment');
    const paid = await step('POST', '/cash', { yen: 1000 });
    expect(paid.view).toMatchObject({ screen: 'printing', step: 'collect', printed: 1, payout: { change: 800 } });
    expect((await step('GET', '/spool')).some((f: string) => f.endsWith('-juminhyo-1of1.pdf'))).toBe(true);
    expect((await step('GET', '/journal')).map((r: { type: string }) => r.type)).toEqual(expect.arrayContaining(['payment.collected', 'print.copy', 'cash.out']));
    await step('POST', '/screen/tap', { event: { type: 'ui.done' } });
    expect(answers.join('\n')).not.toContain('8642');
  });

  it('a tap the screen does not offer is 409 with what is possible; a bad event is 400; a wrong PIN format is 400 without the digits', async () => {
    const pin = await api('POST', '/screen/pin', { digits: '1234' });
    expect(pin.status).toBe(409);
    expect(pin.json().error).toMatch(/Entering a PIN is not possible on the top screen/);
    expect(pin.text).not.toContain('1234');
    const bad = await api('POST', '/screen/tap', { event: { type: 'ui.selectCopies', copies: 'many' } });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatch(/copies is a whole number/);
    expect((await api('POST', '/cash', { yen: 'a lot' })).status).toBe(400);
    expect((await api('POST', '/reader/card', { persona: 'nobody' })).status).toBe(400);
    expect((await api('PUT', '/clock', { time: '2026-02-30T10:00:00+09:00' })).json().error).toMatch(/2026-02 has 28 days/);
  });
});

describe("the center's next answer", () => {
  it('revoked-lost: the next authentication is refused as a revoked certificate, the one after is normal', async () => {
    const chosen = await api('PUT', '/center/next', { answer: 'revoked-lost' });
    expect(chosen.json().devices.centerNext).toBe('revoked-lost');
    const toPin = async () => {
      for (const event of [{ type: 'ui.start' }, { type: 'ui.certificateService' }, { type: 'ui.chooseMedium', medium: 'card' }, { type: 'ui.acceptTerms' }]) await api('POST', '/screen/tap', { event });
      await api('POST', '/reader/card', { persona: 'kawasaki-taro' });
      await api('POST', '/screen/tap', { event: { type: 'ui.selectCity', scope: 'residence' } });
      return (await api('POST', '/screen/pin', { digits: '8642' })).json();
    };
    const refused = await toPin();
    expect(refused.view).toMatchObject({ screen: 'refused', reason: 'certificate-revoked' });
    expect(refused.devices.centerNext).toBe('normal');
    await api('DELETE', '/reader/card');
    await api('POST', '/screen/tap', { event: { type: 'ui.done' } });
    expect((await toPin()).view.screen).toBe('card-removal');
    await api('DELETE', '/reader/card');
    await api('POST', '/screen/tap', { event: { type: 'ui.cancel' } });
    await api('POST', '/screen/tap', { event: { type: 'ui.done' } });
  });

  it('the change tubes emptied and filled again (change-empty, change-refill)', async () => {
    expect(Object.values((await api('POST', '/faults', { fault: 'change-empty' })).json().devices.cash.tubes)).toEqual([0, 0, 0, 0, 0]);
    expect((await api('POST', '/faults', { fault: 'change-refill' })).json().devices.cash.tubes).toMatchObject({ 1000: 20, 500: 20, 100: 50, 50: 20, 10: 50 });
  });

  it('only the documented answers', async () => {
    const r = await api('PUT', '/center/next', { answer: 'everything-fine' });
    expect(r.status).toBe(400);
    expect(r.json().error).toMatch(/answer is one of normal, unreachable/);
  });
});

describe('trust: this machine only, JSON only, bounded', () => {
  it('another Host (DNS rebinding) or a page of another origin is 403, and nothing happened', async () => {
    const before = (await api('GET', '/status')).json().devices.cash.escrow;
    expect((await http('POST', '/api/v1/faults', { fault: 'paper-out' }, { host: 'evil.example' })).status).toBe(403);
    expect((await http('POST', '/api/v1/faults', { fault: 'paper-out' }, { origin: 'https://evil.example' })).status).toBe(403);
    const after = (await api('GET', '/status')).json().devices;
    expect(after.printer.paper).toBeGreaterThan(0);
    expect(after.cash.escrow).toBe(before);
  });

  it('a field the route does not take, or a coin no slot takes, is 400 and does nothing', async () => {
    const extra = await api('POST', '/faults', { fault: 'paper-out', extra: {} });
    expect(extra.status).toBe(400);
    expect(extra.json().error).toMatch(/takes fault, not "extra"/);
    expect((await api('GET', '/status')).json().devices.printer.paper).toBeGreaterThan(0);
    for (const yen of [-1000, 0, 1e21, 100_000]) expect((await api('POST', '/cash', { yen })).status, String(yen)).toBe(400);
    expect((await api('GET', '/journal')).json().some((r: { amount?: number }) => typeof r.amount === 'number' && (r.amount <= 0 || r.amount > 10_000))).toBe(false);
  });

  it('a request target that is a URL (absolute, or //host), two Host headers or a bracketed host with more after it is refused', async () => {
    const raw = (text: string) => new Promise<string>((done) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.end(text));
      let got = '';
      socket.on('data', (d) => (got += d));
      socket.on('close', () => done(got.split('\r\n')[0]));
    });
    const body = '{"answer":"unreachable"}';
    const put = (target: string, host: string[]) => raw(`PUT ${target} HTTP/1.1\r\n${host.map((h) => `Host: ${h}\r\n`).join('')}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    expect(await put('http://evil.example/api/v1/center/next', ['127.0.0.1'])).toMatch(/^HTTP\/1.1 400/);
    expect(await put('//evil.example/api/v1/center/next', ['127.0.0.1'])).toMatch(/^HTTP\/1.1 400/);
    expect(await put('/api/v1/center/next', ['127.0.0.1', 'evil.example'])).toMatch(/^HTTP\/1.1 400/);
    expect(await put('/api/v1/center/next', ['[::1]evil.example'])).toMatch(/^HTTP\/1.1 403/);
    expect((await api('GET', '/status')).json().devices.centerNext).toBe('normal');
  });

  it('a form post (text/plain) is 415, a body that is no JSON 400, a body over 16 KiB 413', async () => {
    expect((await http('POST', '/api/v1/faults', 'fault=paper-out', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await http('POST', '/api/v1/faults', '{"fault":', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await api('POST', '/faults', { fault: 'x'.repeat(20_000) })).status).toBe(413);
  });
});
