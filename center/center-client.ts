// The kiosk's side of `kiosk center serve`: an IssuanceCenter that asks a center process over HTTP on loopback
// (center-server.ts), as one registered terminal. Its token never travels: every call that needs the terminal is
// signed with the key derived from it (signing.ts), and every answer to such a call must carry the center's
// signature over the call's nonce, or it is CenterImpostorError ("the server at URL is not this terminal's center")
// and nothing in it is believed. A connection error, a timeout or an offline center is CenterUnreachableError, as
// for the in-process SimCenter; so are a terminal the center does not know (CenterAuthenticationError), a clock the
// center will not believe (CenterClockSkewError) and an impostor, each with a message saying what to do. A refusal
// comes back as IssuanceRefusedError or PrintedRefusedError with its reason.
import type { Holder, Municipality } from '../machine/types.ts';
import type { IssuedCertificate } from '../printer/document.ts';
import {
  CenterAuthenticationError, CenterClockSkewError, CenterImpostorError, CenterUnreachableError, ISSUE_REFUSALS, IssuanceRefusedError, PRINTED_REFUSALS, PrintedRefusedError,
  type AuthRequest, type AuthResult, type Issuance, type IssuanceCenter, type IssuanceRecord, type IssueRefusal, type IssueRequest, type PrintedRefusal, type PinResetRequest, type RegistrationRequest,
  type CardApplicationRequest, type FormAnswer, type FormCheckRequest,
} from './issuance-center.ts';
import { CENTER_SERVICE } from './center-server.ts';
import { CENTER_SIGNATURE_HEADER, keyOfToken, responseSignature, sameSignature, signRequest } from './signing.ts';
import { tokenTerminal } from './terminals.ts';

export interface CenterClientOptions {
  /** The center's address, e.g. http://127.0.0.1:8090 (as `kiosk center serve` prints it). */
  url: string;
  /**
   * This terminal's token (`kiosk center terminal add ID`), from which the key that signs its calls is derived; the
   * token itself is never sent. Without one only the open calls work (`health`, `verify`, as a receiving organization
   * uses them, unsigned); the others fail with CenterAuthenticationError.
   */
  token?: string;
  /** The terminal the token is for: the id in the token when it has one (`K01.…`), needed for an older token. */
  terminal?: string;
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
  /** The key derived from the token, kept private: never in a message, a log or a JSON dump of the client. */
  readonly #key: Buffer | null;
  /** The terminal whose key signs the calls (null without a token). */
  readonly terminal: string | null;
  /** false simulates the kiosk's link being cut: every call fails at once, without a request. */
  online = true;
  /** Whether the last answer to `verify` carried the center's signature (only a client with a token asks for one). */
  lastVerifySigned = false;

  constructor(options: CenterClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    const token = options.token || null;
    const named = token === null ? null : tokenTerminal(token);
    if (token !== null && named === undefined) throw new TypeError('CenterClient: the token is not a center token (kiosk center terminal add ID writes one)');
    if (named && options.terminal && named !== options.terminal) throw new TypeError(`CenterClient: the token is terminal ${named}'s, not ${options.terminal}'s`);
    this.terminal = token === null ? null : (named ?? options.terminal ?? null);
    if (token !== null && this.terminal === null) throw new TypeError('CenterClient: the token names no terminal: give the terminal too');
    this.#key = token === null ? null : keyOfToken(token);
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

  async registerDomicile(args: RegistrationRequest): Promise<{ city: string; usableFrom: string }> {
    const r = await this.#call('POST', '/register-domicile', args);
    return { city: String(r.city), usableFrom: String(r.usableFrom) };
  }

  async checkForm(args: FormCheckRequest): Promise<FormAnswer> {
    return (await this.#call('POST', '/check-form', args)) as unknown as FormAnswer;
  }

  async applyForCard(args: CardApplicationRequest): ReturnType<IssuanceCenter['applyForCard']> {
    return (await this.#call('POST', '/apply', args)) as unknown as Awaited<ReturnType<IssuanceCenter['applyForCard']>>;
  }

  async resetPin(args: PinResetRequest): ReturnType<IssuanceCenter['resetPin']> {
    const r = await this.#call('POST', '/reset-pin', {
      pin: args.pin, certificate: args.certificate.toString('base64'), challenge: args.challenge.toString('base64'),
      proof: { certificate: args.proof.certificate.toString('base64'), signature: args.proof.signature.toString('base64') },
      at: args.at, terminal: args.terminal,
    });
    return r.ok === true ? { ok: true } : r as unknown as Awaited<ReturnType<IssuanceCenter['resetPin']>>;
  }

  async recordPrinted(args: { verificationCode: string; pdfSha256: string }): Promise<void> {
    await this.#call('POST', '/printed', args);
  }

  /**
   * Open to anyone with the code. With a token the call is signed and so must its answer be (CenterImpostorError
   * otherwise); without one, the answer is whatever the server at the URL says (`lastVerifySigned` false).
   */
  async verify(code: string): Promise<IssuanceRecord | null> {
    this.lastVerifySigned = false;
    const r = await this.#call('POST', '/verify', { code }, this.#key !== null);
    this.lastVerifySigned = this.#key !== null;
    return (r.record as IssuanceRecord | null) ?? null;
  }

  /**
   * Whether something that calls itself the center answers at the URL (whatever its own online state); throws
   * CenterUnreachableError if nothing does. Not signed: it proves nothing, `whoami` does.
   */
  async health(): Promise<{ online: boolean }> {
    const r = await this.#call('GET', '/health', undefined, false);
    if (r.service !== CENTER_SERVICE) throw new CenterResponseError(200, `${this.url} answers, but it is not an issuance center`);
    return { online: r.online === true };
  }

  /**
   * The terminal the center takes this client's signed calls for, in a signed answer: what proves that the server at
   * the URL is this terminal's center (CenterImpostorError if not, CenterAuthenticationError when it does not know
   * the terminal's key).
   */
  async whoami(): Promise<string> {
    const r = await this.#call('GET', '/whoami');
    if (typeof r.terminal !== 'string') throw new CenterResponseError(200, `the center's answer has no terminal`);
    return r.terminal;
  }

  async #call(method: 'GET' | 'POST', path: string, body?: unknown, signed = true): Promise<Json> {
    if (!this.online) throw new CenterUnreachableError(`${this.url}: the kiosk's link to the center is cut`);
    if (signed && (!this.#key || !this.terminal)) throw new CenterAuthenticationError(this.url);
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    let nonce: string | null = null;
    if (signed) {
      const s = signRequest(this.#key!, this.terminal!, { method, path, body: payload });
      nonce = s.nonce;
      Object.assign(headers, s.headers);
    }
    let res: Response;
    let raw: Buffer;
    try {
      res = await fetch(this.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : payload,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      raw = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why = err.name === 'TimeoutError' ? `no answer within ${this.#timeoutMs / 1000} s` : err.cause?.code ?? err.cause?.message ?? err.message;
      throw new CenterUnreachableError(`${this.url}: ${why}`);
    }
    // A signed call's answer must be the center's: signed with this terminal's key over this call's nonce. Only a 401
    // comes unsigned (the center cannot sign for a terminal it does not know), and it says nothing but "no".
    if (res.status === 401) throw new CenterAuthenticationError(this.url);
    if (signed) {
      const given = res.headers.get(CENTER_SIGNATURE_HEADER) ?? undefined;
      if (!sameSignature(responseSignature(this.#key!, { nonce: nonce!, status: res.status, body: raw }), given)) {
        throw new CenterImpostorError(this.url, given === undefined ? 'its answer is not signed' : 'its answer is not signed with this terminal\'s key');
      }
    }
    if (res.status === 503) throw new CenterUnreachableError(`${this.url}: the center is offline`);
    let json: Json | null = null;
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) json = parsed as Json;
    } catch {
      json = null;
    }
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
