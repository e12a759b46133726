// The kiosk's side of `kiosk center serve`: an IssuanceCenter that asks a center process over HTTP on loopback
// (center-server.ts), as one registered terminal (its bearer token goes with every call that needs it). A connection
// error, a timeout or an offline center is CenterUnreachableError, as for the in-process SimCenter; so are a token
// the center does not accept (CenterAuthenticationError) and a clock the center will not believe
// (CenterClockSkewError), each with a message saying what to do. A refusal comes back as IssuanceRefusedError or
// PrintedRefusedError with its reason.
import type { Holder, Municipality } from '../machine/types.ts';
import type { IssuedCertificate } from '../printer/document.ts';
import {
  CenterAuthenticationError, CenterClockSkewError, CenterUnreachableError, ISSUE_REFUSALS, IssuanceRefusedError, PRINTED_REFUSALS, PrintedRefusedError,
  type AuthRequest, type AuthResult, type Issuance, type IssuanceCenter, type IssuanceRecord, type IssueRefusal, type IssueRequest, type PrintedRefusal,
} from './issuance-center.ts';
import { CENTER_SERVICE } from './center-server.ts';

export interface CenterClientOptions {
  /** The center's address, e.g. http://127.0.0.1:8090 (as `kiosk center serve` prints it). */
  url: string;
  /**
   * This terminal's token (`kiosk center terminal add ID`). Without one only the open calls work (`health`,
   * `verify`, as a receiving organization uses them); the others fail with CenterAuthenticationError.
   */
  token?: string;
  /** How long a call may wait for its answer (default 5 s). */
  timeoutMs?: number;
}

/** The center answered, but not as the API says (a 400, a 500, something that is not the center). */
export class CenterResponseError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'CenterResponseError';
  }
}

type Json = Record<string, unknown>;

export class CenterClient implements IssuanceCenter {
  readonly url: string;
  readonly #timeoutMs: number;
  /** Kept private: never in a message, a log or a JSON dump of the client. */
  readonly #token: string | null;
  /** false simulates the kiosk's link being cut: every call fails at once, without a request. */
  online = true;

  constructor(options: CenterClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#token = options.token ?? null;
  }

  async challenge(): Promise<Buffer> {
    const r = await this.#call('POST', '/challenge', {});
    return fromBase64(r.challenge, 'challenge');
  }

  async authenticate(args: AuthRequest): Promise<AuthResult> {
    const r = await this.#call('POST', '/authenticate', {
      certificate: args.certificate.toString('base64'), challenge: args.challenge.toString('base64'), signature: args.signature.toString('base64'),
      scope: args.scope, city: args.city, at: args.at,
    });
    if (r.ok === true) return { ok: true, holder: r.holder as Holder, city: r.city as Municipality, session: String(r.session) };
    return r as unknown as AuthResult;
  }

  async issue(args: IssueRequest): Promise<Issuance> {
    const r = await this.#call('POST', '/issue', args);
    return { issuanceNumber: String(r.issuanceNumber), certificates: r.certificates as IssuedCertificate[] };
  }

  async recordPrinted(args: { verificationCode: string; pdfSha256: string }): Promise<void> {
    await this.#call('POST', '/printed', args);
  }

  /** Open to anyone with the code: no token is sent. */
  async verify(code: string): Promise<IssuanceRecord | null> {
    const r = await this.#call('POST', '/verify', { code }, false);
    return (r.record as IssuanceRecord | null) ?? null;
  }

  /**
   * Whether a center answers at the URL (whatever its own online state); throws CenterUnreachableError if not. No
   * token is sent: this is how the kiosk makes sure it talks to the center before it shows it its token.
   */
  async health(): Promise<{ online: boolean }> {
    const r = await this.#call('GET', '/health', undefined, false);
    if (r.service !== CENTER_SERVICE) throw new CenterResponseError(200, `${this.url} answers, but it is not an issuance center`);
    return { online: r.online === true };
  }

  /** The terminal the center takes this client's token for (CenterAuthenticationError when it takes it for none). */
  async whoami(): Promise<string> {
    const r = await this.#call('GET', '/whoami');
    if (typeof r.terminal !== 'string') throw new CenterResponseError(200, `the center's answer has no terminal`);
    return r.terminal;
  }

  async #call(method: 'GET' | 'POST', path: string, body?: unknown, authenticated = true): Promise<Json> {
    if (!this.online) throw new CenterUnreachableError(`${this.url}: the kiosk's link to the center is cut`);
    if (authenticated && !this.#token) throw new CenterAuthenticationError(this.url);
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authenticated) headers.authorization = `Bearer ${this.#token}`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why = err.name === 'TimeoutError' ? `no answer within ${this.#timeoutMs / 1000} s` : err.cause?.code ?? err.cause?.message ?? err.message;
      throw new CenterUnreachableError(`${this.url}: ${why}`);
    }
    if (res.status === 503) throw new CenterUnreachableError(`${this.url}: the center is offline`);
    let json: Json | null = null;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) json = parsed as Json;
    } catch {
      json = null;
    }
    if (res.status === 401) throw new CenterAuthenticationError(this.url);
    if (res.status === 409 && json && ISSUE_REFUSALS.includes(json.refusal as IssueRefusal)) {
      throw new IssuanceRefusedError(json.refusal as IssueRefusal, String(json.detail ?? ''));
    }
    if (res.status === 409 && json?.error === 'printed-refused' && PRINTED_REFUSALS.includes(json.reason as PrintedRefusal)) {
      throw new PrintedRefusedError(json.reason as PrintedRefusal);
    }
    if (res.status === 409 && json?.error === 'clock-skew' && typeof json.centerTime === 'string' && typeof json.terminalTime === 'string') {
      throw new CenterClockSkewError(json.centerTime, json.terminalTime);
    }
    if (res.status !== 200 || !json) {
      const message = typeof json?.message === 'string' ? json.message : `HTTP ${res.status}${json ? '' : ', not JSON'}`;
      throw new CenterResponseError(res.status, `The issuance center at ${this.url} answered ${method} ${path.replace(/^\/verify\/.*/, '/verify')} with ${res.status}: ${message}`);
    }
    return json;
  }
}

function fromBase64(v: unknown, what: string): Buffer {
  if (typeof v !== 'string') throw new CenterResponseError(200, `the center's answer has no ${what}`);
  return Buffer.from(v, 'base64');
}
