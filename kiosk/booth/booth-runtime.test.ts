// The photo booth as a resident meets it, on its simulated devices and the center in process: a form printed by
// J-LIS, the fee, the QR code held to the scanner, the birth date, a dark photograph retaken, the application sent,
// the slip; then the card at the counter four weeks later and a 住民票 at the konbini kiosk. And every way out before
// sending gives back the very coins inserted.
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimCenter } from '../../center/sim-center.ts';
import { ASSETS, loadSampleData } from '../../samples/sample-data.ts';
import { CardStore } from '../card-store.ts';
import { SimClock } from '../clock.ts';
import { WardCounter } from '../counter/counter.ts';
import { SimCashBox } from '../devices/cash-box.ts';
import { APPLICATION_SITE } from '../../printer/layout/application-form.ts';
import { pdftotext } from '../../printer/testing/poppler.ts';
import { BoothRuntime, SimSlipPrinter } from './booth-runtime.ts';
import { ScannerNotReadingError, SimCamera, SimQrScanner } from './devices.ts';
import { BoothJournal } from './booth-faults.ts';
import { TerminalOutOfOrderError } from '../runtime.ts';

const data = loadSampleData();
const MONDAY = '2026-12-07T10:00:00+09:00';

function booth(at = MONDAY, journal = new BoothJournal()) {
  const clock = new SimClock(at);
  const center = new SimCenter({
    municipalities: data.municipalities, registry: data.registry, personas: data.personas, ca: data.ca, clock, signCa: data.signCa.certificate,
  });
  const cashBox = new SimCashBox({ 1000: 10, 500: 10, 100: 20, 50: 10, 10: 20 });
  const scanner = new SimQrScanner();
  const camera = new SimCamera();
  const printer = new SimSlipPrinter();
  const runtime = new BoothRuntime({ clock, center: center.connectLocal('B01'), cashBox, scanner, camera, printer, terminalId: 'B01', journal });
  return { clock, center, cashBox, scanner, camera, printer, runtime, journal };
}

describe('the photo booth on its simulated devices', () => {
  it('an application from the form to the slip; four weeks later the card at the counter; the next day a 住民票 at the kiosk', async () => {
    const b = booth();
    const form = b.center.applications.printForm('kawasaki-hanako').id;
    const { runtime } = b;
    expect(() => b.scanner.present(`${APPLICATION_SITE}${form}`)).toThrow(ScannerNotReadingError);
    runtime.send({ type: 'ui.start' });
    expect(runtime.view()).toMatchObject({ screen: 'payment', fee: 1000, inserted: 0 });
    expect(runtime.insertCash(500)).toBe(true);
    expect(runtime.insertCash(5000)).toBe(true);
    expect(runtime.view()).toMatchObject({ screen: 'scan', inserted: 5500 });
    b.scanner.present('https://example.com/not-a-form');
    expect(runtime.view()).toMatchObject({ screen: 'scan', notice: 'not-a-form' });
    b.scanner.present(`${APPLICATION_SITE}${form}`);
    await runtime.settled();
    expect(runtime.view()).toMatchObject({ screen: 'birth-date', step: 'entering' });
    runtime.send({ type: 'ui.enterBirthDate', birthDate: '1982-03-09' });
    await runtime.settled();
    expect(runtime.view()).toMatchObject({ screen: 'birth-date', birthDateWrong: true, birthDateTriesLeft: 2 });
    runtime.send({ type: 'ui.enterBirthDate', birthDate: '1982-09-30' });
    await runtime.settled();
    runtime.send({ type: 'ui.setOptions', certificates: true, braille: false });
    b.camera.pose('dark');
    runtime.send({ type: 'ui.takePhoto' });
    await runtime.settled();
    const dark = runtime.view();
    expect(dark).toMatchObject({ screen: 'photo', step: 'review', photo: { checks: { face: true, centred: true, lit: false, plainBackground: true } }, photoTriesLeft: 2 });
    expect(dark.photo!.png).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    runtime.send({ type: 'ui.acceptPhoto' });
    expect(runtime.view().step).toBe('review');
    runtime.send({ type: 'ui.retakePhoto' });
    b.camera.pose('good');
    runtime.send({ type: 'ui.takePhoto' });
    await runtime.settled();
    runtime.send({ type: 'ui.acceptPhoto' });
    runtime.send({ type: 'ui.confirm' });
    await runtime.settled();
    expect(runtime.view()).toMatchObject({ screen: 'done', step: 'shown', application: { arrivesOn: '2027-01-05' }, owed: 0 });
    // The fee is in the box, the change went back, the slip says what was sent.
    expect(b.cashBox.counters).toMatchObject({ accepted: 5500, paidOut: 4500 });
    const [slip] = [...b.printer.printed.values()];
    expect(pdftotext(slip)).toContain(form.replace(/(\d{4})(?=\d)/g, '$1 '));
    const [application] = b.center.life.records.applications('kawasaki-hanako');
    expect(application).toMatchObject({ route: 'booth', by: 'B01', certificates: true });
    runtime.send({ type: 'ui.done' });
    expect(runtime.view()).toMatchObject({ screen: 'top', photo: null });

    // Four weeks later, at the ward office: the card has arrived and is handed over; the next day, the kiosk.
    b.clock.jump('2027-01-05T10:00:00+09:00');
    const cards = new CardStore({ dir: null, data, clock: b.clock });
    const counter = new WardCounter({ cards, center: b.center, data, clock: b.clock, desk: '中原区役所 区民課' });
    const collected = counter.collect({ card: 'kawasaki-hanako', newPin: '2580', password: 'HANA2580' });
    expect(collected.status.center.certificates.map((c) => c.status)).toEqual(['good', 'good']);
    b.clock.jump('2027-01-06T10:00:00+09:00');
    const kiosk = b.center.connectLocal('K01');
    const certificate = Buffer.from(cards.record('kawasaki-hanako-1').certificates.auth!, 'base64');
    const challenge = await kiosk.challenge();
    const key = createPrivateKey(readFileSync(join(ASSETS, 'keys', 'kawasaki-hanako.key.pem')));
    const auth = await kiosk.authenticate({ certificate, challenge, signature: sign('sha256', challenge, key), scope: 'residence', city: null, at: b.clock.now() });
    expect(auth).toMatchObject({ ok: true, holder: { name: '川崎 花子' } });
  });

  it('every way out before sending gives back the very coins inserted: a used form, a cancel at the photo, three failing photos, two timeouts', async () => {
    const b = booth();
    const { runtime } = b;
    const form = b.center.applications.printForm('takasaki-yoshiko').id;
    const start = async (coins: number[]) => {
      runtime.send({ type: 'ui.start' });
      for (const c of coins) runtime.insertCash(c);
      b.scanner.present(form);
      await runtime.settled();
    };
    // Cancelled at the photo.
    await start([1000]);
    runtime.send({ type: 'ui.enterBirthDate', birthDate: '1975-01-20' });
    await runtime.settled();
    runtime.send({ type: 'ui.setOptions', certificates: false, braille: true });
    runtime.send({ type: 'ui.cancel' });
    await runtime.settled();
    expect(runtime.view()).toMatchObject({ screen: 'cancelled', reason: 'cancelled' });
    expect(b.cashBox.counters).toMatchObject({ accepted: 1000, returned: 1000 });
    runtime.send({ type: 'ui.done' });
    // Three photographs with nobody in front of the camera: refused, the money back.
    await start([500, 500]);
    runtime.send({ type: 'ui.enterBirthDate', birthDate: '1975-01-20' });
    await runtime.settled();
    runtime.send({ type: 'ui.setOptions', certificates: true, braille: false });
    b.camera.pose('nobody');
    for (let i = 0; i < 3; i++) {
      runtime.send({ type: 'ui.takePhoto' });
      await runtime.settled();
      expect(runtime.view().photo?.checks.face).toBe(false);
      runtime.send({ type: 'ui.retakePhoto' });
    }
    await runtime.settled();
    expect(runtime.view()).toMatchObject({ screen: 'refused', reason: 'photo-rejected' });
    expect(b.cashBox.counters).toMatchObject({ accepted: 2000, returned: 2000 });
    runtime.send({ type: 'ui.done' });
    // Left at the scan: the warning after 90 s, then cancelled 30 s later, the money back.
    runtime.send({ type: 'ui.start' });
    runtime.insertCash(1000);
    b.clock.advance(90_000);
    expect(runtime.view()).toMatchObject({ screen: 'scan', warning: true });
    b.clock.advance(30_000);
    await runtime.settled();
    expect(runtime.view()).toMatchObject({ screen: 'cancelled', reason: 'timeout' });
    expect(b.cashBox.counters).toMatchObject({ accepted: 3000, returned: 3000 });
    runtime.send({ type: 'ui.done' });
    // A form another booth used meanwhile: refused when sent, the money back.
    await start([1000]);
    runtime.send({ type: 'ui.enterBirthDate', birthDate: '1975-01-20' });
    await runtime.settled();
    runtime.send({ type: 'ui.setOptions', certificates: true, braille: false });
    b.camera.pose('good');
    runtime.send({ type: 'ui.takePhoto' });
    await runtime.settled();
    runtime.send({ type: 'ui.acceptPhoto' });
    await b.center.connectLocal('B02').applyForCard({ form, birthDate: '1975-01-20', certificates: true, braille: false, photoSha256: 'e'.repeat(64), at: b.clock.now(), terminal: 'B02' });
    runtime.send({ type: 'ui.confirm' });
    await runtime.settled();
    expect(runtime.view()).toMatchObject({ screen: 'refused', reason: 'form-used' });
    expect(b.cashBox.counters).toMatchObject({ accepted: 4000, returned: 4000, paidOut: 0 });
    expect(b.printer.printed.size).toBe(0);
  });

  it('a journal that fails after a coin: the money still goes back, the next person is turned away until staff resume, and nothing missed is lost', async () => {
    const b = booth();
    const { runtime, journal } = b;
    const form = b.center.applications.printForm('kawasaki-hanako').id;
    runtime.send({ type: 'ui.start' });
    expect(runtime.insertCash(500)).toBe(true);
    journal.broken = true;
    // The coin is in escrow: it counts, and the booth says it can no longer keep its books.
    expect(runtime.insertCash(500)).toBe(true);
    expect(runtime.outOfOrder).toMatch(/the journal cannot be written \(Error: EIO/);
    expect(runtime.view()).toMatchObject({ screen: 'scan', inserted: 1000 });
    runtime.send({ type: 'ui.cancel' });
    await runtime.settled();
    expect(runtime.view()).toMatchObject({ screen: 'cancelled', reason: 'cancelled' });
    expect(b.cashBox.counters).toMatchObject({ accepted: 1000, returned: 1000 });
    runtime.send({ type: 'ui.done' });
    runtime.send({ type: 'ui.start' });
    expect(runtime.view().screen).toBe('out-of-service');
    expect(b.cashBox.accepting).toBe(false);
    expect(() => runtime.resumeService()).toThrow(TerminalOutOfOrderError);
    journal.broken = false;
    runtime.resumeService();
    expect(runtime.outOfOrder).toBeNull();
    // What the journal missed is written, in order, under the session it belongs to.
    const facts = journal.records.map((r) => `${r.type} ${'amount' in r ? r.amount : ''}`.trim());
    expect(facts).toEqual(['cash.in 500', 'cash.in 500', 'cash.refunded 1000']);
    expect(new Set(journal.records.map((r) => r.session)).size).toBe(1);
    runtime.send({ type: 'ui.done' });
    runtime.send({ type: 'ui.start' });
    expect(runtime.view().screen).toBe('payment');
    // A journal failing just as the application goes: it is not sent (no record of it would survive a crash).
    runtime.insertCash(1000);
    b.scanner.present(form);
    await runtime.settled();
    runtime.send({ type: 'ui.enterBirthDate', birthDate: '1982-09-30' });
    await runtime.settled();
    runtime.send({ type: 'ui.setOptions', certificates: true, braille: false });
    runtime.send({ type: 'ui.takePhoto' });
    await runtime.settled();
    runtime.send({ type: 'ui.acceptPhoto' });
    journal.broken = true;
    runtime.send({ type: 'ui.confirm' });
    await runtime.settled();
    expect(runtime.view()).toMatchObject({ screen: 'refused', reason: 'center-unreachable' });
    expect(b.center.life.records.applications('kawasaki-hanako')).toEqual([]);
    expect(b.cashBox.counters).toMatchObject({ accepted: 2000, returned: 2000 });
    expect(runtime.outOfOrder).toMatch(/journal/);
  });
});
