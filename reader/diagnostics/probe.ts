// The reader probe: one pass over a card that tells a reader vendor what the kiosk will find — the ATR decoded, which
// APs answer, the user-authentication certificate, the PIN counters, whether extended APDUs get through, and how long
// every APDU took. It only reads: PIN counters come from the empty VERIFY (which never spends a try) and a VERIFY or
// CHANGE REFERENCE DATA with data is refused before it reaches the card. The output format is reader/diagnostics/PROBE.md.
import { X509Certificate, createHash } from 'node:crypto';
import { CommandApdu, StatusWord, describeStatusWord, swHex, type ResponseApdu } from '../apdu.ts';
import { decodeAtr, MalformedAtrError, type DecodedAtr } from './atr.ts';
import { CARD_INFO_PIN_MAX_TRIES, CardInfoEf, MATCHING_NUMBER_MAX_TRIES } from '../card-info-ap.ts';
import { CARD_SURFACE_AP_AID, CardSurfaceEf } from '../card-surface-ap.ts';
import { JUKI_AP_AID, JUKI_PIN_MAX_TRIES, JukiEf } from '../juki-ap.ts';
import { AUTH_PIN_MAX_TRIES, CARD_INFO_INPUT_SUPPORT_AP_AID, JPKI_AP_AID, JpkiEf, JpkiToken, SIGN_PIN_MAX_TRIES, TOKEN_EF_SIZE } from '../jpki-ap.ts';
import { CardCommunicationError, CardRemovedError, type CardSession } from '../session.ts';

export const PROBE_FORMAT = 'kiosk-reader-probe/1';

export type ProbeCardType = 'my-number-card' | 'juki-card' | 'smartphone' | 'no-jpki' | 'unknown';

export interface ApplicationProbe {
  /** Stable ASCII id: jpki, card-info-input, card-surface, juki, unknown-0401. */
  id: string;
  name: string;
  /** AID as upper-case hex without spaces. */
  aid: string;
  /** SELECT by AID with P2=0C answered 9000. */
  present: boolean;
  /** The SELECT's status word; null when the exchange failed. */
  sw: string | null;
}

export interface CertificateProbe {
  efid: string;
  /** Bytes read (the whole certificate when error is null). */
  bytes: number;
  /** SHA-256 fingerprint as colon-separated hex (openssl's form); null when the read was incomplete. */
  sha256: string | null;
  subject: string | null;
  issuer: string | null;
  /** Serial number, upper-case hex. */
  serialNumber: string | null;
  /** ISO 8601 UTC. */
  notBefore: string | null;
  notAfter: string | null;
  /** e.g. "RSA 2048". */
  publicKey: string | null;
  /** Why the certificate could not be read or parsed; null when all went well. */
  error: string | null;
}

export type PinState = 'available' | 'locked' | 'verified' | 'absent' | 'unexpected';

export interface PinProbe {
  /** Stable ASCII id: jpki-auth, jpki-sign, card-info-input(-a, -b), card-surface-a, card-surface-b, juki. */
  id: string;
  name: string;
  /** The AP (an ApplicationProbe id) that holds the PIN EF. */
  ap: string;
  efid: string;
  maxTries: number;
  /** From 63Cx (6983 counts as 0); null when the counter could not be read. */
  triesLeft: number | null;
  state: PinState;
  /** Status word of the last command of this PIN's step (the empty VERIFY, or the SELECT that failed); null when nothing was sent. */
  sw: string | null;
  detail: string;
}

export interface ExtendedApduProbe {
  /** null: not tested (no certificate to read). */
  supported: boolean | null;
  detail: string;
  sw: string | null;
  responseBytes: number | null;
  /** What the ATR's card capabilities say about extended Lc/Le; null when the ATR has no such object. */
  atrAnnounces: boolean | null;
  /** What is known about this reader's driver and extended APDUs (e.g. Debian's vpcd); null for other readers. */
  readerNote: string | null;
}

export interface ApduRecord {
  /** 1-based position in the exchange order. */
  n: number;
  /** What the probe was doing, e.g. "SELECT EF 000A". */
  step: string;
  /** CLA INS P1 P2 as hex, e.g. "00A4040C". The data field is never recorded. */
  command: string;
  /** Length of the data field (Nc); null without one. */
  lc: number | null;
  /** Ne, the bytes expected (256 for a short 00, 65536 for an extended 00 00); null without Le. */
  le: number | null;
  extended: boolean;
  /** null when the exchange failed (see error). */
  sw: string | null;
  /** Response data bytes, without SW1 SW2. */
  responseBytes: number;
  /** Wall time of the transmit, measured with performance.now() around it. */
  ms: number;
  error: string | null;
}

export interface MalformedAtrReport {
  hex: string;
  error: string;
}

export interface ProbeReport {
  format: typeof PROBE_FORMAT;
  /** ISO 8601 UTC, when the probe started. */
  generatedAt: string;
  reader: string;
  /** The decoded ATR, or { hex, error } when it is malformed. */
  atr: DecodedAtr | MalformedAtrReport;
  cardType: ProbeCardType;
  /** EF 0006 of the JPKI AP, trailing padding removed; null when not read. */
  token: string | null;
  applications: ApplicationProbe[];
  userCertificate: CertificateProbe | null;
  pins: PinProbe[];
  extendedApdu: ExtendedApduProbe;
  apdus: ApduRecord[];
  totals: { apdus: number; ms: number; meanMsPerApdu: number | null };
  /** Anything unexpected that is not a field above, in plain words. */
  notes: string[];
}

export interface ProbeOptions {
  /** The reader's name as the report shows it. */
  readerName?: string;
  /** Milliseconds clock for the APDU times; default performance.now. */
  timer?: () => number;
  /** When the probe runs; default the real time. */
  now?: () => Date;
}

/** A VERIFY or CHANGE REFERENCE DATA with data reached the probe's transmit: refused, so no PIN can be sent. */
export class ProbeSafetyError extends Error {
  override readonly name = 'ProbeSafetyError';
}

/** The card left the reader during the probe; apdus holds what was exchanged until then. */
export class ProbeInterruptedError extends Error {
  override readonly name = 'ProbeInterruptedError';
  readonly apdus: ApduRecord[];
  constructor(step: string, apdus: ApduRecord[], cause: unknown) {
    super(`the card left the reader during the probe (at "${step}", after ${apdus.length} APDU(s)); place it again, keep it still, and re-run the probe`, { cause });
    this.apdus = apdus;
  }
}

/** The APs of spec §1, in its order. */
export const KNOWN_APPLICATIONS: ReadonlyArray<{ id: string; name: string; aid: Buffer }> = [
  { id: 'jpki', name: '公的個人認証AP (JPKI)', aid: JPKI_AP_AID },
  { id: 'card-info-input', name: '券面事項入力補助AP', aid: CARD_INFO_INPUT_SUPPORT_AP_AID },
  { id: 'card-surface', name: '券面事項確認AP', aid: CARD_SURFACE_AP_AID },
  { id: 'juki', name: '住基AP', aid: JUKI_AP_AID },
  { id: 'unknown-0401', name: 'unknown AP …0401 (purpose unconfirmed)', aid: Buffer.from('D3921000310001010401', 'hex') },
];

/** The PINs whose counters the probe reads, in the order of the report. */
const PINS = [
  { id: 'jpki-auth', name: 'JPKI user-authentication PIN (利用者証明用暗証番号)', ap: 'jpki', efid: JpkiEf.AUTH_PIN, maxTries: AUTH_PIN_MAX_TRIES },
  { id: 'jpki-sign', name: 'JPKI signature password (署名用パスワード)', ap: 'jpki', efid: JpkiEf.SIGN_PIN, maxTries: SIGN_PIN_MAX_TRIES },
  { id: 'card-info-input', name: '券面事項入力補助用暗証番号', ap: 'card-info-input', efid: CardInfoEf.PIN, maxTries: CARD_INFO_PIN_MAX_TRIES },
  { id: 'card-info-input-a', name: '券面事項入力補助AP 照合番号A (the My Number)', ap: 'card-info-input', efid: CardInfoEf.PIN_A, maxTries: MATCHING_NUMBER_MAX_TRIES },
  { id: 'card-info-input-b', name: '券面事項入力補助AP 照合番号B (birth, expiry year, security code)', ap: 'card-info-input', efid: CardInfoEf.PIN_B, maxTries: MATCHING_NUMBER_MAX_TRIES },
  { id: 'card-surface-a', name: '券面事項確認AP 照合番号A (the My Number)', ap: 'card-surface', efid: CardSurfaceEf.PIN_A, maxTries: MATCHING_NUMBER_MAX_TRIES },
  { id: 'card-surface-b', name: '券面事項確認AP 照合番号B (birth, expiry year, security code)', ap: 'card-surface', efid: CardSurfaceEf.PIN_B, maxTries: MATCHING_NUMBER_MAX_TRIES },
  { id: 'juki', name: '住民基本台帳用暗証番号', ap: 'juki', efid: JukiEf.PIN, maxTries: JUKI_PIN_MAX_TRIES },
] as const;
type PinId = (typeof PINS)[number]['id'];

const TOKEN_TYPES: Readonly<Record<string, ProbeCardType>> = {
  [JpkiToken.MY_NUMBER_CARD]: 'my-number-card',
  [JpkiToken.JUKI_CARD]: 'juki-card',
  [JpkiToken.SMARTPHONE]: 'smartphone',
};

/** Short-APDU chunk size, as OpenSC reads certificates. */
const READ_CHUNK = 256;
/** READ BINARY offsets are 15 bits. */
const MAX_OFFSET = 0x7fff;
/** Ne of an extended Le `00 00` (spec §2.3, jsapdu). */
const EXTENDED_LE = 0x10000;

const fidHex = (fid: number): string => fid.toString(16).toUpperCase().padStart(4, '0');
const round2 = (ms: number): number => Math.round(ms * 100) / 100;
const hexOf = (b: Buffer): string => b.toString('hex').toUpperCase();
/** openssl's and X509Certificate.fingerprint256's form: "AB:CD:…". */
const colonHex = (b: Buffer): string => hexOf(b).replace(/(..)(?!$)/g, '$1:');

const selectAid = (aid: Buffer): CommandApdu => new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid });
const selectEf = (fid: number): CommandApdu => new CommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Buffer.from([fid >> 8, fid & 0xff]) });
const readBinary = (offset: number, le: number): CommandApdu => new CommandApdu({ cla: 0x00, ins: 0xb0, p1: (offset >> 8) & 0x7f, p2: offset & 0xff, le });
/** The retry-counter query: VERIFY with no data (case 1) answers 63Cx and never costs a try (spec §2.4). */
const emptyVerify = (): CommandApdu => new CommandApdu({ cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 });

/** Reads one card; see probeCard. */
class Prober {
  readonly #session: CardSession;
  readonly #timer: () => number;
  readonly #readerName: string;
  readonly apdus: ApduRecord[] = [];
  readonly notes: string[] = [];

  constructor(session: CardSession, options: ProbeOptions) {
    this.#session = session;
    this.#timer = options.timer ?? (() => performance.now());
    this.#readerName = options.readerName ?? 'unnamed reader';
  }

  /** One exchange, recorded; null when it failed on the way (the record says why). Card removal ends the probe. */
  async send(step: string, command: CommandApdu): Promise<ResponseApdu | null> {
    // The probe's own promise: a PIN never leaves it, whatever a later edit of this file tries to send.
    if ((command.ins === 0x20 || command.ins === 0x24) && command.data.length > 0) {
      throw new ProbeSafetyError(`the probe refuses to send ${command.name} with data (${step}): it must only use the empty VERIFY`);
    }
    const record: ApduRecord = {
      n: this.apdus.length + 1,
      step,
      command: hexOf(Buffer.from([command.cla, command.ins, command.p1, command.p2])),
      lc: command.data.length > 0 ? command.data.length : null,
      le: command.le ?? null,
      extended: command.extended,
      sw: null,
      responseBytes: 0,
      ms: 0,
      error: null,
    };
    this.apdus.push(record);
    const start = this.#timer();
    try {
      const response = await this.#session.transmit(command);
      record.ms = round2(this.#timer() - start);
      record.sw = swHex(response.sw);
      record.responseBytes = response.data.length;
      return response;
    } catch (error) {
      record.ms = round2(this.#timer() - start);
      record.error = (error as Error).message ?? String(error);
      if (error instanceof CardRemovedError) throw new ProbeInterruptedError(step, this.apdus, error);
      if (error instanceof CardCommunicationError) return null;
      throw error;
    }
  }

  async run(now: Date): Promise<ProbeReport> {
    const atr = this.#atr();
    const applications: ApplicationProbe[] = [];
    for (const app of KNOWN_APPLICATIONS) {
      const r = await this.send(`SELECT AP ${hexOf(app.aid)} (${app.id})`, selectAid(app.aid));
      applications.push({ id: app.id, name: app.name, aid: hexOf(app.aid), present: r?.sw === StatusWord.OK, sw: r ? swHex(r.sw) : null });
    }
    const present = (id: string) => applications.find((a) => a.id === id)!;
    const pins = new Map<string, PinProbe>();

    // The other APs' PINs first and the JPKI AP's last, so the probe leaves the JPKI AP selected, as a kiosk expects it.
    for (const apId of ['card-info-input', 'card-surface', 'juki']) {
      const app = present(apId);
      const ids = PINS.filter((p) => p.ap === apId).map((p) => p.id);
      for (const [id, probe] of app.present ? await this.#pinsInAp(ids, app) : ids.map((id) => [id, absentPin(id, app)] as const)) pins.set(id, probe);
    }

    let cardType: ProbeCardType = 'unknown';
    let token: string | null = null;
    let userCertificate: CertificateProbe | null = null;
    let extendedApdu: ExtendedApduProbe = {
      supported: null,
      detail: 'not tested: the card has no user-authentication certificate to read',
      sw: null,
      responseBytes: null,
      atrAnnounces: 'error' in atr ? null : (atr.historicalBytes.cardCapabilities?.extendedLcLe ?? null),
      readerNote: readerNote(this.#readerName),
    };
    const jpki = present('jpki');
    if (!jpki.present) {
      cardType = jpki.sw === '6A82' ? 'no-jpki' : 'unknown';
      if (jpki.sw !== '6A82') this.notes.push(`SELECT of the JPKI AP answered ${jpki.sw ? describeStatusWord(parseInt(jpki.sw, 16)) : 'nothing'}, not 6A82: the card type cannot be told`);
      for (const id of ['jpki-auth', 'jpki-sign'] as const) pins.set(id, absentPin(id, jpki));
    } else {
      const r = await this.send('SELECT AP D392F000260100000001 (jpki)', selectAid(JPKI_AP_AID));
      if (r?.sw !== StatusWord.OK) {
        this.notes.push(`the JPKI AP answered 9000 once, then ${r ? describeStatusWord(r.sw) : 'nothing'} when selected again`);
        for (const id of ['jpki-auth', 'jpki-sign'] as const) pins.set(id, absentPin(id, jpki));
      } else {
        token = await this.#token();
        cardType = token === null ? 'unknown' : (TOKEN_TYPES[token] ?? 'unknown');
        if (token !== null && cardType === 'unknown') this.notes.push(`token EF 0006 holds "${token}", which is none of the known JPKI tokens`);
        const certificate = await this.#certificate();
        userCertificate = certificate?.probe ?? null;
        if (certificate?.der) extendedApdu = await this.#extended(certificate.der, extendedApdu.atrAnnounces);
        for (const id of ['jpki-auth', 'jpki-sign'] as const) pins.set(id, await this.#pin(id));
      }
    }

    const ms = round2(this.apdus.reduce((sum, a) => sum + a.ms, 0));
    return {
      format: PROBE_FORMAT,
      generatedAt: now.toISOString(),
      reader: this.#readerName,
      atr,
      cardType,
      token,
      applications,
      userCertificate,
      pins: PINS.map((p) => pins.get(p.id)!),
      extendedApdu,
      apdus: this.apdus,
      totals: { apdus: this.apdus.length, ms, meanMsPerApdu: this.apdus.length ? round2(ms / this.apdus.length) : null },
      notes: this.notes,
    };
  }

  #atr(): DecodedAtr | MalformedAtrReport {
    try {
      const decoded = decodeAtr(this.#session.atr);
      for (const w of decoded.warnings) this.notes.push(`ATR: ${w}`);
      return decoded;
    } catch (error) {
      if (!(error instanceof MalformedAtrError)) throw error;
      this.notes.push(`ATR: ${error.message}`);
      return { hex: this.#session.atr.length ? hexOf(this.#session.atr).replace(/(..)(?!$)/g, '$1 ') : '', error: error.message };
    }
  }

  async #token(): Promise<string | null> {
    const selected = await this.send('SELECT EF 0006 (token)', selectEf(JpkiEf.TOKEN));
    if (selected?.sw !== StatusWord.OK) {
      this.notes.push(`token EF 0006 could not be selected (${selected ? describeStatusWord(selected.sw) : 'no answer'})`);
      return null;
    }
    const r = await this.send('READ BINARY EF 0006 (token)', readBinary(0, TOKEN_EF_SIZE));
    if (r?.sw !== StatusWord.OK) {
      this.notes.push(`token EF 0006 could not be read (${r ? describeStatusWord(r.sw) : 'no answer'})`);
      return null;
    }
    // Padding is spaces on this emulator and UNCONFIRMED on real cards (spec §2.1): strip NUL, space and FF alike.
    return r.data.toString('latin1').replace(/[\x00 \xff]+$/, '');
  }

  /** EF 000A as OpenSC reads it: the 4-byte DER header, then ≤256-byte short reads. null when the EF is not there. */
  async #certificate(): Promise<{ probe: CertificateProbe; der: Buffer | null } | null> {
    const efid = fidHex(JpkiEf.AUTH_CERTIFICATE);
    const selected = await this.send(`SELECT EF ${efid} (user-authentication certificate)`, selectEf(JpkiEf.AUTH_CERTIFICATE));
    if (selected?.sw === StatusWord.FILE_NOT_FOUND) {
      this.notes.push(`EF ${efid} (user-authentication certificate) is not on the card: SELECT answered 6A82`);
      return null;
    }
    const failed = (bytes: number, error: string) => ({
      probe: { efid, bytes, sha256: null, subject: null, issuer: null, serialNumber: null, notBefore: null, notAfter: null, publicKey: null, error },
      der: null,
    });
    if (selected?.sw !== StatusWord.OK) return failed(0, `SELECT EF ${efid} answered ${selected ? describeStatusWord(selected.sw) : 'nothing'}`);
    const step = `READ BINARY EF ${efid}`;
    const head = await this.send(`${step} (DER header)`, readBinary(0, 4));
    if (head?.sw !== StatusWord.OK) return failed(0, `reading the header answered ${head ? describeStatusWord(head.sw) : 'nothing'}`);
    const total = derTotalLength(head.data);
    if (total === null) return failed(head.data.length, `the EF does not start with a DER SEQUENCE header (got ${hexOf(head.data) || 'no data'})`);
    if (total > MAX_OFFSET + 1) return failed(head.data.length, `the header announces ${total} bytes, more than READ BINARY can address`);
    const chunks: Buffer[] = [head.data.subarray(0, Math.min(head.data.length, total))];
    let offset = chunks[0]!.length;
    while (offset < total) {
      const want = Math.min(READ_CHUNK, total - offset);
      const r = await this.send(`${step} at ${offset}`, readBinary(offset, want));
      if (r?.sw !== StatusWord.OK) return failed(offset, `READ BINARY at offset ${offset} answered ${r ? describeStatusWord(r.sw) : 'nothing'}`);
      if (r.data.length === 0) return failed(offset, `READ BINARY at offset ${offset} returned no data with 9000`);
      if (r.data.length !== want) this.notes.push(`READ BINARY at offset ${offset} asked for ${want} bytes and got ${r.data.length}`);
      chunks.push(r.data.subarray(0, total - offset));
      offset += Math.min(r.data.length, total - offset);
    }
    const der = Buffer.concat(chunks);
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(der);
    } catch (error) {
      // Still fingerprinted: a vendor can compare the bytes with what another tool read.
      const probe = failed(der.length, `the ${der.length} bytes read are not an X.509 certificate (${(error as Error).message})`).probe;
      return { probe: { ...probe, sha256: colonHex(createHash('sha256').update(der).digest()) }, der };
    }
    const key = certificate.publicKey;
    const bits = key.asymmetricKeyDetails?.modulusLength;
    return {
      probe: {
        efid,
        bytes: der.length,
        sha256: certificate.fingerprint256,
        subject: oneLineName(certificate.subject),
        issuer: oneLineName(certificate.issuer),
        serialNumber: certificate.serialNumber.toUpperCase(),
        notBefore: new Date(certificate.validFrom).toISOString(),
        notAfter: new Date(certificate.validTo).toISOString(),
        publicKey: `${(key.asymmetricKeyType ?? 'unknown').toUpperCase()}${bits ? ` ${bits}` : ''}`,
        error: null,
      },
      der,
    };
  }

  /** One READ BINARY of EF 000A with extended Le 65536 (`00 B0 00 00 00 00 00`): supported when the whole certificate comes back. */
  async #extended(der: Buffer, atrAnnounces: boolean | null): Promise<ExtendedApduProbe> {
    const efid = fidHex(JpkiEf.AUTH_CERTIFICATE);
    const result = (supported: boolean | null, detail: string, r: ResponseApdu | null): ExtendedApduProbe => ({
      supported, detail, sw: r ? swHex(r.sw) : null, responseBytes: r ? r.data.length : null, atrAnnounces, readerNote: readerNote(this.#readerName),
    });
    const selected = await this.send(`SELECT EF ${efid} (for the extended read)`, selectEf(JpkiEf.AUTH_CERTIFICATE));
    if (selected?.sw !== StatusWord.OK) return result(null, `not tested: EF ${efid} could not be selected again (${selected ? describeStatusWord(selected.sw) : 'no answer'})`, selected);
    const r = await this.send(`READ BINARY EF ${efid} (extended Le 65536)`, new CommandApdu({ cla: 0x00, ins: 0xb0, p1: 0x00, p2: 0x00, le: EXTENDED_LE, extended: true }));
    if (!r) {
      const error = this.apdus[this.apdus.length - 1]!.error;
      return result(false, `the extended READ BINARY failed on the way (${error}); the reader or its driver probably does not pass extended APDUs`, null);
    }
    if (r.sw !== StatusWord.OK) return result(false, `the extended READ BINARY was refused with ${describeStatusWord(r.sw)}`, r);
    if (r.data.length === der.length && r.data.equals(der)) {
      return result(true, `one READ BINARY with extended Le 65536 returned the whole ${der.length}-byte certificate with 9000`, r);
    }
    if (r.data.length < der.length) {
      return result(false, `the extended READ BINARY returned ${r.data.length} of the certificate's ${der.length} bytes: the reader or driver cuts long answers`, r);
    }
    return result(false, `the extended READ BINARY returned ${r.data.length} bytes that differ from the ${der.length}-byte certificate read in short APDUs`, r);
  }

  /** A PIN of the current AP: SELECT its EF, then the empty VERIFY. */
  async #pin(id: PinId): Promise<PinProbe> {
    const spec = PINS.find((p) => p.id === id)!;
    const efid = fidHex(spec.efid);
    const base = { id: spec.id, name: spec.name, ap: spec.ap, efid, maxTries: spec.maxTries };
    const selected = await this.send(`SELECT EF ${efid} (${spec.id} PIN)`, selectEf(spec.efid));
    if (!selected) return { ...base, triesLeft: null, state: 'unexpected', sw: null, detail: `SELECT EF ${efid} got no usable answer` };
    if (selected.sw !== StatusWord.OK) {
      const absent = selected.sw === StatusWord.FILE_NOT_FOUND;
      return {
        ...base, triesLeft: null, state: absent ? 'absent' : 'unexpected', sw: swHex(selected.sw),
        detail: `SELECT EF ${efid} answered ${describeStatusWord(selected.sw)}${absent ? ': this PIN is not on the card' : ''}`,
      };
    }
    const r = await this.send(`VERIFY EF ${efid} empty (tries left, no try spent)`, emptyVerify());
    if (!r) return { ...base, triesLeft: null, state: 'unexpected', sw: null, detail: 'the empty VERIFY got no usable answer' };
    const counter = interpretCounter(r.sw, spec.maxTries);
    return { ...base, triesLeft: counter.triesLeft, state: counter.state, sw: swHex(r.sw), detail: counter.detail };
  }

  /** The PINs of an AP that is not the current one: SELECT the AP, then each PIN's EF and its counter. */
  async #pinsInAp(ids: PinId[], app: ApplicationProbe): Promise<Array<readonly [PinId, PinProbe]>> {
    const r = await this.send(`SELECT AP ${app.aid} (${app.id})`, selectAid(Buffer.from(app.aid, 'hex')));
    const out: Array<readonly [PinId, PinProbe]> = [];
    for (const id of ids) {
      if (r?.sw === StatusWord.OK) {
        out.push([id, await this.#pin(id)]);
        continue;
      }
      const spec = PINS.find((p) => p.id === id)!;
      out.push([id, {
        id: spec.id, name: spec.name, ap: spec.ap, efid: fidHex(spec.efid), maxTries: spec.maxTries, triesLeft: null, state: 'unexpected',
        sw: r ? swHex(r.sw) : null, detail: `the AP answered 9000 once, then ${r ? describeStatusWord(r.sw) : 'nothing'} when selected again`,
      }]);
    }
    return out;
  }
}

/**
 * vsmartcard's vpcd names its readers "Virtual PCD 00 0N". Its Debian build (3.3) passes extended APDUs but does not
 * say so to pcscd (spec §7), which is worth telling a reader vendor comparing results.
 */
function readerNote(readerName: string): string | null {
  return /^Virtual PCD/i.test(readerName)
    ? "Debian's vpcd 3.3 does not announce extended APDU support to pcscd (its IFDHControl answers no FEATURE_GET_TLV_PROPERTIES), so middleware such as OpenSC sends short APDUs on this reader whatever this test shows"
    : null;
}

function interpretCounter(sw: number, maxTries: number): Pick<PinProbe, 'triesLeft' | 'state' | 'detail'> {
  if ((sw & 0xfff0) === 0x63c0) {
    const left = sw & 0x0f;
    if (left > maxTries) return { triesLeft: left, state: 'unexpected', detail: `${describeStatusWord(sw)}, more than the ${maxTries} this PIN has` };
    return { triesLeft: left, state: left === 0 ? 'locked' : 'available', detail: left === 0 ? `${describeStatusWord(sw)}: locked, only the municipal office can reset it` : describeStatusWord(sw) };
  }
  if (sw === StatusWord.AUTHENTICATION_METHOD_BLOCKED) return { triesLeft: 0, state: 'locked', detail: `${describeStatusWord(sw)}: only the municipal office can reset it` };
  if (sw === StatusWord.OK) {
    return { triesLeft: null, state: 'verified', detail: '9000: the PIN is already verified in this card session, so the counter cannot be read (the real card\'s answer here is UNCONFIRMED)' };
  }
  if (sw === StatusWord.REFERENCED_DATA_NOT_FOUND || sw === StatusWord.FILE_NOT_FOUND) {
    return { triesLeft: null, state: 'absent', detail: `${describeStatusWord(sw)}: the card has no such PIN` };
  }
  return { triesLeft: null, state: 'unexpected', detail: `${describeStatusWord(sw)}: not a retry counter (OpenSC would fail to bind the card)` };
}

function absentPin(id: PinId, app: ApplicationProbe): PinProbe {
  const spec = PINS.find((p) => p.id === id)!;
  return {
    id: spec.id, name: spec.name, ap: spec.ap, efid: fidHex(spec.efid), maxTries: spec.maxTries, triesLeft: null, state: 'absent', sw: null,
    detail: `not asked: ${app.name} is not on the card (SELECT answered ${app.sw ?? 'nothing'})`,
  };
}

/** Total length of a DER SEQUENCE from its first bytes (short form, 81 xx or 82 xx xx); null when it is not one. */
function derTotalLength(head: Buffer): number | null {
  if (head.length < 2 || head[0] !== 0x30) return null;
  const first = head[1]!;
  if (first < 0x80) return 2 + first;
  if (first === 0x81 && head.length >= 3) return 3 + head[2]!;
  if (first === 0x82 && head.length >= 4) return 4 + head.readUInt16BE(2);
  return null;
}

/** X509Certificate names are one attribute per line; a report line wants "C=JP, O=…". */
const oneLineName = (name: string): string => name.split('\n').filter(Boolean).join(', ');

/**
 * Probes the card of `session` and returns the report (reader/diagnostics/PROBE.md). Only reads: SELECTs, READ BINARY and empty
 * VERIFYs. Selecting APs clears any verified PIN (as OpenSC's logout does), so run it when no transaction is going on.
 */
export async function probeCard(session: CardSession, options: ProbeOptions = {}): Promise<ProbeReport> {
  const now = options.now?.() ?? new Date();
  return new Prober(session, options).run(now);
}
