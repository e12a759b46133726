// ATR decoding (ISO/IEC 7816-3 structure, ISO/IEC 7816-4 historical bytes) for reader diagnostics: what a vendor's
// reader hands pcscd is shown byte by byte, as pcsc_scan does, so a wrong pseudo-ATR or checksum is easy to spot.
// Decoding is best effort: only input too short for what its own bytes announce is an error (MalformedAtrError);
// anything odd but readable becomes a warning, because a diagnostic must still show the rest.
import { toHex } from '../apdu.ts';

/** The bytes end before what TS, T0 and the TDi bytes announce (or there is no ATR at all). */
export class MalformedAtrError extends Error {
  override readonly name = 'MalformedAtrError';
  readonly bytes: Buffer;
  constructor(bytes: Uint8Array, reason: string) {
    super(`the ATR ${bytes.length ? toHex(bytes) : '(empty)'} is malformed: ${reason}; check the reader's ATR with pcsc_scan, re-place the card, or try another reader`);
    this.bytes = Buffer.from(bytes);
  }
}

/** One TAi/TBi/TCi/TDi group; values are 2-digit hex, as pcsc_scan and smartcard_list.txt write them. */
export interface InterfaceByteGroup {
  /** i, from 1. */
  index: number;
  ta?: string;
  tb?: string;
  tc?: string;
  td?: string;
  /** What the bytes of this group mean, e.g. ta: "Fi=372, Di=4, 93 cycles/ETU (f max 5 MHz)". */
  meaning: { ta?: string; tb?: string; tc?: string; td?: string };
}

/** One data element of the historical bytes: a COMPACT-TLV object, or a field of a contactless pseudo-ATR. */
export interface HistoricalObject {
  /** The COMPACT-TLV tag nibble as hex ("7" for card capabilities); null for fields that are not COMPACT-TLV. */
  tag: string | null;
  name: string;
  hex: string;
  /** Decoded facts, e.g. ["command chaining", "extended Lc/Le"] for card capabilities. */
  details: string[];
}

/** What the card capabilities object (tag 7, third byte) announces; null when the ATR has none. */
export interface CardCapabilities {
  commandChaining: boolean;
  extendedLcLe: boolean;
  /** Logical channels the card offers (1 = only the basic channel); null when the object has no third byte. */
  logicalChannels: number | null;
}

export interface HistoricalBytes {
  hex: string;
  length: number;
  /** The category indicator (first historical byte) as hex; null when there are no historical bytes. */
  categoryIndicator: string | null;
  /** How the bytes were read, e.g. "COMPACT-TLV (category 80)", "PC/SC part 3 contactless Type B (ATQB)". */
  format: string;
  objects: HistoricalObject[];
  cardCapabilities: CardCapabilities | null;
}

export interface DecodedAtr {
  /** Upper-case hex with spaces, as pcsc_scan prints and smartcard_list.txt lists ATRs. */
  hex: string;
  length: number;
  ts: 'direct' | 'inverse';
  /** T0 as hex: high nibble = which of TA1..TD1 follow, low nibble = number of historical bytes. */
  t0: string;
  interfaceBytes: InterfaceByteGroup[];
  /** Transmission protocols offered, in ATR order; "T=0" when there is no TD1. T=15 (global bytes) is not listed. */
  protocols: string[];
  historicalBytes: HistoricalBytes;
  /** TCK is present whenever a protocol other than T=0 is indicated; ok is null when it is absent. */
  tck: { present: boolean; ok: boolean | null; value?: string; expected?: string };
  /** A label when the ATR is one of the known JPKI media ATRs (or one of this simulator's), else null. */
  known: string | null;
  warnings: string[];
}

/** pcsc-lite MAX_ATR_SIZE: pcscd does not accept a longer ATR. */
export const MAX_ATR_SIZE = 33;

/**
 * ATRs of JPKI media: spec §5.1 (pcsc-tools smartcard_list.txt with the year added, and OpenSC's installer list),
 * plus the made-up ATRs of this simulator's virtual cards, so a probe of a virtual card says so instead of
 * passing for a real one.
 */
export const KNOWN_ATRS: ReadonlyArray<{ hex: string; label: string }> = [
  { hex: '3B888001000005E0B381A1007F', label: 'My Number Card, contactless (PC/SC part 3 pseudo-ATR from ATQB; pcsc-tools list, 2020)' },
  { hex: '3B8880010000 41E0B381A1003B', label: 'My Number Card, contactless (PC/SC part 3 pseudo-ATR from ATQB; pcsc-tools list, 2018)' },
  { hex: '3B888001004B51FFB381D1000F', label: 'My Number Card, contactless (PC/SC part 3 pseudo-ATR from ATQB; pcsc-tools list, 2024)' },
  { hex: '3B888001004B51FF0081D100BC', label: 'My Number Card, contactless (PC/SC part 3 pseudo-ATR from ATQB; OpenSC installer list)' },
  { hex: '3BF59100FF918171FE40004200 0100D1D6', label: 'My Number Card, reader-specific contactless ATR (pcsc-tools list, 2019)' },
  { hex: '3BF59100FF918171FE40004200 01B3A115', label: 'My Number Card, reader-specific contactless ATR (pcsc-tools list, 2016)' },
  { hex: '3BC5FF8131FB458073C6010000', label: 'My Number Card, contact T=1 (pcsc-tools list, 2017)' },
  { hex: '3BDA13FF8131FB468012392F31C173C601C03B', label: 'My Number Card, contact T=1 (pcsc-tools list, 2017; OpenSC #3021)' },
  { hex: '3BE000FF8131FE4514', label: '住基カード (JUKICARD; pcsc-tools list, 2011; the only ATR in OpenSC jpki_atrs)' },
  { hex: '3B88800100000000B381A1009A', label: 'kiosk simulator: smartphone JPKI (made-up contactless pseudo-ATR, not a real phone)' },
  { hex: '3BD818FF8131FE458066434954593031D4', label: 'kiosk simulator: city card without JPKI (made-up ATR)' },
].map(({ hex, label }) => ({ hex: hex.replace(/ /g, ''), label }));

const h2 = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
const bits4 = (n: number): string => n.toString(2).padStart(4, '0');

// ISO/IEC 7816-3 Table 7 (Fi, f max) and Table 8 (Di); null = RFU.
const FI = [372, 372, 558, 744, 1116, 1488, 1860, null, null, 512, 768, 1024, 1536, 2048, null, null];
const F_MAX_MHZ = [4, 5, 6, 8, 12, 16, 20, null, null, 5, 7.5, 10, 15, 20, null, null];
const DI = [null, 1, 2, 4, 8, 16, 32, 64, 12, 20, null, null, null, null, null, null];

function explainTa1(ta: number): string {
  const fi = FI[ta >> 4] ?? null;
  const di = DI[ta & 0x0f] ?? null;
  const fmax = F_MAX_MHZ[ta >> 4] ?? null;
  if (fi === null || di === null) return `Fi index ${ta >> 4}, Di index ${ta & 0x0f} (${fi === null ? 'Fi' : 'Di'} is RFU)`;
  const cycles = fi / di;
  return `Fi=${fi}, Di=${di}, ${Number.isInteger(cycles) ? cycles : cycles.toFixed(1)} cycles/ETU (f max ${fmax} MHz)`;
}

function explainTd(td: number): string {
  const t = td & 0x0f;
  const kind = t === 15 ? 'T=15: global interface bytes follow' : t === 14 ? 'Protocol T=14 (not ISO)' : t >= 2 ? `Protocol T=${t} (RFU)` : `Protocol T=${t}`;
  return `Y(i+1)=${bits4(td >> 4)}, ${kind}`;
}

/** Meanings of one group; `context` is the protocol of TD(i-1) ('global' for i = 1). */
function explainGroup(i: number, context: number | 'global', bytes: { ta?: number; tb?: number; tc?: number; td?: number }): InterfaceByteGroup['meaning'] {
  const m: InterfaceByteGroup['meaning'] = {};
  const { ta, tb, tc, td } = bytes;
  if (i === 1) {
    if (ta !== undefined) m.ta = explainTa1(ta);
    if (tb !== undefined) m.tb = tb === 0 ? 'VPP not connected (deprecated byte)' : `deprecated programming voltage byte (PI1=${tb & 0x1f}, II=${(tb >> 5) & 3})`;
    if (tc !== undefined) {
      m.tc = tc === 0xff ? 'extra guard time N=255: minimum guard time (12 etu for T=0, 11 etu for T=1)' : `extra guard time N=${tc} etu`;
    }
  } else if (i === 2) {
    if (ta !== undefined) {
      m.ta = `specific mode, Protocol T=${ta & 0x0f}, ${ta & 0x80 ? 'unable' : 'able'} to change mode, ${ta & 0x10 ? 'implicit parameters' : 'Fi/Di from TA(1)'}`;
    }
    if (tb !== undefined) m.tb = `deprecated programming voltage PI2=${tb}`;
    if (tc !== undefined) m.tc = context === 0 ? `work waiting time integer WI=${tc} (T=0)` : `specific to T=${context}`;
  } else if (context === 1) {
    if (ta !== undefined) m.ta = `IFSC: ${ta} bytes (T=1 information field size of the card)`;
    if (tb !== undefined) m.tb = `Block Waiting Integer: ${tb >> 4}, Character Waiting Integer: ${tb & 0x0f} (T=1)`;
    if (tc !== undefined) m.tc = `error detection: ${tc & 1 ? 'CRC' : 'LRC'} (T=1)`;
  } else if (context === 15) {
    if (ta !== undefined) {
      const stop = ['not supported', 'state L', 'state H', 'no preference'][ta >> 6];
      const classes = [ta & 1 ? 'A (5 V)' : '', ta & 2 ? 'B (3 V)' : '', ta & 4 ? 'C (1.8 V)' : ''].filter(Boolean).join(', ');
      m.ta = `clock stop: ${stop}; classes: ${classes || 'none given'}`;
    }
    if (tb !== undefined) m.tb = tb === 0 ? 'standard or proprietary use contact (C6) not used' : `SPU: ${h2(tb)}`;
    if (tc !== undefined) m.tc = 'global interface byte (RFU)';
  } else {
    for (const key of ['ta', 'tb', 'tc'] as const) if (bytes[key] !== undefined) m[key] = `specific to T=${context}`;
  }
  if (td !== undefined) m.td = explainTd(td);
  return m;
}

const COMPACT_TLV_NAMES: Readonly<Record<number, string>> = {
  0x1: 'country code (ISO 3166-1)',
  0x2: 'issuer identification number (ISO/IEC 7812-1)',
  0x3: 'card service data',
  0x4: 'initial access data',
  0x5: "card issuer's data",
  0x6: 'pre-issuing data',
  0x7: 'card capabilities',
  0x8: 'status indicator',
  0xf: 'application identifier',
};

const printableAscii = (b: Buffer): string | null => (b.length > 0 && [...b].every((c) => c >= 0x20 && c < 0x7f) ? b.toString('latin1') : null);

function lifeCycle(lcs: number): string {
  if (lcs === 0) return 'no life cycle information';
  if (lcs === 1) return 'creation state';
  if (lcs === 3) return 'initialisation state';
  if ((lcs & 0xfd) === 0x05) return 'operational state (activated)';
  if ((lcs & 0xfd) === 0x04) return 'operational state (deactivated)';
  if ((lcs & 0xfc) === 0x0c) return 'termination state';
  return 'proprietary life cycle state';
}

function describeStatus(value: Buffer): string[] {
  if (value.length === 1) return [`life cycle status ${h2(value[0]!)}: ${lifeCycle(value[0]!)}`];
  if (value.length === 2) return [`status word ${toHex(value).replace(' ', '')}`];
  if (value.length === 3) return [`life cycle status ${h2(value[0]!)}: ${lifeCycle(value[0]!)}`, `status word ${toHex(value.subarray(1)).replace(' ', '')}`];
  return ['unexpected length for a status indicator'];
}

function describeCardServiceData(b: number): string[] {
  const out: string[] = [];
  if (b & 0x80) out.push('application selection by full DF name');
  if (b & 0x40) out.push('application selection by partial DF name');
  if (b & 0x20) out.push('BER-TLV data objects in EF.DIR');
  if (b & 0x10) out.push('BER-TLV data objects in EF.ATR');
  const access = (b >> 1) & 0x07;
  out.push(`EF.DIR and EF.ATR access: ${access === 0b100 ? 'by READ BINARY' : access === 0 ? 'by READ RECORD(s)' : access === 0b010 ? 'by GET DATA' : 'RFU'}`);
  out.push(b & 1 ? 'card without MF' : 'card with MF');
  return out;
}

function describeCapabilities(value: Buffer): { details: string[]; capabilities: CardCapabilities } {
  const details: string[] = [];
  const [selection, coding, third] = [value[0], value[1], value[2]];
  if (selection !== undefined) {
    const names = ['record identifier supported', 'record number supported', 'short EF identifier supported', 'implicit DF selection',
      'DF selection by file identifier', 'DF selection by path', 'DF selection by partial DF name', 'DF selection by full DF name'];
    for (let bit = 7; bit >= 0; bit -= 1) if (selection & (1 << bit)) details.push(names[bit]!);
  }
  if (coding !== undefined) {
    if (coding & 0x80) details.push('EFs of TLV structure supported');
    details.push(`write functions: ${['one-time write', 'proprietary', 'write OR', 'write AND'][(coding >> 5) & 3]}`);
    details.push(`FF as first byte of a BER-TLV tag: ${coding & 0x10 ? 'valid' : 'invalid'}`);
    details.push(`data unit size: ${2 ** (coding & 0x0f)} quartet(s)`);
  }
  let logicalChannels: number | null = null;
  if (third !== undefined) {
    // The brief names of the two bits a vendor checks first: the card handles chaining and/or extended APDUs.
    if (third & 0x80) details.push('command chaining');
    if (third & 0x40) details.push('extended Lc/Le');
    if (third & 0x20) details.push('extended length information in EF.ATR/INFO');
    const assignment = (third >> 3) & 3;
    details.push(`logical channel numbers: ${assignment === 0 ? 'no logical channel' : [assignment & 2 ? 'assigned by the card' : '', assignment & 1 ? 'assigned by the interface device' : ''].filter(Boolean).join(' and ')}`);
    logicalChannels = assignment === 0 ? 1 : (third & 0x07) + 1;
    details.push(`maximum number of logical channels: ${logicalChannels}${(third & 7) === 7 ? ' or more' : ''}`);
  }
  return {
    details,
    capabilities: { commandChaining: ((third ?? 0) & 0x80) !== 0, extendedLcLe: ((third ?? 0) & 0x40) !== 0, logicalChannels },
  };
}

function describeObject(tag: number, value: Buffer): { details: string[]; capabilities?: CardCapabilities } {
  switch (tag) {
    case 0x1: {
      const digits = value.toString('hex').toUpperCase().replace(/F+$/, '');
      return { details: [`country ${digits}${digits === '392' ? ' (Japan)' : ''}`] };
    }
    case 0x3:
      return value.length === 1 ? { details: describeCardServiceData(value[0]!) } : { details: ['unexpected length for a card service data byte'] };
    case 0x7:
      return describeCapabilities(value);
    case 0x8:
      return { details: describeStatus(value) };
    default: {
      const ascii = printableAscii(value);
      return { details: ascii ? [`"${ascii}"`] : [] };
    }
  }
}

/** COMPACT-TLV objects (tag nibble, length nibble); an object that runs past the end is a warning. */
function compactTlv(bytes: Buffer, warnings: string[]): { objects: HistoricalObject[]; capabilities: CardCapabilities | null } {
  const objects: HistoricalObject[] = [];
  let capabilities: CardCapabilities | null = null;
  for (let i = 0; i < bytes.length; ) {
    const tag = bytes[i]! >> 4;
    const length = bytes[i]! & 0x0f;
    const value = bytes.subarray(i + 1, i + 1 + length);
    if (value.length < length) {
      warnings.push(`historical bytes: COMPACT-TLV object ${h2(bytes[i]!)} announces ${length} byte(s) but only ${value.length} follow`);
    }
    const described = describeObject(tag, value);
    if (described.capabilities) capabilities = described.capabilities;
    objects.push({ tag: tag.toString(16).toUpperCase(), name: COMPACT_TLV_NAMES[tag] ?? 'RFU tag', hex: toHex(value), details: described.details });
    i += 1 + length;
  }
  return { objects, capabilities };
}

const MAX_FRAME = [16, 24, 32, 40, 48, 64, 96, 128, 256, 512, 1024, 2048, 4096];

/** PC/SC part 3 §3.1.3.2.3: a reader's pseudo-ATR for an ISO 14443-4 Type B card is 3B 88 80 01 + 8 bytes + TCK. */
function isPcscTypeB(atr: Buffer): boolean {
  return atr.length === 13 && atr[0] === 0x3b && atr[1] === 0x88 && atr[2] === 0x80 && atr[3] === 0x01;
}

function typeBFields(hist: Buffer): HistoricalObject[] {
  const [rate, frame, fwiByte, mbli] = [hist[4]!, hist[5]!, hist[6]!, hist[7]!];
  const frameSize = MAX_FRAME[frame >> 4];
  const fwtMs = (256 * 16 * 2 ** (fwiByte >> 4)) / 13_560;
  return [
    {
      tag: null,
      name: 'application data (ATQB)',
      hex: toHex(hist.subarray(0, 4)),
      details: ['from the card\'s ATQB; readers that put the random PUPI here make the ATR differ per read, so match by SELECT AID instead'],
    },
    {
      tag: null,
      name: 'protocol info (ATQB)',
      hex: toHex(hist.subarray(4, 7)),
      details: [
        `bit rate capability ${h2(rate)}${rate === 0 ? ' (106 kbit/s only)' : ''}`,
        `maximum frame size ${frameSize === undefined ? 'RFU' : `${frameSize} bytes`}`,
        `protocol type ${frame & 0x0f}${frame & 1 ? ' (ISO/IEC 14443-4)' : ' (not ISO/IEC 14443-4)'}`,
        `FWI ${fwiByte >> 4} (frame waiting time ${fwtMs < 10 ? fwtMs.toFixed(2) : fwtMs.toFixed(0)} ms)`,
        `NAD ${fwiByte & 2 ? 'supported' : 'not supported'}, CID ${fwiByte & 1 ? 'supported' : 'not supported'}`,
      ],
    },
    { tag: null, name: 'MBLI (ATTRIB)', hex: h2(mbli), details: [`maximum buffer length index ${mbli >> 4}`] },
  ];
}

function decodeHistorical(atr: Buffer, hist: Buffer, warnings: string[]): HistoricalBytes {
  const base = { hex: toHex(hist), length: hist.length, categoryIndicator: hist.length ? h2(hist[0]!) : null };
  if (hist.length === 0) return { ...base, format: 'none', objects: [], cardCapabilities: null };
  if (isPcscTypeB(atr)) {
    return { ...base, format: 'PC/SC part 3 contactless Type B (ATQB fields)', objects: typeBFields(hist), cardCapabilities: null };
  }
  const category = hist[0]!;
  if (category === 0x80) {
    const { objects, capabilities } = compactTlv(hist.subarray(1), warnings);
    return { ...base, format: 'COMPACT-TLV (category 80)', objects, cardCapabilities: capabilities };
  }
  if (category === 0x00) {
    if (hist.length < 4) {
      warnings.push('historical bytes: category 00 needs a 3-byte status indicator at the end');
      return { ...base, format: 'COMPACT-TLV + status indicator (category 00)', objects: [], cardCapabilities: null };
    }
    const { objects, capabilities } = compactTlv(hist.subarray(1, hist.length - 3), warnings);
    const status = hist.subarray(hist.length - 3);
    objects.push({ tag: null, name: 'status indicator', hex: toHex(status), details: describeStatus(status) });
    return { ...base, format: 'COMPACT-TLV + status indicator (category 00)', objects, cardCapabilities: capabilities };
  }
  if (category === 0x10) {
    const reference = hist.subarray(1);
    return {
      ...base,
      format: 'DIR data reference (category 10)',
      objects: [{ tag: null, name: 'DIR data reference', hex: toHex(reference), details: [] }],
      cardCapabilities: null,
    };
  }
  if (category > 0x80 && category <= 0x8f) return { ...base, format: `RFU category ${h2(category)}`, objects: [], cardCapabilities: null };
  const ascii = printableAscii(hist);
  return {
    ...base,
    format: `proprietary (category ${h2(category)})`,
    objects: ascii ? [{ tag: null, name: 'proprietary data', hex: toHex(hist), details: [`"${ascii}"`] }] : [],
    cardCapabilities: null,
  };
}

/** Decodes an ATR; throws MalformedAtrError when the bytes end before what they announce. */
export function decodeAtr(bytes: Uint8Array): DecodedAtr {
  const atr = Buffer.from(bytes);
  if (atr.length === 0) throw new MalformedAtrError(atr, 'there is no ATR at all (a card that does not answer reset, or an empty reader)');
  const ts = atr[0]!;
  if (ts !== 0x3b && ts !== 0x3f) throw new MalformedAtrError(atr, `TS must be 3B (direct) or 3F (inverse convention), not ${h2(ts)}`);
  if (atr.length < 2) throw new MalformedAtrError(atr, 'it ends after TS; T0 is missing');
  const warnings: string[] = [];
  const t0 = atr[1]!;
  const k = t0 & 0x0f;
  const groups: InterfaceByteGroup[] = [];
  const protocols: string[] = [];
  let y = t0 >> 4;
  let pos = 2;
  let context: number | 'global' = 'global';
  let tckNeeded = false;
  for (let i = 1; ; i += 1) {
    const raw: { ta?: number; tb?: number; tc?: number; td?: number } = {};
    for (const [bit, key] of [[1, 'ta'], [2, 'tb'], [4, 'tc'], [8, 'td']] as const) {
      if (!(y & bit)) continue;
      if (pos >= atr.length) {
        throw new MalformedAtrError(atr, `${i === 1 ? 'T0' : `TD(${i - 1})`} announces ${key.toUpperCase()}(${i}), but the ATR ends after ${atr.length} bytes`);
      }
      raw[key] = atr[pos]!;
      pos += 1;
    }
    const group = { index: i } as InterfaceByteGroup; // keys in reading order: index, the bytes, then their meaning
    for (const key of ['ta', 'tb', 'tc', 'td'] as const) if (raw[key] !== undefined) group[key] = h2(raw[key]!);
    group.meaning = explainGroup(i, context, raw);
    if (raw.ta !== undefined || raw.tb !== undefined || raw.tc !== undefined || raw.td !== undefined) groups.push(group);
    if (raw.td === undefined) break;
    const t = raw.td & 0x0f;
    if (t !== 0) tckNeeded = true;
    if (t !== 15 && !protocols.includes(`T=${t}`)) protocols.push(`T=${t}`);
    context = t;
    y = raw.td >> 4;
  }
  if (protocols.length === 0) protocols.push('T=0'); // no TD1: T=0 only (ISO/IEC 7816-3 §8.2.3)
  if (atr.length < pos + k) throw new MalformedAtrError(atr, `T0 announces ${k} historical byte(s), but only ${atr.length - pos} follow the interface bytes`);
  const hist = atr.subarray(pos, pos + k);
  pos += k;
  const tck: DecodedAtr['tck'] = { present: tckNeeded, ok: null };
  if (tckNeeded) {
    if (pos >= atr.length) {
      throw new MalformedAtrError(atr, `it offers ${protocols.join(', ')}, so it must end with the check byte TCK, which is missing`);
    }
    const value = atr[pos]!;
    let expected = 0;
    for (let i = 1; i < pos; i += 1) expected ^= atr[i]!;
    tck.value = h2(value);
    tck.expected = h2(expected);
    tck.ok = value === expected;
    if (!tck.ok) warnings.push(`TCK is ${h2(value)} but T0 through the historical bytes need ${h2(expected)}: pcscd may treat the card as mute or a memory card`);
    pos += 1;
  }
  if (atr.length > pos) {
    const extra = atr.length - pos;
    warnings.push(
      !tckNeeded && extra === 1
        ? `one byte (${h2(atr[pos]!)}) follows the historical bytes: a TCK, which a T=0-only ATR must not have, or a wrong K in T0`
        : `${extra} byte(s) after the end of the ATR (${toHex(atr.subarray(pos))}) are ignored; T0's K or a TDi is probably wrong`,
    );
  }
  if (atr.length > MAX_ATR_SIZE) warnings.push(`the ATR is ${atr.length} bytes; pcsc-lite accepts at most ${MAX_ATR_SIZE} (MAX_ATR_SIZE)`);
  if (ts === 0x3f) warnings.push('inverse convention (3F): every JPKI card seen so far uses direct convention (3B)');
  const compact = atr.toString('hex').toUpperCase();
  return {
    hex: toHex(atr),
    length: atr.length,
    ts: ts === 0x3b ? 'direct' : 'inverse',
    t0: h2(t0),
    interfaceBytes: groups,
    protocols,
    historicalBytes: decodeHistorical(atr, hist, warnings),
    tck,
    known: KNOWN_ATRS.find((a) => a.hex === compact)?.label ?? null,
    warnings,
  };
}

/** pcsc_scan-style lines ("+ TS = 3B --> Direct Convention", "  TA(1) = 13 --> Fi=372, …") for a decoded ATR. */
export function formatAtr(atr: DecodedAtr): string[] {
  const lines: string[] = [`ATR: ${atr.hex}`];
  lines.push(`+ TS = ${atr.hex.slice(0, 2)} --> ${atr.ts === 'direct' ? 'Direct' : 'Inverse'} Convention`);
  const t0 = parseInt(atr.t0, 16);
  lines.push(`+ T0 = ${atr.t0}, Y(1): ${bits4(t0 >> 4)}, K: ${t0 & 0x0f} (historical bytes)`);
  atr.interfaceBytes.forEach((group, n) => {
    if (n > 0) lines.push('-----');
    for (const key of ['ta', 'tb', 'tc', 'td'] as const) {
      const value = group[key];
      if (value !== undefined) lines.push(`  ${key.toUpperCase()}(${group.index}) = ${value} --> ${group.meaning[key] ?? ''}`);
    }
  });
  const hist = atr.historicalBytes;
  if (hist.length) {
    lines.push(`+ Historical bytes: ${hist.hex}`);
    lines.push(`  Category indicator byte: ${hist.categoryIndicator} --> ${hist.format}`);
    for (const o of hist.objects) {
      const tag = o.tag === null ? '' : `Tag: ${o.tag}, len: ${o.hex ? o.hex.split(' ').length : 0} — `;
      lines.push(`    ${tag}${o.name}: ${o.hex || '(empty)'}`);
      for (const d of o.details) lines.push(`      - ${d}`);
    }
  }
  if (atr.tck.present) lines.push(`+ TCK = ${atr.tck.value} (${atr.tck.ok ? 'correct checksum' : `WRONG checksum, expected ${atr.tck.expected}`})`);
  lines.push(`Possible protocols: ${atr.protocols.join(' ')}`);
  if (atr.known) lines.push(`Known as: ${atr.known}`);
  for (const w of atr.warnings) lines.push(`Warning: ${w}`);
  return lines;
}
