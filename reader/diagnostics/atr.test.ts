import { describe, expect, it } from 'vitest';
import { KNOWN_ATRS, MalformedAtrError, decodeAtr, formatAtr } from './atr.ts';

const bytes = (hex: string): Buffer => Buffer.from(hex.replace(/ /g, ''), 'hex');

/** Every ATR of spec §5.1's table, with what its structure says. */
const SPEC_ATRS = [
  { hex: '3B 88 80 01 00 00 05 E0 B3 81 A1 00 7F', protocols: ['T=0', 'T=1'], hist: '00 00 05 E0 B3 81 A1 00', format: /PC\/SC part 3 contactless Type B/ },
  { hex: '3B 88 80 01 00 00 41 E0 B3 81 A1 00 3B', protocols: ['T=0', 'T=1'], hist: '00 00 41 E0 B3 81 A1 00', format: /PC\/SC part 3 contactless Type B/ },
  { hex: '3B 88 80 01 00 4B 51 FF B3 81 D1 00 0F', protocols: ['T=0', 'T=1'], hist: '00 4B 51 FF B3 81 D1 00', format: /PC\/SC part 3 contactless Type B/ },
  { hex: '3B F5 91 00 FF 91 81 71 FE 40 00 42 00 01 00 D1 D6', protocols: ['T=1'], hist: '42 00 01 00 D1', format: /proprietary \(category 42\)/ },
  { hex: '3B F5 91 00 FF 91 81 71 FE 40 00 42 00 01 B3 A1 15', protocols: ['T=1'], hist: '42 00 01 B3 A1', format: /proprietary \(category 42\)/ },
  { hex: '3B C5 FF 81 31 FB 45 80 73 C6 01 00 00', protocols: ['T=1'], hist: '80 73 C6 01 00', format: /COMPACT-TLV \(category 80\)/ },
  { hex: '3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B', protocols: ['T=1'], hist: '80 12 39 2F 31 C1 73 C6 01 C0', format: /COMPACT-TLV \(category 80\)/ },
  { hex: '3B E0 00 FF 81 31 FE 45 14', protocols: ['T=1'], hist: '', format: /^none$/ },
];

describe('decodeAtr on the ATRs of spec §5.1', () => {
  it.each(SPEC_ATRS)('$hex: structure, protocols, historical bytes, a correct TCK, no warning, known', ({ hex, protocols, hist, format }) => {
    const atr = decodeAtr(bytes(hex));
    expect(atr.hex).toBe(hex);
    expect(atr.length).toBe(bytes(hex).length);
    expect(atr.ts).toBe('direct');
    expect(atr.t0).toBe(hex.slice(3, 5));
    expect(atr.protocols).toEqual(protocols);
    expect(atr.historicalBytes.hex).toBe(hist);
    expect(atr.historicalBytes.format).toMatch(format);
    expect(atr.tck).toEqual({ present: true, ok: true, value: hex.slice(-2), expected: hex.slice(-2) });
    expect(atr.warnings).toEqual([]);
    expect(atr.known).toMatch(/My Number Card|住基カード/);
  });

  it('3B DA 13 …: every interface byte with its meaning, and the COMPACT-TLV objects', () => {
    const atr = decodeAtr(bytes('3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B'));
    expect(atr.interfaceBytes).toEqual([
      {
        index: 1, ta: '13', tc: 'FF', td: '81',
        meaning: {
          ta: 'Fi=372, Di=4, 93 cycles/ETU (f max 5 MHz)',
          tc: 'extra guard time N=255: minimum guard time (12 etu for T=0, 11 etu for T=1)',
          td: 'Y(i+1)=1000, Protocol T=1',
        },
      },
      { index: 2, td: '31', meaning: { td: 'Y(i+1)=0011, Protocol T=1' } },
      {
        index: 3, ta: 'FB', tb: '46',
        meaning: { ta: 'IFSC: 251 bytes (T=1 information field size of the card)', tb: 'Block Waiting Integer: 4, Character Waiting Integer: 6 (T=1)' },
      },
    ]);
    const hist = atr.historicalBytes;
    expect(hist.categoryIndicator).toBe('80');
    expect(hist.objects.map((o) => [o.tag, o.name, o.hex])).toEqual([
      ['1', 'country code (ISO 3166-1)', '39 2F'],
      ['3', 'card service data', 'C1'],
      ['7', 'card capabilities', 'C6 01 C0'],
    ]);
    expect(hist.objects[0]!.details).toEqual(['country 392 (Japan)']);
    expect(hist.objects[1]!.details).toEqual([
      'application selection by full DF name', 'application selection by partial DF name', 'EF.DIR and EF.ATR access: by READ RECORD(s)', 'card without MF',
    ]);
    // Spec §5.1: "Its card-capabilities byte C0 announces command chaining + extended Lc/Le".
    expect(hist.objects[2]!.details).toEqual(expect.arrayContaining(['command chaining', 'extended Lc/Le', 'short EF identifier supported']));
    expect(hist.cardCapabilities).toEqual({ commandChaining: true, extendedLcLe: true, logicalChannels: 1 });
    expect(atr.known).toBe('My Number Card, contact T=1 (pcsc-tools list, 2017; OpenSC #3021)');
  });

  it('3B C5 …: card capabilities whose third byte is 00 announce neither chaining nor extended Lc/Le', () => {
    const atr = decodeAtr(bytes('3B C5 FF 81 31 FB 45 80 73 C6 01 00 00'));
    expect(atr.historicalBytes.cardCapabilities).toEqual({ commandChaining: false, extendedLcLe: false, logicalChannels: 1 });
    expect(atr.historicalBytes.objects[0]!.details).not.toContain('command chaining');
    expect(atr.historicalBytes.objects[0]!.details).not.toContain('extended Lc/Le');
  });

  it('the 住基カード ATR: TB1, TC1 and T=1 bytes, no historical bytes', () => {
    const atr = decodeAtr(bytes('3B E0 00 FF 81 31 FE 45 14'));
    expect(atr.interfaceBytes.map(({ index, ta, tb, tc, td }) => ({ index, ta, tb, tc, td }))).toEqual([
      { index: 1, ta: undefined, tb: '00', tc: 'FF', td: '81' },
      { index: 2, ta: undefined, tb: undefined, tc: undefined, td: '31' },
      { index: 3, ta: 'FE', tb: '45', tc: undefined, td: undefined },
    ]);
    expect(atr.interfaceBytes[0]!.meaning.tb).toBe('VPP not connected (deprecated byte)');
    expect(atr.historicalBytes).toEqual({ hex: '', length: 0, categoryIndicator: null, format: 'none', objects: [], cardCapabilities: null });
    expect(atr.known).toMatch(/^住基カード/);
  });

  it('3B F5 91 …: TA1 with Fi=512, TA2 specific mode, TC3 error detection', () => {
    const atr = decodeAtr(bytes('3B F5 91 00 FF 91 81 71 FE 40 00 42 00 01 00 D1 D6'));
    expect(atr.interfaceBytes[0]!.meaning.ta).toBe('Fi=512, Di=1, 512 cycles/ETU (f max 5 MHz)');
    expect(atr.interfaceBytes[1]).toMatchObject({ index: 2, ta: '81', td: '71', meaning: { ta: 'specific mode, Protocol T=1, unable to change mode, Fi/Di from TA(1)' } });
    expect(atr.interfaceBytes[2]!.meaning.tc).toBe('error detection: LRC (T=1)');
  });

  it('contactless pseudo-ATRs: the historical bytes are read as ATQB fields, not as ISO category 00', () => {
    const atr = decodeAtr(bytes('3B 88 80 01 00 4B 51 FF B3 81 D1 00 0F'));
    expect(atr.historicalBytes.objects.map((o) => [o.name, o.hex])).toEqual([
      ['application data (ATQB)', '00 4B 51 FF'],
      ['protocol info (ATQB)', 'B3 81 D1'],
      ['MBLI (ATTRIB)', '00'],
    ]);
    expect(atr.historicalBytes.objects[1]!.details).toEqual([
      'bit rate capability B3', 'maximum frame size 256 bytes', 'protocol type 1 (ISO/IEC 14443-4)', 'FWI 13 (frame waiting time 2475 ms)', 'NAD not supported, CID supported',
    ]);
  });

  it('the OpenSC installer ATR and the simulator ATRs decode cleanly and are recognised', () => {
    for (const { hex, label } of KNOWN_ATRS) {
      const atr = decodeAtr(Buffer.from(hex, 'hex'));
      expect(atr.warnings, hex).toEqual([]);
      expect(atr.tck.ok, hex).toBe(true);
      expect(atr.known).toBe(label);
    }
    expect(decodeAtr(bytes('3B D8 18 FF 81 31 FE 45 80 66 43 49 54 59 30 31 D4')).historicalBytes.objects[0]).toEqual({
      tag: '6', name: 'pre-issuing data', hex: '43 49 54 59 30 31', details: ['"CITY01"'],
    });
  });
});

describe('decodeAtr on other and broken ATRs', () => {
  it('no TD1: T=0 is implied and there is no TCK', () => {
    const atr = decodeAtr(bytes('3B 02 14 50'));
    expect(atr.protocols).toEqual(['T=0']);
    expect(atr.interfaceBytes).toEqual([]);
    expect(atr.tck).toEqual({ present: false, ok: null });
    expect(atr.historicalBytes.format).toBe('proprietary (category 14)');
    expect(atr.known).toBeNull();
    expect(atr.warnings).toEqual([]);
  });

  it('T=15 global bytes: clock stop and class, TCK required, T=15 not listed as a protocol', () => {
    const atr = decodeAtr(bytes('3B 80 80 1F 07 18'));
    expect(atr.protocols).toEqual(['T=0']);
    expect(atr.interfaceBytes[2]).toMatchObject({ index: 3, ta: '07', meaning: { ta: 'clock stop: not supported; classes: A (5 V), B (3 V), C (1.8 V)' } });
    expect(atr.tck).toMatchObject({ present: true, ok: true });
  });

  it('inverse convention is decoded with a warning', () => {
    const atr = decodeAtr(bytes('3F 00'));
    expect(atr.ts).toBe('inverse');
    expect(atr.warnings).toEqual([expect.stringMatching(/inverse convention/)]);
  });

  it.each([
    ['', /there is no ATR at all/],
    ['3B', /ends after TS; T0 is missing/],
    ['3A 00', /TS must be 3B \(direct\) or 3F \(inverse convention\), not 3A/],
    ['3B DA 13 FF', /T0 announces TD\(1\), but the ATR ends after 4 bytes/],
    ['3B DA 13 FF 81', /TD\(1\) announces TD\(2\), but the ATR ends after 5 bytes/],
    ['3B DA 13 FF 81 31 FB 46 80 12 39', /T0 announces 10 historical byte\(s\), but only 3 follow/],
    ['3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0', /offers T=1, so it must end with the check byte TCK, which is missing/],
  ])('truncated %j → MalformedAtrError', (hex, message) => {
    let error: unknown;
    try {
      decodeAtr(bytes(hex));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MalformedAtrError);
    expect((error as MalformedAtrError).name).toBe('MalformedAtrError');
    expect((error as MalformedAtrError).message).toMatch(message);
    expect((error as MalformedAtrError).message).toMatch(/pcsc_scan/);
    expect((error as MalformedAtrError).bytes.equals(bytes(hex))).toBe(true);
  });

  it('a wrong TCK is decoded with ok false, the expected value and a warning', () => {
    const atr = decodeAtr(bytes('3B E0 00 FF 81 31 FE 45 15'));
    expect(atr.tck).toEqual({ present: true, ok: false, value: '15', expected: '14' });
    expect(atr.warnings).toEqual([expect.stringMatching(/^TCK is 15 but T0 through the historical bytes need 14/)]);
    expect(atr.known).toBeNull();
  });

  it('bytes after the end, a TCK on a T=0-only ATR and an ATR over 33 bytes are warnings', () => {
    expect(decodeAtr(bytes('3B E0 00 FF 81 31 FE 45 14 AA BB')).warnings).toEqual([expect.stringMatching(/^2 byte\(s\) after the end of the ATR \(AA BB\)/)]);
    expect(decodeAtr(bytes('3B 02 14 50 44')).warnings).toEqual([expect.stringMatching(/one byte \(44\) follows the historical bytes: a TCK/)]);
    const long = decodeAtr(Buffer.concat([bytes('3B 0F'), Buffer.alloc(15, 0x41), Buffer.alloc(17, 0x42)]));
    expect(long.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/accepts at most 33 \(MAX_ATR_SIZE\)/)]));
  });

  it('a COMPACT-TLV object running past the end is a warning, not an error', () => {
    const atr = decodeAtr(bytes('3B 03 80 75 C6'));
    expect(atr.historicalBytes.objects[0]).toMatchObject({ tag: '7', hex: 'C6' });
    expect(atr.warnings).toEqual([expect.stringMatching(/COMPACT-TLV object 75 announces 5 byte\(s\) but only 1 follow/)]);
  });
});

describe('formatAtr', () => {
  it('prints the pcsc_scan-style analysis', () => {
    const lines = formatAtr(decodeAtr(bytes('3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B')));
    expect(lines.slice(0, 4)).toEqual([
      'ATR: 3B DA 13 FF 81 31 FB 46 80 12 39 2F 31 C1 73 C6 01 C0 3B',
      '+ TS = 3B --> Direct Convention',
      '+ T0 = DA, Y(1): 1101, K: 10 (historical bytes)',
      '  TA(1) = 13 --> Fi=372, Di=4, 93 cycles/ETU (f max 5 MHz)',
    ]);
    expect(lines).toContain('    Tag: 7, len: 3 — card capabilities: C6 01 C0');
    expect(lines).toContain('      - extended Lc/Le');
    expect(lines).toContain('+ TCK = 3B (correct checksum)');
    expect(lines).toContain('Possible protocols: T=1');
    expect(formatAtr(decodeAtr(bytes('3B E0 00 FF 81 31 FE 45 15')))).toContain('+ TCK = 15 (WRONG checksum, expected 14)');
  });
});
