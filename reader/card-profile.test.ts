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
