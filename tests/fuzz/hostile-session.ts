// Hostile cards for the fuzz tests: a CardSession that wraps a real session to a persona's virtual card and, following
// a plan that fast-check draws, answers some APDUs the way a broken card, a bad contact or a hostile card could; and
// the fast-check arbitraries that draw those plans. Used by hostile-card.test.ts.
import fc from 'fast-check';
import { ResponseApdu, type CommandApdu } from '../../reader/apdu.ts';
import { CardCommunicationError, CardRemovedError, type CardSession } from '../../reader/session.ts';
import { JpkiEf, JpkiToken, TOKEN_EF_SIZE } from '../../reader/jpki-ap.ts';

/** What happens to the answer to one APDU. */
export type AnswerMutation =
  /** The whole answer (data and status word) replaced by these bytes; fewer than 2 is a garbled answer. */
  | { kind: 'replace'; bytes: Uint8Array }
  /** The data cut to its first `keep` bytes; the status word stays. */
  | { kind: 'cut-data'; keep: number }
  /** Bytes added after the data; the status word stays. */
  | { kind: 'extra-data'; extra: Uint8Array }
  /** Another status word, with or without the data. */
  | { kind: 'status'; sw: number; keepData: boolean }
  /** The card does not answer: the reader reports a CardCommunicationError (the command never ran). */
  | { kind: 'no-answer' }
  /** The card leaves the reader: CardRemovedError now and for every later APDU of the session. */
  | { kind: 'card-removed' };

/** What is done to EF 000A, the user-authentication certificate, before the client reads it. */
export type CertificateChange =
  /** The DER header `30 82 HH LL` announces another length. */
  | { change: 'header-length'; length: number }
  /** The EF holds only the first `keep` bytes of the certificate. */
  | { change: 'truncate'; keep: number }
  /** The first two bytes are not `30 82`. */
  | { change: 'tag'; tag: [number, number] }
  /** One byte after the header XORed with `mask`: the certificate may still parse, but its signature no longer holds. */
  | { change: 'flip'; index: number; mask: number }
  /** Bytes after the certificate (real EFs are often longer than the certificate): harmless. */
  | { change: 'trailing'; extra: Uint8Array }
  /** The EF is random bytes. */
  | { change: 'garbage'; bytes: Uint8Array };

export interface HostilePlan {
  /** Mutations of the answer to the `at`-th APDU of the session (0-based), applied in order. */
  answers: Array<AnswerMutation & { at: number }>;
  /** From this APDU on, every answer is `61 sw2` ("more data waits") and never anything else. */
  stuck61?: { from: number; sw2: number };
  /** EF 0006 (token) content served instead of the card's `JPKIAPICCTOKEN2` and space padding. */
  token?: Uint8Array;
  /** A change to EF 000A before it is read. */
  certificate?: CertificateChange;
}

export const applyCertificateChange = (der: Buffer, c: CertificateChange): Buffer => {
  const copy = Buffer.from(der);
  switch (c.change) {
    case 'header-length':
      copy.writeUInt16BE(c.length, 2);
      return copy;
    case 'truncate':
      return copy.subarray(0, c.keep);
    case 'tag':
      copy[0] = c.tag[0];
      copy[1] = c.tag[1];
      return copy;
    case 'flip':
      copy[c.index] ^= c.mask;
      return copy;
    case 'trailing':
      return Buffer.concat([copy, c.extra]);
    case 'garbage':
      return Buffer.from(c.bytes);
  }
};

/**
 * How a certificate change leaves the certificate: `broken` (its framing is wrong: the kiosk must not get a card
 * summary out of it), `tampered` (it may still parse, but it is not what the CA signed: the center must refuse it) or
 * `intact` (the certificate itself is unchanged).
 */
export function certificateDamage(c: CertificateChange): 'broken' | 'tampered' | 'intact' {
  switch (c.change) {
    case 'flip':
      return 'tampered';
    case 'trailing':
      return 'intact';
    default:
      return 'broken';
  }
}

/** The token the EF holds as the spec defines it: the first 0x20 bytes, trailing padding (spaces, NULs) removed. */
export function tokenOf(content: Uint8Array): string {
  return Buffer.from(content.subarray(0, TOKEN_EF_SIZE)).toString('latin1').replace(/[\x00 ]+$/, '');
}

const splitAnswer = (raw: Buffer): { data: Buffer; sw: Buffer } => ({ data: raw.subarray(0, raw.length - 2), sw: raw.subarray(raw.length - 2) });

/** One APDU as the client saw it: the status word it got, or the error it got instead. */
export type Delivered = { command: string; sw: number; data: Buffer } | { command: string; error: 'no-answer' | 'card-removed' | 'garbled' };

/**
 * A session that lies. It keeps the reader's side of the CardSession contract (a ResponseApdu, or a
 * CardCommunicationError / CardRemovedError, as SimReader and PcscReader report them), so anything else the kiosk
 * throws is the kiosk's own doing.
 */
export class HostileSession implements CardSession {
  /** Every APDU of the session, in order, with what the client got. */
  readonly delivered: Delivered[] = [];
  readonly #inner: CardSession;
  readonly #plan: HostilePlan;
  readonly #contents = new Map<number, Buffer>();
  #currentEf: number | null = null;
  #removed = false;

  constructor(inner: CardSession, plan: HostilePlan, originalCertificate: Buffer) {
    this.#inner = inner;
    this.#plan = plan;
    if (plan.token) this.#contents.set(JpkiEf.TOKEN, Buffer.from(plan.token));
    if (plan.certificate) this.#contents.set(JpkiEf.AUTH_CERTIFICATE, applyCertificateChange(originalCertificate, plan.certificate));
  }

  get atr(): Buffer {
    return this.#inner.atr;
  }

  async transmit(command: CommandApdu): Promise<ResponseApdu> {
    const name = command.describe();
    if (this.#removed) {
      this.delivered.push({ command: name, error: 'card-removed' });
      throw new CardRemovedError();
    }
    const at = this.delivered.length;
    const mutations = this.#plan.answers.filter((m) => m.at === at);
    // A mute or removed card never runs the command (a VERIFY that gets no answer costs no try).
    for (const m of mutations) {
      if (m.kind === 'no-answer') {
        this.delivered.push({ command: name, error: 'no-answer' });
        throw new CardCommunicationError(name, null, 'the card did not answer');
      }
      if (m.kind === 'card-removed') {
        this.#removed = true;
        this.delivered.push({ command: name, error: 'card-removed' });
        throw new CardRemovedError();
      }
    }
    let raw = await this.#answer(command);
    for (const m of mutations) {
      const { data, sw } = splitAnswer(raw);
      switch (m.kind) {
        case 'replace':
          raw = Buffer.from(m.bytes);
          break;
        case 'cut-data':
          raw = Buffer.concat([data.subarray(0, m.keep), sw]);
          break;
        case 'extra-data':
          raw = Buffer.concat([data, m.extra, sw]);
          break;
        case 'status':
          raw = Buffer.concat([m.keepData ? data : Buffer.alloc(0), Buffer.from([m.sw >> 8, m.sw & 0xff])]);
          break;
      }
    }
    const stuck = this.#plan.stuck61;
    if (stuck && at >= stuck.from) raw = Buffer.from([0x61, stuck.sw2]);
    if (raw.length < 2) {
      // What both readers do with an answer too short for a status word.
      this.delivered.push({ command: name, error: 'garbled' });
      throw new CardCommunicationError(name, raw, 'the answer is too short to hold a status word');
    }
    const response = ResponseApdu.from(raw);
    this.delivered.push({ command: name, sw: response.sw, data: response.data });
    return response;
  }

  /** The real card's answer, or for READ BINARY of a replaced EF, that EF's bytes as the card would serve them. */
  async #answer(command: CommandApdu): Promise<Buffer> {
    const isReadBinary = command.cla === 0x00 && command.ins === 0xb0 && (command.p1 & 0x80) === 0;
    const content = this.#currentEf === null ? undefined : this.#contents.get(this.#currentEf);
    if (isReadBinary && content) {
      const offset = (command.p1 << 8) | command.p2;
      if (offset >= content.length) return Buffer.from([0x6b, 0x00]);
      return Buffer.concat([content.subarray(offset, offset + (command.le ?? 256)), Buffer.from([0x90, 0x00])]);
    }
    const response = await this.#inner.transmit(command);
    if (command.ins === 0xa4 && response.ok) {
      if (command.p1 === 0x04) this.#currentEf = null;
      if (command.p1 === 0x02 && command.data.length === 2) this.#currentEf = command.data.readUInt16BE(0);
    }
    return response.toBytes();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

/** Status words a card or reader may answer with: the usual ones, the odd ones, and any 16 bits at all. */
export const statusWord: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0x9000, 0x6a82, 0x6982, 0x6983, 0x6400, 0x6f00, 0x6b00, 0x6700, 0x6a86, 0x6a88, 0x6d00, 0x6e00, 0x6282, 0x6581, 0x6986),
  fc.integer({ min: 0, max: 0xff }).map((x) => 0x6100 | x), // 61xx: more data waits
  fc.integer({ min: 0, max: 0xff }).map((x) => 0x6c00 | x), // 6Cxx: wrong Le
  fc.integer({ min: 0, max: 0x0f }).map((x) => 0x63c0 | x), // 63Cx: verification failed, x tries left
  fc.integer({ min: 0, max: 0xffff }),
);

export const answerMutation = (maxAt: number): fc.Arbitrary<AnswerMutation & { at: number }> =>
  fc
    .tuple(
      fc.integer({ min: 0, max: maxAt }),
      fc.oneof(
        fc.record({ kind: fc.constant('replace' as const), bytes: fc.uint8Array({ maxLength: 300 }) }),
        fc.record({ kind: fc.constant('cut-data' as const), keep: fc.integer({ min: 0, max: 300 }) }),
        fc.record({ kind: fc.constant('extra-data' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 300 }) }),
        fc.record({ kind: fc.constant('status' as const), sw: statusWord, keepData: fc.boolean() }),
        fc.constant({ kind: 'no-answer' as const }),
        fc.constant({ kind: 'card-removed' as const }),
      ),
    )
    .map(([at, m]) => ({ at, ...m }));

const ascii = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const padded = (s: string, pad: number, size = TOKEN_EF_SIZE): Uint8Array => {
  const b = Buffer.alloc(Math.max(size, s.length), pad);
  b.write(s, 'latin1');
  return b;
};

/** EF 0006 contents: garbage, non-ASCII, other media's tokens, near misses, and the right token with odd padding. */
export const tokenContent: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.constantFrom(JpkiToken.JUKI_CARD, JpkiToken.SMARTPHONE, 'jpkiapicctoken2', ' JPKIAPICCTOKEN2', 'JPKIAPICCTOKEN2X', 'JPKIAPICCTOKEN', '').map((s) => padded(s, 0x20)),
  fc.constantFrom('ＪＰＫＩＡＰＩＣＣＴＯＫＥＮ２', 'JPKIAPICCTOKEN２', '公的個人認証').map((s) => Buffer.from(s, 'utf8')),
  fc.tuple(fc.constantFrom(0x00, 0x20, 0xff, 0x0a), fc.integer({ min: 0, max: 40 })).map(([pad, size]) => padded(JpkiToken.MY_NUMBER_CARD, pad, size)),
  fc.uint8Array({ minLength: 1, maxLength: 17 }).map((tail) => Buffer.concat([ascii(JpkiToken.MY_NUMBER_CARD), tail])),
);

export const certificateChange = (length: number): fc.Arbitrary<CertificateChange> => {
  const announced = length - 4;
  return fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).filter((n) => n !== announced).map((n) => ({ change: 'header-length' as const, length: n })),
    fc.constantFrom(announced + 1, announced - 1, 0, 0xffff).map((n) => ({ change: 'header-length' as const, length: n })),
    fc.integer({ min: 0, max: length - 1 }).map((keep) => ({ change: 'truncate' as const, keep })),
    fc.tuple(fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0xff }))
      .filter(([a, b]) => a !== 0x30 || b !== 0x82)
      .map(([a, b]) => ({ change: 'tag' as const, tag: [a, b] as [number, number] })),
    fc.tuple(fc.integer({ min: 4, max: length - 1 }), fc.integer({ min: 1, max: 0xff })).map(([index, mask]) => ({ change: 'flip' as const, index, mask })),
    fc.uint8Array({ minLength: 1, maxLength: 600 }).map((extra) => ({ change: 'trailing' as const, extra })),
    fc.uint8Array({ maxLength: 1200 }).map((bytes) => ({ change: 'garbage' as const, bytes })),
  );
};

/** A whole plan: up to `maxMutations` answer mutations at APDUs 0…maxAt, and maybe a stuck 61xx, a token, a certificate. */
export const hostilePlan = (options: { maxAt: number; certificateLength: number; maxMutations?: number }): fc.Arbitrary<HostilePlan> =>
  fc.record({
    answers: fc.array(answerMutation(options.maxAt), { maxLength: options.maxMutations ?? 3 }),
    stuck61: sometimes(1, 8, fc.record({ from: fc.integer({ min: 0, max: options.maxAt }), sw2: fc.integer({ min: 0, max: 0xff }) })),
    token: sometimes(1, 4, tokenContent),
    certificate: sometimes(1, 3, certificateChange(options.certificateLength)),
  });

/** `arb` in about `weight` of `outOf` draws, else undefined. */
const sometimes = <T>(weight: number, outOf: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: outOf - weight }, { arbitrary: arb, weight });
