// The ward-office counter on a card from the card store and the center's records, judged by what the center then
// answers a card's real signature (center.authenticate), as a kiosk would meet it.
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuthResult, IssuanceCenter } from '../../center/issuance-center.ts';
import type { CenterRecords } from '../../center/records/center-records.ts';
import { SqliteCenterRecords } from '../../center/records/sqlite-records.ts';
import { SimCenter } from '../../center/sim-center.ts';
import { ASSETS, loadSampleData } from '../../samples/sample-data.ts';
import { CardStore } from '../card-store.ts';
import { SimClock } from '../clock.ts';
import { CardInfoClient } from '../../reader/card-info-client.ts';
import { JpkiClient } from '../../reader/jpki-client.ts';
import { SimReader } from '../../reader/sim-reader.ts';
import { secretMatches } from '../../reader/virtual-card.ts';
import { CounterRefusal, WardCounter } from './counter.ts';

const data = loadSampleData();
// Monday 2026-12-07, 10:00 in Japan: Kawasaki's counter is open.
const MONDAY = '2026-12-07T10:00:00+09:00';

function world(o: { records?: CenterRecords; at?: string } = {}) {
  const clock = new SimClock(o.at ?? MONDAY);
  const center = new SimCenter({
    municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock, records: o.records, signCa: data.signCa.certificate,
  });
  const cards = new CardStore({ dir: null, data, clock });
  const counter = new WardCounter({ cards, center, data, clock, desk: '中原区役所 区民課' });
  const terminal = center.connectLocal('K01');
  /** The persona's current card at a kiosk: its certificate and a signature by its key over a fresh challenge. */
  const authenticate = async (persona: string): Promise<AuthResult> => authenticateWith(terminal, clock, cards, persona);
  return { clock, center, cards, counter, authenticate };
}

async function authenticateWith(center: IssuanceCenter, clock: SimClock, cards: CardStore, persona: string): Promise<AuthResult> {
  const id = cards.current(persona) ?? cards.make(persona).id;
  const certificate = Buffer.from(cards.record(id).certificates.auth!, 'base64');
  const challenge = await center.challenge();
  const key = createPrivateKey(readFileSync(join(ASSETS, 'keys', `${persona}.key.pem`)));
  return center.authenticate({ certificate, challenge, signature: sign('sha256', challenge, key), scope: 'residence', city: null, at: clock.now() });
}

const cause = (r: AuthResult) => (r.ok ? 'ok' : r.cause);
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CounterRefusal) return e.reason;
    throw e;
  }
  return 'performed';
};

describe('the ward-office counter', () => {
  it('a lost card: suspended at any hour by the call center, refused at the kiosk; found, the suspension is cancelled at the counter with new certificates, usable the next day', async () => {
    const w = world({ at: '2026-12-06T03:00:00+09:00' }); // Sunday night
    w.cards.make('kawasaki-taro');
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('service-closed'); // 03:00: the kiosk service is closed anyway
    w.counter.reportLost({ card: 'kawasaki-taro', police: '第123号' });
    expect(w.counter.status('kawasaki-taro').center.status).toBe('suspended');
    w.clock.jump('2026-12-06T10:00:00+09:00');
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('certificate-on-hold');
    // Sunday: the counter is closed; a PIN cannot be reset on a suspended card anyway.
    expect(refusal(() => w.counter.cancelSuspension({ card: 'kawasaki-taro' }))).toBe('counter-weekend');
    w.clock.jump(MONDAY);
    expect(refusal(() => w.counter.resetPin({ card: 'kawasaki-taro', pin: 'auth', newPin: '4321' }))).toBe('card-suspended');
    const oldSerial = w.counter.status('kawasaki-taro').center.certificates[0].serial;
    const done = w.counter.cancelSuspension({ card: 'kawasaki-taro' });
    expect(done.status.center.status).toBe('active');
    expect(done.status.center.certificates.map((c) => c.status)).toEqual(['good', 'good']);
    expect(done.status.center.certificates[0].serial).not.toBe(oldSerial);
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('certificate-not-yet-valid');
    w.clock.jump('2026-12-08T09:00:00+09:00');
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('ok');
    expect(w.center.life.records.certificate(oldSerial)).toMatchObject({ status: 'revoked', reason: 'suspension-cancelled' });
    expect(w.counter.status('kawasaki-taro').center.actions.map((a) => `${a.action} by ${a.by}`)).toEqual([
      'report-lost by call-center', 'cancel-suspension by 中原区役所 区民課',
    ]);
  });

  it('hands a new card over during the office hours: the holder sets its PINs, its certificates are issued then, the kiosk takes it from the next day', async () => {
    const w = world({ at: '2026-12-05T10:00:00+09:00' }); // a Saturday the counter is closed
    const made = w.cards.make('kawasaki-hanako', { uncollected: true });
    const waiting = w.counter.status(made.id);
    expect(waiting.collection).toEqual({ keptUntil: '2027-03-05' });
    expect(waiting.pins).toEqual({});
    expect(waiting.center.certificates).toEqual([]);
    expect(refusal(() => w.counter.collect({ card: made.id, newPin: '2580', password: 'HANA2580' }))).toBe('counter-weekend');
    w.clock.jump(MONDAY);
    // A card still at the office has nothing to reset, suspend, renew or re-issue.
    expect(refusal(() => w.counter.resetPin({ card: made.id, pin: 'auth', newPin: '1111' }))).toBe('not-collected');
    expect(refusal(() => w.counter.reportLost({ card: made.id }))).toBe('not-collected');
    expect(refusal(() => w.counter.renew({ card: made.id }))).toBe('not-collected');
    expect(refusal(() => w.counter.reissue({ card: made.id }))).toBe('not-collected');
    // The PINs are checked first, then who came.
    expect(refusal(() => w.counter.collect({ card: made.id, newPin: '25800', password: 'HANA2580' }))).toBe('bad-new-pin');
    expect(refusal(() => w.counter.collect({ card: made.id, newPin: '2580', password: 'hana' }))).toBe('bad-new-pin');
    expect(refusal(() => w.counter.collect({ card: made.id, newPin: '2580' }))).toBe('password-needed');
    expect(refusal(() => w.counter.collect({ card: made.id, newPin: '2580', password: 'HANA2580', who: 'representative' }))).toBe('not-a-representative');
    expect(refusal(() => w.counter.collect({ card: made.id, newPin: '2580', password: 'HANA2580', who: 'proxy' }))).toBe('no-inquiry');
    expect(refusal(() => w.counter.collect({ card: made.id, newPin: '2580', password: 'HANA2580', handedBack: ['passport'] }))).toBe('bad-handed-back');
    const done = w.counter.collect({ card: made.id, newPin: '2580', password: 'HANA2580', handedBack: ['notification-card'] });
    expect(done.summary).toMatch(/the 通知カード handed back \(kept by the office\)/);
    expect(done.action?.detail.handedBack).toEqual(['notification-card']);
    expect(done.status.collection).toBeNull();
    expect(done.status.pins).toEqual({ auth: { triesLeft: 3, locked: false }, sign: { triesLeft: 5, locked: false }, kenhojo: { triesLeft: 3, locked: false } });
    expect(done.status.center.certificates.map((c) => [c.kind, c.status, c.notBefore.slice(0, 10)])).toEqual([['auth', 'good', '2026-12-07'], ['sign', 'good', '2026-12-07']]);
    expect(done.action).toMatchObject({ action: 'collect', by: '中原区役所 区民課', detail: { who: 'holder', handedBack: ['notification-card'] } });
    expect(refusal(() => w.counter.collect({ card: made.id, newPin: '2580', password: 'HANA2580' }))).toBe('already-collected');
    const record = w.cards.record(made.id);
    expect(JSON.stringify(record)).not.toMatch(/2580|HANA2580/);
    expect(JSON.stringify(done)).not.toMatch(/2580|HANA2580/);
    expect(secretMatches(record.memory.auth.secret, '2580') && secretMatches(record.memory.cardInfo.secret, '2580') && secretMatches(record.memory.sign.secret, 'HANA2580')).toBe(true);
    expect(cause(await w.authenticate('kawasaki-hanako'))).toBe('certificate-not-yet-valid');
    w.clock.jump('2026-12-08T09:00:00+09:00');
    expect(cause(await w.authenticate('kawasaki-hanako'))).toBe('ok');
    // The card on a reader answers the PINs the holder set, over APDUs.
    const held = w.cards.take('kawasaki-hanako', 'test');
    try {
      const reader = new SimReader();
      reader.insert(held.card);
      const jpki = new JpkiClient(reader.connect());
      expect(await jpki.verifyAuthPin('2580')).toEqual({ result: 'ok' });
      expect(await jpki.verifySignPin('HANA2580')).toEqual({ result: 'ok' });
      const info = new CardInfoClient(reader.connect());
      expect(await info.verify('2580')).toEqual({ result: 'ok' });
    } finally {
      held.release();
    }
  });

  it('an application at the counter: J-LIS’s card reaches the office 28 days later, goes into the card store awaiting collection, and is handed over', async () => {
    const w = world({ at: '2026-12-05T10:00:00+09:00' });
    expect(refusal(() => w.counter.apply({ persona: 'kawasaki-hanako' }))).toBe('counter-weekend');
    w.clock.jump(MONDAY);
    const applied = w.counter.apply({ persona: 'kawasaki-hanako' });
    expect(applied.arrivesOn).toBe('2027-01-05');
    expect(applied.application).toMatchObject({ route: 'counter', by: '中原区役所 区民課', certificates: true, card: null });
    expect(refusal(() => w.counter.apply({ persona: 'kawasaki-hanako' }))).toBe('application-pending');
    expect(refusal(() => w.counter.status('kawasaki-hanako'))).toBe('no-card');
    expect(w.cards.current('kawasaki-hanako')).toBeNull();
    w.clock.jump('2027-01-05T09:00:00+09:00');
    const arrived = w.counter.status('kawasaki-hanako');
    expect(arrived).toMatchObject({ card: 'kawasaki-hanako-1', collection: { keptUntil: '2027-04-05' }, pins: {} });
    expect(arrived.center.actions.map((a) => `${a.action} by ${a.by}`)).toEqual(['card-arrived by J-LIS']);
    expect(w.center.life.records.applications('kawasaki-hanako')[0].card).toBe('kawasaki-hanako-1');
    // Looked at again, nothing more arrives.
    expect(w.counter.status('kawasaki-hanako').card).toBe('kawasaki-hanako-1');
    w.counter.collect({ card: 'kawasaki-hanako', newPin: '2580', password: 'HANA2580' });
    w.clock.jump('2027-01-06T09:00:00+09:00');
    expect(cause(await w.authenticate('kawasaki-hanako'))).toBe('ok');
    // A second card, its certificates declined: it comes without them.
    w.counter.apply({ persona: 'kawasaki-hanako', certificates: false });
    w.clock.jump('2027-02-08T10:00:00+09:00');
    const second = w.counter.collect({ card: 'kawasaki-hanako', newPin: '1357' });
    expect(second.status).toMatchObject({ card: 'kawasaki-hanako-2', pins: { kenhojo: { triesLeft: 3, locked: false } } });
    expect(second.status.center.certificates).toEqual([]);
  });

  it('a new card with its certificates declined gets the card-information PIN only; a child gets no signature certificate; a card kept past its days is gone', () => {
    const w = world();
    const declined = w.cards.make('kawasaki-taro', { uncollected: true, declined: true });
    expect(refusal(() => w.counter.collect({ card: declined.id, newPin: '1357', password: 'TARO1357' }))).toBe('no-signature-certificate');
    const done = w.counter.collect({ card: declined.id, newPin: '1357' });
    expect(done.status.pins).toEqual({ kenhojo: { triesLeft: 3, locked: false } });
    expect(done.status.center.certificates).toEqual([]);
    const child = w.cards.make('child-14', { uncollected: true });
    expect(refusal(() => w.counter.collect({ card: child.id, newPin: '2468', password: 'KID12345', who: 'representative' }))).toBe('no-signature-certificate');
    const childDone = w.counter.collect({ card: child.id, newPin: '2468', who: 'representative' });
    expect(childDone.status.center.certificates.map((c) => c.kind)).toEqual(['auth']);
    expect(Object.keys(childDone.status.pins)).toEqual(['auth', 'kenhojo']);
    const late = w.cards.make('kawasaki-hanako', { uncollected: true });
    w.clock.jump('2027-03-08T10:00:00+09:00'); // a Monday, 91 days after it was made
    expect(refusal(() => w.counter.collect({ card: late.id, newPin: '2580', password: 'HANA2580' }))).toBe('collection-expired');
  });

  it('resets a locked PIN during the office hours only, with a well-formed new PIN; the PIN itself is kept nowhere but in the card’s salted digest', () => {
    const w = world({ at: '2026-12-07T18:00:00+09:00' });
    const id = w.cards.make('kawasaki-taro').id;
    w.cards.alter(id, 'test', (r) => {
      r.memory.auth.triesLeft = 0;
      return [];
    });
    expect(w.counter.status(id).pins.auth).toEqual({ triesLeft: 0, locked: true });
    expect(refusal(() => w.counter.resetPin({ card: id, pin: 'auth', newPin: '4321' }))).toBe('counter-outside-hours');
    w.clock.jump(MONDAY);
    expect(refusal(() => w.counter.resetPin({ card: id, pin: 'auth', newPin: '43210' }))).toBe('bad-new-pin');
    expect(refusal(() => w.counter.resetPin({ card: id, pin: 'jukinet', newPin: '4321' }))).toBe('bad-pin-name');
    expect(refusal(() => w.counter.changePin({ card: id, pin: 'auth', newPin: '4321' }))).toBe('pin-locked');
    expect(refusal(() => w.counter.resetPin({ card: id, pin: 'auth', newPin: '4321', who: 'representative' }))).toBe('not-a-representative');
    const done = w.counter.resetPin({ card: id, pin: 'auth', newPin: '4321' });
    expect(done.status.pins.auth).toEqual({ triesLeft: 3, locked: false });
    const secret = w.cards.record(id).memory.auth.secret!;
    expect(createHash('sha256').update(Buffer.from(secret.salt, 'hex')).update('4321').digest('hex')).toBe(secret.sha256);
    const everything = JSON.stringify([done, w.center.life.records.actions(), w.cards.record(id).history]);
    expect(everything).not.toContain('4321');
  });

  it('a proxy resets a PIN in two visits: the inquiry is mailed first, the reset comes with its answer', () => {
    const w = world();
    const id = w.cards.make('kawasaki-taro').id;
    expect(refusal(() => w.counter.resetPin({ card: id, pin: 'sign', newPin: 'ABC123', who: 'proxy', answered: true }))).toBe('no-inquiry');
    const first = w.counter.resetPin({ card: id, pin: 'sign', newPin: 'ABC123', who: 'proxy' });
    expect(first.action?.action).toBe('proxy-applied');
    expect(first.summary).toMatch(/照会書兼回答書/);
    const second = w.counter.resetPin({ card: id, pin: 'sign', newPin: 'ABC123', who: 'proxy', answered: true });
    expect(second.action).toMatchObject({ action: 'reset-pin', detail: { pin: 'sign', who: 'proxy' } });
  });

  it('renews the certificates from 3 months before they expire, to the 5th birthday or the 6th, and the old ones are revoked', async () => {
    const w = world();
    const id = w.cards.make('kawasaki-taro').id;
    const notAfter = w.counter.status(id).center.certificates[0].notAfter;
    expect(refusal(() => w.counter.renew({ card: id }))).toBe('too-early');
    const opens = w.counter.status(id).renewal!.opensOn;
    // The first weekday the renewal is open, at 10:00.
    let day = Date.parse(`${opens}T10:00:00+09:00`);
    while ([0, 6].includes(new Date(day + 9 * 3600_000).getUTCDay()) || data.municipalities[0].holidays.includes(new Date(day + 9 * 3600_000).toISOString().slice(0, 10))) day += 86_400_000;
    w.clock.jump(new Date(day).toISOString());
    const done = w.counter.renew({ card: id });
    const fresh = done.status.center.certificates[0];
    expect(Date.parse(fresh.notAfter)).toBeGreaterThan(Date.parse(notAfter));
    // To a birthday (the last second of it, Japan time).
    expect(new Date(Date.parse(fresh.notAfter) + 9 * 3600_000).toISOString().slice(5, 19)).toBe(`${done.status.holder!.birthDate.slice(5, 10)}T23:59:59`);
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('certificate-not-yet-valid');
    w.clock.jump(new Date(day + 86_400_000).toISOString());
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('ok');
  });

  it('re-issues a card: the old one abolished and refused, the new one the persona’s current card, usable from the next day', async () => {
    const w = world();
    const old = w.cards.make('kawasaki-taro').id;
    const oldCert = Buffer.from(w.cards.record(old).certificates.auth!, 'base64');
    const done = w.counter.reissue({ card: old });
    expect(done.summary).toMatch(/fee 1000 yen/);
    const fresh = w.cards.current('kawasaki-taro')!;
    expect(fresh).not.toBe(old);
    expect(done.status.card).toBe(fresh);
    expect(w.counter.status(old).center.status).toBe('abolished');
    expect(refusal(() => w.counter.reissue({ card: old }))).toBe('card-abolished');
    expect(refusal(() => w.counter.resetPin({ card: old, pin: 'auth', newPin: '1111' }))).toBe('card-abolished');
    w.clock.jump('2026-12-08T10:00:00+09:00');
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('ok');
    // The old card's certificate, shown again: revoked.
    const terminal = w.center.connectLocal('K02');
    const challenge = await terminal.challenge();
    const key = createPrivateKey(readFileSync(join(ASSETS, 'keys', 'kawasaki-taro.key.pem')));
    const r = await terminal.authenticate({ certificate: oldCert, challenge, signature: sign('sha256', challenge, key), scope: 'residence', city: null, at: w.clock.now() });
    expect(cause(r)).toBe('revoked-replaced');
  });

  it('a change of address revokes the signature certificate and keeps the user one; a move out and a death are refused at the kiosk', async () => {
    const w = world();
    const id = w.cards.make('kawasaki-taro').id;
    expect(refusal(() => w.counter.changeAddress({ card: id, to: '横浜市' }))).toBe('other-city');
    const done = w.counter.changeAddress({ card: id, address: '中原区小杉町1-1' });
    expect(done.status.center.certificates.map((c) => `${c.kind} ${c.status}`)).toEqual(['auth good', 'sign revoked']);
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('ok');
    w.counter.moveOut({ card: id });
    const movedOut = await w.authenticate('kawasaki-taro');
    expect(movedOut.ok && movedOut.holder.movedOut).toBe(true);
    w.counter.death({ card: id });
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('revoked-deceased');
    expect(refusal(() => w.counter.renew({ card: id }))).toBe('deceased');
  });

  it('a move to another city: the 転入届 within 14 days, refused at the kiosk until the 継続利用 with the PIN, then the new city from the next day', async () => {
    const w = world();
    const id = w.cards.make('kawasaki-taro').id;
    expect(refusal(() => w.counter.moveIn({ card: id, to: '横浜市' }))).toBe('not-moved-out');
    w.counter.moveOut({ card: id });
    expect(refusal(() => w.counter.moveOut({ card: id }))).toBe('moved-out');
    expect(refusal(() => w.counter.moveIn({ card: id, to: '大阪市' }))).toBe('unknown-city');
    expect(refusal(() => w.counter.moveIn({ card: id, to: '川崎市' }))).toBe('not-another-city');
    expect(refusal(() => w.counter.continueCard({ card: id, pin: '8642' }))).toBe('not-pending');
    // Ten days later, at 横浜市's counter.
    w.clock.jump('2026-12-17T10:00:00+09:00');
    const moved = w.counter.moveIn({ card: id, to: '141003', address: '横浜市中区日本大通1' });
    expect(moved.status.holder?.cityName).toBe('横浜市');
    expect(moved.status.center.continueBy).toBe('2027-03-17');
    expect(moved.status.center.certificates.map((c) => `${c.kind} ${c.status}`)).toEqual(['auth good', 'sign revoked']);
    expect(moved.action?.detail).toMatchObject({ from: '141305', city: '141003' });
    expect(refusal(() => w.counter.moveIn({ card: id, to: '横浜市' }))).toBe('not-moved-out');
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('continuation-pending');
    // The PIN: its form is the caller's mistake; a wrong one costs a try on the card.
    expect(refusal(() => w.counter.continueCard({ card: id, pin: '86420' }))).toBe('bad-pin');
    expect(refusal(() => w.counter.continueCard({ card: id, pin: '1111' }))).toBe('wrong-pin');
    expect(w.counter.status(id).pins.auth).toEqual({ triesLeft: 2, locked: false });
    const done = w.counter.continueCard({ card: id, pin: '8642' });
    expect(done.status.pins.auth).toEqual({ triesLeft: 3, locked: false });
    expect(done.status.center).toMatchObject({ status: 'active', continueBy: null, usableFrom: '2026-12-17T15:00:00.000Z' });
    expect(refusal(() => w.counter.continueCard({ card: id, pin: '8642' }))).toBe('not-pending');
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('certificate-not-yet-valid');
    w.clock.jump('2026-12-18T10:00:00+09:00');
    const next = await w.authenticate('kawasaki-taro');
    expect(next.ok && next.city.code).toBe('141003');
    expect(next.ok && next.holder).toMatchObject({ residenceCity: '141003', movedOut: false, sealRegistered: false, household: [{ id: 'kawasaki-taro', relationship: '世帯主' }] });
    // No PIN anywhere: not in the answers, the center's actions or the card's history.
    const everything = JSON.stringify([moved, done, w.center.life.records.actions(), w.cards.record(id).history]);
    expect(everything).not.toMatch(/8642|1111/);
  });

  it('a 転入届 later than 14 days after the 転出届: the card lapses (late-move-in) and is refused as abolished', async () => {
    const w = world();
    const id = w.cards.make('kawasaki-taro').id;
    w.counter.moveOut({ card: id });
    w.clock.jump('2026-12-22T10:00:00+09:00'); // 15 days later
    expect(refusal(() => w.counter.moveIn({ card: id, to: '横浜市' }))).toBe('late-move-in');
    const s = w.counter.status(id);
    expect(s.center).toMatchObject({ status: 'abolished', reason: 'late-move-in' });
    expect(s.holder?.cityName).toBe('横浜市');
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('card-abolished');
    expect(refusal(() => w.counter.continueCard({ card: id, pin: '8642' }))).toBe('card-abolished');
  });

  it('no 継続利用 within the 90 days after the 転入届: the card lapses by the center’s clock, with nothing written; a second move within them lapses it too', async () => {
    const w = world();
    const id = w.cards.make('kawasaki-taro').id;
    w.counter.moveOut({ card: id });
    w.counter.moveIn({ card: id, to: '横浜市' });
    expect(w.counter.status(id).center.continueBy).toBe('2027-03-07');
    // The last day (a Sunday, at 23:00): still pending. The next morning: lapsed.
    w.clock.jump('2027-03-07T23:00:00+09:00');
    expect(w.counter.status(id).center).toMatchObject({ status: 'active', continueBy: '2027-03-07' });
    w.clock.jump('2027-03-08T10:00:00+09:00');
    const lapsed = w.counter.status(id).center;
    expect(lapsed).toMatchObject({ status: 'abolished', reason: 'not-continued', continueBy: null });
    expect(lapsed.certificates.map((c) => `${c.kind} ${c.status}`)).toEqual(['auth revoked', 'sign revoked']);
    expect(w.center.life.records.card(id)?.status).toBe('active'); // read from the dates, not written
    expect(cause(await w.authenticate('kawasaki-taro'))).toBe('card-abolished');
    expect(refusal(() => w.counter.continueCard({ card: id, pin: '8642' }))).toBe('card-abolished');

    // Another resident moves in and out again within the 90 days, never continued: the card lapses at the 転出.
    const v = world();
    const card = v.cards.make('kawasaki-taro').id;
    v.counter.moveOut({ card });
    v.counter.moveIn({ card, to: '横浜市' });
    v.clock.jump('2026-12-08T10:00:00+09:00');
    const again = v.counter.moveOut({ card });
    expect(again.summary).toMatch(/lapsed/);
    expect(again.status.center).toMatchObject({ status: 'abolished', reason: 'not-continued' });
    expect(refusal(() => v.counter.moveIn({ card, to: '府中市' }))).toBe('card-abolished');
  });

  it('continued in a city that does not take part: the center names that city, and the kiosk refuses it as not participating', async () => {
    const w = world();
    const id = w.cards.make('kawasaki-taro').id;
    w.counter.moveOut({ card: id });
    w.counter.moveIn({ card: id, to: 'まぼろし村' });
    const done = w.counter.continueCard({ card: id, pin: '8642' });
    expect(done.summary).toMatch(/まぼろし村 does not take part in the konbini service/);
    w.clock.jump('2026-12-08T10:00:00+09:00');
    const r = await w.authenticate('kawasaki-taro');
    expect(r.ok && { code: r.city.code, participating: r.city.participating }).toEqual({ code: '999991', participating: false });
  });

  it('the 継続利用 is not done for a suspended card, nor at a closed counter', () => {
    const w = world();
    const id = w.cards.make('kawasaki-taro').id;
    w.counter.moveOut({ card: id });
    w.counter.moveIn({ card: id, to: '横浜市' });
    w.counter.reportLost({ card: id });
    expect(refusal(() => w.counter.continueCard({ card: id, pin: '8642' }))).toBe('card-suspended');
    w.clock.jump('2026-12-13T10:00:00+09:00'); // Sunday
    expect(refusal(() => w.counter.continueCard({ card: id, pin: '8642' }))).toBe('counter-weekend');
  });

  it('a card that has itself expired is not renewed (its certificates cannot outlive it): a new card is applied for', () => {
    const w = world();
    w.cards.make('expired-card');
    expect(refusal(() => w.counter.renew({ card: 'expired-card' }))).toBe('card-expired');
  });

  it('the JPKI app reserves a reset for 24 hours at any hour with the other PIN: a wrong one costs the card a try, both locked or a revoked signature certificate send the holder to the counter', () => {
    const w = world({ at: '2026-12-07T21:30:00+09:00' }); // Monday night: the office is closed, the app is not
    const id = w.cards.make('kawasaki-taro').id;
    expect(refusal(() => w.counter.reservePinReset({ card: id, pin: 'auth', other: 'WRONG1PW' }))).toBe('wrong-pin');
    expect(w.cards.record(id).memory.sign.triesLeft).toBe(4);
    expect(refusal(() => w.counter.reservePinReset({ card: id, pin: 'kenhojo', other: 'SIGN01PW' }))).toBe('bad-pin-name');
    const done = w.counter.reservePinReset({ card: id, pin: 'auth', other: 'SIGN01PW' });
    // A right PIN gives the card its counter back, as its VERIFY does; the reservation keeps no PIN.
    expect(w.cards.record(id).memory.sign.triesLeft).toBe(5);
    expect(done.action).toMatchObject({ action: 'reserve-pin-reset', by: 'JPKI暗証番号リセット app', detail: { pin: 'auth', until: '2026-12-08T12:30:00.000Z' } });
    expect(JSON.stringify(done)).not.toContain('SIGN01PW');
    expect(done.summary).toContain('until 2026-12-08 21:30 Japan time');
    // The user PIN locked too: only the counter resets both.
    w.cards.alter(id, 'test', (r) => {
      r.memory.auth = { ...r.memory.auth, triesLeft: 0 };
      return [];
    });
    expect(refusal(() => w.counter.reservePinReset({ card: id, pin: 'sign', other: '8642' }))).toBe('other-pin-locked');
    // An address change revokes the signature certificate: it is issued again at the counter, not reset.
    const v = world();
    v.cards.make('kawasaki-hanako');
    v.counter.changeAddress({ card: 'kawasaki-hanako', address: '川崎市中原区小杉町1-1' });
    expect(refusal(() => v.counter.reservePinReset({ card: 'kawasaki-hanako', pin: 'auth', other: data.persona('kawasaki-hanako').card.signPin! }))).toBe('certificate-unusable');
  });

  it('keeps its records across a restart of the center (SQLite), and takes back the card’s change when the center cannot write', async () => {
    const file = join(mkdtemp(), 'center.sqlite');
    const records = new SqliteCenterRecords(file);
    const w = world({ records });
    const id = w.cards.make('kawasaki-taro').id;
    w.counter.reportLost({ card: id });
    records.close();
    const again = world({ records: new SqliteCenterRecords(file) });
    again.cards.make('kawasaki-taro');
    expect(cause(await again.authenticate('kawasaki-taro'))).toBe('certificate-on-hold');

    // A center whose every write fails: the counter leaves the card as it was.
    const failing = new SqliteCenterRecords(null);
    const broken = world({ records: Object.assign(failing, { act: () => { throw new Error('disk I/O error'); } }) });
    const card = broken.cards.make('kawasaki-taro').id;
    const before = broken.cards.record(card).memory.auth;
    expect(() => broken.counter.resetPin({ card, pin: 'auth', newPin: '4321' })).toThrow(/disk I\/O error/);
    expect(broken.cards.record(card).memory.auth).toEqual(before);
    expect(broken.cards.record(card).history.at(-1)).toMatchObject({ event: 'counter', action: 'reset-pin-undone' });
    // A re-issue the center cannot record leaves no new card behind: the old one is still the persona's current card.
    expect(() => broken.counter.reissue({ card })).toThrow(/disk I\/O error/);
    expect(broken.cards.current('kawasaki-taro')).toBe(card);
    expect(failing.card(card)).toBeNull();
  });
});

const mkdtemp = () => mkdtempSync(join(tmpdir(), 'counter-'));

describe('the 交付通知書 of a card waiting at the office', () => {
  it('names the holder, the office of their ward and its hours, the last day; refused once the card is handed over', () => {
    const w = world();
    const made = w.cards.make('kawasaki-hanako', { uncollected: true });
    expect(w.counter.notice(made.id)).toMatchObject({
      cardId: made.id, name: '川崎 花子', arrivedOn: '2026-12-07', keptUntil: '2027-03-07', municipality: '川崎市', certificates: true,
      office: { name: '中原区役所 区民課' }, hours: expect.stringMatching(/^平日 09:00〜17:00、第2・第4土曜 08:30〜12:30/),
    });
    w.counter.collect({ card: made.id, newPin: '2580', password: 'HANA2580' });
    expect(refusal(() => w.counter.notice(made.id))).toBe('already-collected');
  });
});
