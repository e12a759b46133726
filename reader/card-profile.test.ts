// A card as data: a persona's card written as a profile and read back answers as the persona's card does (the same
// certificate bytes, the same PIN, the same counters); a profile written by hand (a PIN in clear, one ATR, a locked
// counter) makes that card; and a profile that cannot be used says which field, never quoting a PIN.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSampleData } from '../samples/sample-data.ts';
import { MY_NUMBER_CARD_ATRS } from './atrs.ts';
import { CardProfileError, readCardProfile, writeCardProfile } from './card-profile.ts';
import { JpkiClient } from './jpki-client.ts';
import { SimReader } from './sim-reader.ts';

const data = loadSampleData();
const NOW = Date.parse('2026-11-24T10:00:00+09:00');
const dir = mkdtempSync(join(tmpdir(), 'card-profile-'));
const clientOf = (card: ReturnType<typeof readCardProfile>['card']) => {
  const reader = new SimReader();
  reader.insert(card);
  return new JpkiClient(reader.connect());
};

describe('card profiles', () => {
  const persona = data.persona('kawasaki-taro');
  const file = writeCardProfile(join(dir, 'taro'), data.cardOptions(persona.id, data.mintCard(persona.id, NOW)), ['contact', 'contactless-2024']);

  it('a persona\'s card written and read back answers as the persona\'s card, and the file holds no PIN', async () => {
    const text = readFileSync(file, 'utf8');
    for (const pin of [persona.card.pin!, persona.card.signPin!]) expect(text).not.toContain(pin);
    const { card, atrs } = readCardProfile(file);
    expect(atrs).toEqual([MY_NUMBER_CARD_ATRS.contact!.atr, MY_NUMBER_CARD_ATRS['contactless-2024']!.atr]);
    const fromProfile = clientOf(card);
    const original = clientOf(data.makeCard(persona.id, NOW));
    expect(await fromProfile.readToken()).toBe('JPKIAPICCTOKEN2');
    expect(Buffer.compare(await fromProfile.readAuthCertificate(), await original.readAuthCertificate())).toBe(0);
    expect(await fromProfile.verifyAuthPin(persona.card.pin!)).toEqual({ result: 'ok' });
    expect(await fromProfile.verifyAuthPin('0000')).toEqual({ result: 'wrong', triesLeft: 2 });
  });

  it('carries the 券面事項確認AP\'s pictures and the 住基AP: the served card answers every EF as the persona\'s card does', () => {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(json.pins).sort()).toEqual(['auth', 'cardInfo', 'juki', 'sign']);
    expect(json.juki.manufactureNumber).toMatch(/^[0-9]{13}$/);
    expect(readFileSync(join(dir, 'taro', json.cardInfo.surface.pictures.faceJpeg2000)).subarray(0, 2).toString('hex')).toBe('ff4f');
    const tx = (c: ReturnType<typeof data.makeCard>, hex: string) => Buffer.from(c.transmit(Buffer.from(hex.replace(/\s/g, ''), 'hex'))).toString('hex').toUpperCase();
    const fromProfile = readCardProfile(file).card;
    const original = data.makeCard(persona.id, NOW);
    const script = [
      '00 A4 04 0C 0A D3921000310001010408', '00 A4 02 0C 02 0005', '00 B0 00 00 00', '00 A4 02 0C 02 0014', '00 20 00 80',
      '00 A4 04 0C 0A D3921000310001010402', '00 A4 02 0C 02 0004', '00 B0 00 00 00', '00 A4 02 0C 02 0012', '00 20 00 80',
      '00 A4 04 0C 0A D3921000310001010100', '00 B2 01 0C 00', '00 A4 02 0C 02 001C', '00 20 00 80',
    ];
    for (const c of [fromProfile, original]) c.powerOn();
    expect(script.map((c) => tx(fromProfile, c))).toEqual(script.map((c) => tx(original, c)));
    // The 照合番号 are the card's data: a profile gives their counters only.
    const f = join(dir, 'taro', 'matching.json');
    writeFileSync(f, JSON.stringify({ ...json, pins: { ...json.pins, surfaceA: { pin: '123456789018', triesLeft: 10 } } }));
    expect(() => readCardProfile(f)).toThrow(/pins.surfaceA is a 照合番号, made of the card's own data: give only its triesLeft/);
    writeFileSync(join(dir, 'taro', 'pictures', 'huge.j2k'), Buffer.alloc(40_000));
    writeFileSync(f, JSON.stringify({ ...json, cardInfo: { ...json.cardInfo, surface: { ...json.cardInfo.surface, pictures: { ...json.cardInfo.surface.pictures, faceJpeg2000: 'pictures/huge.j2k' } } } }));
    expect(() => readCardProfile(f)).toThrow(/cardInfo.surface.pictures take \d+ bytes; the card's front holds at most 30000 in all/);
    writeFileSync(f, JSON.stringify({ ...json, cardInfo: { ...json.cardInfo, surface: { ...json.cardInfo.surface, securityCode: '12a4' } } }));
    expect(() => readCardProfile(f)).toThrow(/cardInfo.surface.securityCode must be exactly 4 digits/);
    writeFileSync(f, JSON.stringify({ ...json, pins: { ...json.pins, surfaceB: { triesLeft: 4 } } }));
    const four = readCardProfile(f).card;
    four.powerOn();
    expect(['00 A4 04 0C 0A D3921000310001010402', '00 A4 02 0C 02 0012', '00 20 00 80'].map((c) => tx(four, c))).toEqual(['9000', '9000', '63C4']);
  });

  it('a profile written by hand: one ATR, a PIN in clear, a counter at 1, the keys and certificates of another folder\'s files', async () => {
    const hand = join(dir, 'taro', 'hand.json');
    writeFileSync(hand, JSON.stringify({
      profile: 'kiosk-card-profile/1', kind: 'my-number-card', atrs: ['3B C5 FF 81 31 FB 45 80 73 C6 01 00 00'],
      pins: { auth: { pin: '2468', triesLeft: 1 } }, keys: { auth: 'keys/auth.key.pem' }, certificates: { auth: 'certificates/auth.der' },
    }));
    const { card, atrs } = readCardProfile(hand);
    expect(atrs[0]!.toString('hex')).toBe('3bc5ff8131fb458073c6010000');
    const client = clientOf(card);
    expect(await client.authPinTriesLeft()).toBe(1);
    expect(await client.verifyAuthPin('2468')).toEqual({ result: 'ok' });
    await expect(client.readSignatureCaCertificate()).rejects.toThrow(); // not in the profile: 6A82
  });

  it('says which field is wrong, and never quotes a PIN', () => {
    const attempt = (profile: unknown) => {
      const f = join(dir, 'taro', 'bad.json');
      writeFileSync(f, JSON.stringify(profile));
      try {
        readCardProfile(f);
        return 'read';
      } catch (e) {
        expect(e).toBeInstanceOf(CardProfileError);
        return (e as Error).message.replace(/^.*bad\.json: /, '');
      }
    };
    const good = { profile: 'kiosk-card-profile/1', kind: 'my-number-card', atrs: ['contact'] };
    expect(attempt({ ...good, profile: 'x/2' })).toBe('profile must be "kiosk-card-profile/1"');
    expect(attempt({ ...good, atrs: ['3BFF'] })).toMatch(/^atrs\[0\] is neither an ATR name/);
    expect(attempt({ ...good, keys: { auth: '../../../etc/passwd' } })).toBe('keys.auth names a file inside the profile\'s folder');
    expect(attempt({ ...good, certificates: { auth: 'keys/auth.key.pem' } })).toBe('certificates.auth: keys/auth.key.pem is not an X.509 certificate (DER or PEM)');
    expect(attempt({ ...good, pins: { auth: { pin: '9753', triesLeft: 9 } } })).toBe('pins.auth.triesLeft is 0-3');
    expect(attempt({ ...good, pins: { auth: { pin: 9753, triesLeft: 3 } } })).toBe('pins.auth has a secret { salt, sha256 } or a pin');
    expect(attempt({ ...good, pins: { auth: { pin: '9753', triesLeft: 9 } } })).not.toContain('9753');
    expect(attempt(good)).toBe('read');
  });
});
