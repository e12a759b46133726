// The issuance center as its own process: a small HTTP JSON API on loopback in front of a SimCenter, for kiosks
// that talk to it through a CenterClient. Buffers travel as base64 strings.
//
// It trusts nobody it has not authenticated, and no terminal's token ever travels. Every route but `GET /health`
// and `/verify` needs a call signed with a registered terminal's key (signing.ts: its id, the real time within 5
// minutes, a nonce never seen before, an HMAC over method, path, time, nonce and body; 401 otherwise, the same
// whatever was wrong) and acts as that terminal; the answer to a signed call is signed back with the same key, so a
// kiosk can tell the center from whatever else takes its port. No web page may call it: the Host header must name a
// loopback host and the center's port (a DNS-rebinding page's does not) and any Origin header is refused (403); a
// POST body must be declared `application/json` (415), which a page cannot send without asking first. `/verify`
// stays open to anyone who holds a 16-digit code (a receiving organization has no terminal key); signed, its answer
// is signed too. Every body is checked field by field before the center sees it; nothing a request carries (a key,
// a signature, a certificate, personal data) is ever logged or echoed, only the route and the status. Nothing a
// request carries can end the process: a request target that is no path is a 400, and anything that fails is a 500
// for that request alone.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CLOCK_YEARS, parseClockTime } from '../machine/rules/japan-time.ts';
import { CERTIFICATES, RESETTABLE_PINS, SCOPES, type CertificateRequest } from '../machine/types.ts';
import { checkInfoOptions, checkSubtype, type Checked } from '../machine/ui-input.ts';
import { CenterClockSkewError, CenterUnreachableError, IssuanceRefusedError, PrintedRefusedError, type IssuanceCenter } from './issuance-center.ts';
import {
  AUTH_HEADERS, CENTER_SIGNATURE_HEADER, NONCE_FORMAT, NONCE_HEADER, ReplayGuard, SIGNATURE_FORMAT, SIGNATURE_HEADER, TERMINAL_HEADER, TIME_FORMAT, TIME_HEADER,
  requestSignature, responseSignature, sameSignature,
} from './signing.ts';
import type { SimCenter } from './sim-center.ts';
import { TERMINAL_ID } from './terminals.ts';

/** The largest request body the center reads (a certificate is about 1.5 KB; an issue request far less). */
export const MAX_BODY_BYTES = 64 * 1024;
/** What /health answers with, so that a kiosk can tell the center from some other server on the port. */
export const CENTER_SERVICE = 'konbini-issuance-center';

export interface CenterServeOptions {
  /** The center; each authenticated request is served by its connection for the terminal the token names. */
  center: SimCenter;
  /** 0 picks a free port. */
  port: number;
  /** Only 127.0.0.1: the center is never reachable from another machine. */
  host?: string;
  /** One line per refused or failed request (route and status, never a body). */
  log?: (line: string) => void;
  /** The real time (ms) that signed calls are checked against (default Date.now; tests move it). */
  realTime?: () => number;
}

export interface CenterServer {
  /** e.g. http://127.0.0.1:8090 (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export class CenterHostError extends Error {
  constructor(host: string) {
    super(`The issuance center listens on 127.0.0.1 only, not on ${host}.`);
    this.name = 'CenterHostError';
  }
}

/** A request the center will not read: 400 (malformed), 413 (too large) or 415 (not declared JSON). */
class BadRequest extends Error {
  constructor(readonly status: 400 | 413 | 415, message: string) {
    super(message);
    this.name = 'BadRequest';
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Reads a JSON object's fields by name; a missing or wrong-typed field is a 400 that names it. */
class Fields {
  constructor(readonly route: string, readonly body: Json, readonly prefix = '') {}

  #bad(name: string, expected: string): never {
    const what = this.body[name] === undefined ? 'is missing' : `must be ${expected}`;
    throw new BadRequest(400, `${this.route}: field "${this.prefix}${name}" ${what}${this.body[name] === undefined ? ` (${expected})` : ''}`);
  }

  string(name: string, max = 256): string {
    const v = this.body[name];
    if (typeof v !== 'string' || v.length === 0 || v.length > max) this.#bad(name, `a non-empty string of at most ${max} characters`);
    return v;
  }

  stringOrNull(name: string, max = 256): string | null {
    if (this.body[name] === null) return null;
    const v = this.body[name];
    if (typeof v !== 'string' || v.length === 0 || v.length > max) this.#bad(name, `a non-empty string or null`);
    return v;
  }

  matching(name: string, pattern: RegExp, expected: string): string {
    const v = this.body[name];
    if (typeof v !== 'string' || !pattern.test(v)) this.#bad(name, expected);
    return v;
  }

  /** A clock time, strictly (2026-02-30 is no day) and within the kiosk clock's years. */
  time(name: string): string {
    const v = this.body[name];
    try {
      parseClockTime(v);
    } catch {
      this.#bad(name, `an ISO time with its offset between ${CLOCK_YEARS.from} and ${CLOCK_YEARS.to}, e.g. 2026-11-24T10:00:00+09:00`);
    }
    return v as string;
  }

  base64(name: string): Buffer {
    const v = this.body[name];
    if (typeof v !== 'string' || v.length === 0 || !BASE64.test(v)) this.#bad(name, 'a base64 string');
    return Buffer.from(v, 'base64');
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T {
    const v = this.body[name];
    if (typeof v !== 'string' || !values.includes(v as T)) this.#bad(name, `one of ${values.join(', ')}`);
    return v as T;
  }

  integer(name: string, min: number, max: number): number {
    const v = this.body[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.#bad(name, `a whole number from ${min} to ${max}`);
    return v;
  }

  /** Whether the body has this field. */
  has(name: string): boolean {
    return this.body[name] !== undefined;
  }

  /** A true or false that must be there. */
  boolean(name: string): boolean {
    const v = this.body[name];
    if (typeof v !== 'boolean') this.#bad(name, 'true or false');
    return v;
  }

  /** A flag that may be left out (false). */
  flag(name: string): boolean {
    const v = this.body[name];
    if (v === undefined) return false;
    if (typeof v !== 'boolean') this.#bad(name, 'true or false');
    return v;
  }

  strings(name: string): string[] {
    const v = this.body[name];
    if (!Array.isArray(v) || v.length > 64 || !v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 256)) this.#bad(name, 'a list of strings');
    return [...v];
  }

  object(name: string): Fields {
    const v = this.body[name];
    if (!isObject(v)) this.#bad(name, 'an object');
    return new Fields(this.route, v, `${this.prefix}${name}.`);
  }

  /** A value a pure check of the machine's accepts (null stays null); its problem is the 400's words. */
  checkedOrNull<T>(name: string, check: (v: unknown) => Checked<T>): T | null {
    const v = this.body[name];
    if (v === null) return null;
    const c = check(v);
    if (c.ok) return c.value;
    if (!c.field) this.#bad(name, c.problem);
    const field = `"${this.prefix}${name}.${c.field}"`;
    throw new BadRequest(400, `${this.route}: field ${field} ${c.missing ? `is missing (${c.problem})` : `is wrong (${c.problem})`}`);
  }

  objectOrNull(name: string): Fields | null {
    if (this.body[name] === null) return null;
    const v = this.body[name];
    if (!isObject(v)) this.#bad(name, 'an object or null');
    return new Fields(this.route, v, `${this.prefix}${name}.`);
  }
}

function requestOf(f: Fields): CertificateRequest {
  return {
    scope: f.oneOf('scope', SCOPES),
    city: f.string('city', 16),
    certificate: f.oneOf('certificate', CERTIFICATES),
    // The kiosk's own checks of what a screen sends, with the same limits (machine/ui-input.ts).
    subtype: f.checkedOrNull('subtype', checkSubtype),
    options: f.checkedOrNull('options', (v) => checkInfoOptions(v, { partial: true })),
    copies: f.integer('copies', 0, 1000),
    unitFee: f.integer('unitFee', 0, 1_000_000),
  };
}

const b64 = (b: Buffer) => b.toString('base64');

/**
 * The API: each route turns a checked body into a call on the center and its answer into JSON. `center` is the
 * authenticated terminal's connection; `verify` is open and asks the SimCenter itself.
 */
type Route = (center: { terminal: IssuanceCenter | null; sim: SimCenter }, body: Fields) => Promise<{ status: number; json?: unknown }>;
const asTerminal = (c: { terminal: IssuanceCenter | null }): IssuanceCenter => {
  if (!c.terminal) throw new Error('a terminal route reached without a terminal');
  return c.terminal;
};
const ROUTES: Record<string, Route> = {
  async challenge(c) {
    return { status: 200, json: { challenge: b64(await asTerminal(c).challenge()) } };
  },
  async authenticate(c, f) {
    const args = {
      certificate: f.base64('certificate'), challenge: f.base64('challenge'), signature: f.base64('signature'),
      scope: f.oneOf('scope', SCOPES), city: f.stringOrNull('city', 16), at: f.time('at'),
    };
    return { status: 200, json: await asTerminal(c).authenticate(args) };
  },
  async issue(c, f) {
    const args = {
      session: f.string('session', 128), holder: f.string('holder', 128), request: requestOf(f.object('request')), at: f.time('at'),
      terminal: f.matching('terminal', TERMINAL_ID, 'a terminal id of 1-16 letters and digits'),
    };
    return { status: 200, json: await asTerminal(c).issue(args) };
  },
  async 'register-domicile'(c, f) {
    const args = { session: f.string('session', 128), at: f.time('at'), terminal: f.matching('terminal', TERMINAL_ID, 'a terminal id of 1-16 letters and digits') };
    return { status: 200, json: await asTerminal(c).registerDomicile(args) };
  },
  async 'reset-pin'(c, f) {
    const proof = f.object('proof');
    const args = {
      pin: f.oneOf('pin', RESETTABLE_PINS), certificate: f.base64('certificate'), challenge: f.base64('challenge'),
      proof: { certificate: proof.base64('certificate'), signature: proof.base64('signature') },
      at: f.time('at'), terminal: f.matching('terminal', TERMINAL_ID, 'a terminal id of 1-16 letters and digits'),
    };
    return { status: 200, json: await asTerminal(c).resetPin(args) };
  },
  // A photo booth's calls to J-LIS (applications.ts): the form, the birth date, the application.
  async 'check-form'(c, f) {
    const args = {
      form: f.string('form', 64), ...(f.has('birthDate') ? { birthDate: f.matching('birthDate', /^\d{4}-\d\d-\d\d$/, 'a date, YYYY-MM-DD') } : {}),
      at: f.time('at'), terminal: f.matching('terminal', TERMINAL_ID, 'a terminal id of 1-16 letters and digits'),
    };
    return { status: 200, json: await asTerminal(c).checkForm(args) };
  },
  async apply(c, f) {
    const args = {
      form: f.string('form', 64), birthDate: f.matching('birthDate', /^\d{4}-\d\d-\d\d$/, 'a date, YYYY-MM-DD'),
      certificates: f.boolean('certificates'), braille: f.boolean('braille'),
      photoSha256: f.matching('photoSha256', /^[0-9a-f]{64}$/, 'a SHA-256 in hex (64 characters)'),
      at: f.time('at'), terminal: f.matching('terminal', TERMINAL_ID, 'a terminal id of 1-16 letters and digits'),
    };
    return { status: 200, json: await asTerminal(c).applyForCard(args) };
  },
  async printed(c, f) {
    const args = { verificationCode: f.string('verificationCode', 64), pdfSha256: f.matching('pdfSha256', /^[0-9a-f]{64}$/, 'a SHA-256 in hex (64 characters)') };
    await asTerminal(c).recordPrinted(args);
    return { status: 200, json: { ok: true } };
  },
  async verify(c, f) {
    return { status: 200, json: { record: await c.sim.verify(f.string('code', 64)) } };
  },
};

/** Routes anyone may call (no terminal's signature needed); the rest are a registered terminal's. */
const OPEN_ROUTES = new Set(['health', 'verify']);
/**
 * Host names that mean this machine, with the port: anything else in a Host header is a page on a rebinding domain
 * (or worse). The port must be the center's own (checked in handle).
 */
const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::(\d{1,5}))?$/i;
/** The longest request target the center reads (a verification code's path is 30 characters). */
const MAX_TARGET = 2048;

const UNAUTHENTICATED = {
  error: 'unauthenticated',
  message: 'this center serves registered terminals only: each call must be signed with the key of the token `kiosk center terminal add ID --var DIR --out FILE` wrote, '
    + 'at this machine\'s real time (within 5 minutes) and never sent twice (the kiosk: kiosk start --center URL --terminal ID --center-token FILE)',
};

/** `application/json`, with at most a UTF-8 charset: what a kiosk sends and a web page cannot without a preflight. */
function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => p === '' || /^charset="?utf-8"?$/.test(p));
}

/** The body, up to MAX_BODY_BYTES; a larger one is a 413 (read to the end and dropped, so the client sees the answer). */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > MAX_BODY_BYTES;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      // Past ten times the limit the sender is not a kiosk: stop listening to it.
      if (size > 10 * MAX_BODY_BYTES) req.destroy();
      if (!tooLarge) chunks.push(chunk);
    });
    const tooLargeError = () => new BadRequest(413, `the body is larger than ${MAX_BODY_BYTES / 1024} KB`);
    req.on('end', () => (tooLarge ? reject(tooLargeError()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
    // Destroyed above, or the client went away: nobody waits for an answer any more.
    req.on('close', () => reject(tooLarge ? tooLargeError() : new BadRequest(400, 'the body was cut short')));
  });
}

/** What the center answers; `auth` set once the call's signature was checked, and then the answer is signed. */
interface Answer {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}
/** The terminal a call was signed by, its key and the call's nonce (what the answer's signature covers). */
interface Signer {
  terminal: string;
  key: Buffer;
  nonce: string;
}
interface Context {
  center: SimCenter;
  /** The port the center listens on: a Host naming another is refused. */
  port: () => number;
  /** Real time (ms), for the signatures' window: not the center's simulated clock. */
  realTime: () => number;
  replays: ReplayGuard;
}

const answer = (status: number, json: unknown, headers?: Record<string, string>): Answer => ({ status, json, headers });
const unauthenticated = () => answer(401, UNAUTHENTICATED, { 'www-authenticate': 'KioskSignature realm="konbini-issuance-center"', connection: 'close' });

/** The header's one value; null when it came more than once. */
function single(req: IncomingMessage, name: string): string | undefined | null {
  const values = req.headersDistinct[name];
  if (!values) return undefined;
  return values.length === 1 ? values[0] : null;
}

async function handle(ctx: Context, req: IncomingMessage, call: { signer: Signer | null }): Promise<Answer> {
  const { center } = ctx;
  // The request target: a path, as a kiosk sends it. Anything else (an absolute URL, a proxy's form) is no call.
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.length > MAX_TARGET) {
    return answer(400, { error: 'bad-request', message: 'the request target must be a path, e.g. GET /health' }, { connection: 'close' });
  }
  // Only a program on this machine, naming this machine and this port: a browser page or a rebound name is refused.
  const host = single(req, 'host');
  const hostMatch = typeof host === 'string' ? LOOPBACK_HOST.exec(host) : null;
  if (!hostMatch || Number(hostMatch[1] ?? 80) !== ctx.port()) {
    return answer(403, { error: 'forbidden-host', message: 'the issuance center answers to 127.0.0.1, localhost or [::1] with its own port only' }, { connection: 'close' });
  }
  // Browsers send Origin on every cross-origin call but a simple GET; Sec-Fetch-Site they send on every request.
  if (req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined) {
    return answer(403, { error: 'forbidden-origin', message: 'the issuance center does not serve web pages' }, { connection: 'close' });
  }
  const path = target.split('?')[0];
  if (path === '/health') {
    if (req.method !== 'GET') return answer(405, { error: 'method-not-allowed', message: 'GET /health' }, { allow: 'GET' });
    return answer(200, { service: CENTER_SERVICE, online: center.online });
  }
  const verifyCode = /^\/verify\/([^/]+)$/.exec(path);
  const route = verifyCode ? 'verify' : path.slice(1);
  if (route !== 'whoami' && !Object.hasOwn(ROUTES, route)) return answer(404, { error: 'not-found', message: `no such endpoint: ${printableRoute(path)}` });
  const method = verifyCode || route === 'whoami' ? 'GET' : 'POST';
  if (req.method !== method) return answer(405, { error: 'method-not-allowed', message: `${method} /${route}` }, { allow: method });
  // Who is asking: a registered terminal that signed the call, or nobody (the open routes, unsigned).
  if (AUTH_HEADERS.some((h) => single(req, h) === null)) return unauthenticated();
  const claimed = {
    terminal: single(req, TERMINAL_HEADER), time: single(req, TIME_HEADER), nonce: single(req, NONCE_HEADER), signature: single(req, SIGNATURE_HEADER),
  };
  const signed = Object.values(claimed).some((v) => v !== undefined);
  if (!signed && !OPEN_ROUTES.has(route)) return unauthenticated();
  let key: Buffer | null = null;
  if (signed) {
    const { terminal, time, nonce, signature } = claimed;
    key = typeof terminal === 'string' ? center.terminals.keyOf(terminal) : null;
    if (!key || typeof time !== 'string' || !TIME_FORMAT.test(time) || !ctx.replays.fresh(Number(time), ctx.realTime())
      || typeof nonce !== 'string' || !NONCE_FORMAT.test(nonce) || typeof signature !== 'string' || !SIGNATURE_FORMAT.test(signature)) {
      return unauthenticated();
    }
  }
  if (method === 'POST' && !isJson(req.headers['content-type'])) {
    return answer(415, { error: 'unsupported-media-type', message: `${route}: send the body as Content-Type: application/json` }, { connection: 'close' });
  }
  let raw: Buffer = Buffer.alloc(0);
  try {
    if (method === 'POST') raw = await readBody(req);
  } catch (e) {
    if (e instanceof BadRequest) return answer(e.status, { error: e.status === 413 ? 'too-large' : 'bad-request', message: e.message }, { connection: 'close' });
    throw e;
  }
  if (signed) {
    const { terminal, time, nonce, signature } = claimed as Record<string, string>;
    // The signature covers the call whole (method, target, time, nonce, body); a nonce is taken once.
    const expected = requestSignature(key!, { method, path: target, time, nonce, body: raw });
    if (!sameSignature(expected, signature) || !ctx.replays.take(terminal, nonce, Number(time), ctx.realTime())) return unauthenticated();
    call.signer = { terminal, key: key!, nonce };
  }
  const terminal = call.signer?.terminal ?? null;
  if (route === 'whoami') return answer(200, { terminal });
  let body: Json;
  try {
    if (verifyCode) {
      body = { code: decodeURIComponent(verifyCode[1]) };
    } else {
      let parsed: unknown;
      try {
        parsed = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      } catch {
        throw new BadRequest(400, `${route}: the body is not valid JSON`);
      }
      if (!isObject(parsed)) throw new BadRequest(400, `${route}: the body must be a JSON object`);
      body = parsed;
    }
  } catch (e) {
    if (e instanceof BadRequest) return answer(e.status, { error: 'bad-request', message: e.message }, { connection: 'close' });
    if (e instanceof URIError) return answer(400, { error: 'bad-request', message: 'verify: the code in the path is not valid' });
    throw e;
  }
  if (!center.online) return answer(503, { error: 'center-offline', message: 'the issuance center is offline' });
  // The open route asks the center itself; the others go through the authenticated terminal's connection.
  try {
    const { status, json } = await ROUTES[route]({ terminal: terminal && !OPEN_ROUTES.has(route) ? center.connectAs(terminal) : null, sim: center }, new Fields(route, body));
    return answer(status, json);
  } catch (e) {
    if (e instanceof BadRequest) return answer(e.status, { error: 'bad-request', message: e.message });
    if (e instanceof IssuanceRefusedError) return answer(409, { error: 'issuance-refused', refusal: e.refusal, detail: e.detail });
    if (e instanceof PrintedRefusedError) return answer(409, { error: 'printed-refused', reason: e.reason, message: e.message });
    if (e instanceof CenterClockSkewError) {
      return answer(409, { error: 'clock-skew', centerTime: e.centerTime, terminalTime: e.terminalTime, message: e.message });
    }
    if (e instanceof CenterUnreachableError) return answer(503, { error: 'center-offline', message: 'the issuance center is offline' });
    throw e;
  }
}

/** Writes the answer; one to a signed call is signed with that terminal's key, over the call's nonce. */
function send(res: ServerResponse, a: Answer, signer: Signer | null): void {
  const text = Buffer.from(JSON.stringify(a.json), 'utf8');
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8', 'content-length': String(text.length), 'cache-control': 'no-store', ...a.headers,
  };
  if (signer) headers[CENTER_SIGNATURE_HEADER] = responseSignature(signer.key, { nonce: signer.nonce, status: a.status, body: text });
  res.writeHead(a.status, headers);
  res.end(text);
}

/** A path for the log and messages: control characters escaped, a verification code left out, at most 64 characters. */
function printableRoute(target: string | undefined): string {
  if (typeof target !== 'string' || !target.startsWith('/')) return '(not a path)';
  const path = target.split('?')[0].replace(/^\/verify\/.*/, '/verify/…');
  return path.slice(0, 64).replace(/[^\x21-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Serves the center on 127.0.0.1; resolves once it listens (rejects with EADDRINUSE and the like). */
export async function serveCenter(options: CenterServeOptions): Promise<CenterServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new CenterHostError(host);
  const { center, log } = options;
  let port = options.port;
  const ctx: Context = { center, port: () => port, realTime: options.realTime ?? Date.now, replays: new ReplayGuard() };
  const http = createServer((req, res) => {
    // Nothing a request carries may end the process: whatever fails is a 500 for this request alone.
    const call: { signer: Signer | null } = { signer: null };
    let route = '(unreadable)';
    const method = String(req.method).slice(0, 16);
    const done = (status: number, note = '') => {
      if (status >= 400) log?.(`${method} ${route} → ${status}${note}`);
    };
    const failed = (e: unknown) => {
      // The error's name only: its message may quote what was sent.
      done(500, ` (${String((e as Error)?.name ?? 'Error').replace(/\W/g, '').slice(0, 40) || 'Error'})`);
      try {
        if (!res.headersSent) send(res, answer(500, { error: 'internal', message: 'the center could not handle the request' }), call.signer);
        else res.destroy();
      } catch {
        res.destroy();
      }
    };
    try {
      // The route only: a path may carry a verification code (a signature or a body is never logged).
      route = printableRoute(req.url);
      handle(ctx, req, call).then(
        (a) => {
          send(res, a, call.signer);
          done(a.status);
        },
        failed,
      ).catch(failed);
    } catch (e) {
      failed(e);
    }
  });
  // Kiosks keep connections open between calls; a short idle timeout lets a stopped center go at once.
  http.keepAliveTimeout = 5_000;
  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(options.port, host, () => {
      http.off('error', fail);
      ok();
    });
  });
  const address = http.address();
  port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((ok) => {
        http.close(() => ok());
        http.closeAllConnections();
      }),
  };
}
