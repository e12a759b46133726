// Hostile HTTP requests, raw on a socket so that nothing tidies them first: path traversal out of the spool and the
// UI (fast-check over encodings and separators), malformed percent-encoding and URLs, huge headers and bodies,
// unknown methods, another Host (DNS rebinding). The answer is 4xx (or a file that lies inside its folder) and the
// server keeps serving. It listens on loopback only: asking it to bind anything else is refused.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../kiosk/clock.ts';
import { NotLoopbackError, serveKiosk } from '../../kiosk/server.ts';

type Server = Awaited<ReturnType<typeof serveKiosk>>;
let server: Server;
const dir = mkdtempSync(join(tmpdir(), 'kiosk-http-'));
const spoolDir = join(dir, 'spool');
/** Files a traversal would be after: beside the spool, in a folder whose name starts like the spool's, and /etc. */
const SECRET = 'SECRET-NOT-FOR-THE-WEB';
let requests = 0;

beforeAll(async () => {
  mkdirSync(spoolDir, { recursive: true });
  mkdirSync(join(dir, 'spool-other'), { recursive: true });
  writeFileSync(join(spoolDir, 'K01-20261124-000001-juminhyo-1of1.pdf'), '%PDF-1.7 test');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'spool-other', 'secret.txt'), SECRET);
  server = await serveKiosk({ port: 0, clock: new RealClock(), printer: 'null', spoolDir, headless: true });
});
afterAll(async () => {
  await server.close();
  console.log(`http fuzz: ${requests} hostile requests; no file outside its folder served, server alive`);
});

/** One raw request; resolves with the status code (0 when the server closed without an answer) and the body. */
function raw(request: string | Buffer, opts: { then?: Buffer | string } = {}): Promise<{ status: number; body: string }> {
  requests += 1;
  return new Promise((ok) => {
    const s = connect(server.port, '127.0.0.1', () => {
      s.write(request);
      if (opts.then) s.write(opts.then);
    });
    const chunks: Buffer[] = [];
    s.on('data', (d: Buffer) => chunks.push(d));
    s.on('error', () => undefined);
    s.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      ok({ status: m ? Number(m[1]) : 0, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    setTimeout(() => s.destroy(), 5000);
  });
}
const get = (path: string, headers = '') => raw(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n${headers}\r\n`);

async function alive(): Promise<void> {
  const r = await get('/spool/K01-20261124-000001-juminhyo-1of1.pdf');
  expect(r.status).toBe(200);
  expect(r.body).toContain('%PDF-1.7 test');
}

describe('hostile HTTP', () => {
  it('path traversal in every spelling serves nothing outside the spool or the UI', async () => {
    const dot = fc.constantFrom('..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '..%00', '%c0%ae%c0%ae', '....', '.');
    const sep = fc.constantFrom('/', '%2f', '%2F', '\\', '%5c', '//', '/./', '%00/');
    const target = fc.constantFrom('secret.txt', 'spool-other/secret.txt', 'etc/passwd', 'etc/hostname', 'proc/self/environ', 'package.json');
    const path = fc.tuple(fc.constantFrom('/spool/', '/', '/assets/', '/spool', '/api/spool/'), fc.array(fc.tuple(dot, sep).map(([d, s]) => d + s), { minLength: 1, maxLength: 8 }), target)
      .map(([start, ups, t]) => start + ups.join('') + t);
    await fc.assert(fc.asyncProperty(path, async (p) => {
      const r = await get(p);
      expect([400, 404]).toContain(r.status);
      expect(r.body).not.toContain(SECRET);
      expect(r.body).not.toContain('root:');
    }), { numRuns: 300 });
    await alive();
  }, 60_000);

  it('random request targets: 4xx or a file inside its folder, never a crash', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ maxLength: 80 }), fc.webPath(), fc.webUrl()), async (target) => {
      const clean = target.replace(/[\r\n ]/g, '');
      const r = await get(clean.startsWith('/') ? clean : `/${clean}`);
      expect(r.status === 0 || (r.status >= 200 && r.status < 500)).toBe(true);
      expect(r.body).not.toContain(SECRET);
    }), { numRuns: 300 });
    await alive();
  }, 60_000);

  it.each([
    ['a lone %', '/spool/%'], ['a broken escape', '/%E0%A4%A'], ['an absolute URL that does not parse', 'http://['],
    ['a NUL byte', '/spool/a%00.pdf'], ['an overlong name', `/spool/${'a'.repeat(10_000)}.pdf`], ['the journal with a traversal', '/api/journal/../../secret.txt'],
  ])('answers %s with 4xx', async (_what, path) => {
    const r = await get(path);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    await alive();
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'BREW'])('refuses %s with 405 (or closes)', async (method) => {
    const r = await raw(`${method} /spool/K01-20261124-000001-juminhyo-1of1.pdf HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`);
    // Node itself answers methods it does not know with 400.
    expect([400, 405]).toContain(r.status);
    await alive();
  });

  it('CONNECT and a request that is no HTTP at all close the connection, nothing more', async () => {
    expect((await raw(`CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n`)).status).not.toBe(200);
    expect((await raw(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]))).status).not.toBe(200);
    expect((await raw('\r\n\r\n\r\n')).status).not.toBe(200);
    await alive();
  });

  it('huge headers get 431, a huge body is not read', async () => {
    expect((await get('/', `X-Big: ${'a'.repeat(100_000)}\r\n`)).status).toBe(431);
    const many = Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n');
    expect([400, 431]).toContain((await get('/', `${many}\r\n`)).status);
    const body = Buffer.alloc(8 * 1024 * 1024, 0x61);
    const r = await raw(`POST /spool/x HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, { then: body });
    expect(r.status).toBe(405);
    await alive();
  }, 30_000);

  it('another Host (a DNS-rebinding page) is refused', async () => {
    const r = await raw(`GET /spool/K01-20261124-000001-juminhyo-1of1.pdf HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('%PDF');
    for (const host of ['localhost:1234', '[::1]:8080']) {
      expect((await raw(`GET /api/v1/spool HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).status).toBe(200);
    }
  });
});

describe('loopback only', () => {
  it('serves on 127.0.0.1', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com', '127.0.0.1.nip.io'])('refuses to bind %s', async (host) => {
    await expect(serveKiosk({ port: 0, host, clock: new RealClock(), printer: 'null', spoolDir, headless: true })).rejects.toBeInstanceOf(NotLoopbackError);
  });

  it('offers no flag to bind elsewhere', async () => {
    const { main } = await import('../../kiosk/cli/main.ts');
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) } as unknown as Console;
    expect(await main(['start', '--host', '0.0.0.0'], out)).toBe(2);
    expect(lines.join('\n')).toContain('unknown flag --host');
  });
});
