// The runner's instruments, one at a time, in process: the documents the printer was given, the journal, the reader's
// APDUs, a card pulled mid-exchange, card variants, clock jumps, held device work and ignored taps — each with a
// journey that passes and one that fails with the message a QA engineer reads.
import { describe, expect, it } from 'vitest';
import { parseJourneyText } from '../../kiosk/journeys/format.ts';
import { runJourney, type JourneyResult } from '../../kiosk/journeys/run.ts';
import { loadSampleData } from '../../samples/sample-data.ts';

const personas = loadSampleData().personas.map((p) => p.id);
const run = (lines: string[], top = ''): Promise<JourneyResult> =>
  runJourney(parseJourneyText('t.yaml', `name: t\npersona: kawasaki-taro\nclock: 2026-11-24T10:00:00+09:00\n${top}steps:\n${lines.map((l) => `  - ${l}\n`).join('')}`, personas));
const failure = async (lines: string[], top = '') => {
  const r = await run(lines, top);
  expect(r.passed).toBe(false);
  return r.failure!;
};

const TO_CARD_READING = ['tap: government-service', 'tap: certificate-service', 'tap: my-number-card', 'tap: accept-terms'];
const TO_CERTIFICATES = [...TO_CARD_READING, 'insert-card', 'tap: residence', 'pin: "8642"', 'remove-card'];
const TO_PAYMENT = [...TO_CERTIFICATES, 'certificate: inkan', 'copies: 1', 'tap: confirm'];
const JUMINHYO = [...TO_CERTIFICATES, 'certificate: juminhyo', 'type: { scope: household }', 'info: { householdHead: true }', 'copies: 1', 'tap: confirm', 'insert-cash: [1000]'];

describe('the journey runner', () => {
  it('checks the content of the documents printed, and says what is missing', async () => {
    const ok = await run([...JUMINHYO, 'expect: { document: { title: 住民票の写し, kind: juminhyo, contains: [川崎 一郎, 世帯主], absent: [個人番号] } }',
      'expect: { receipt: { contains: [住民票の写し, charged 200, change 800] } }']);
    expect(ok.failure).toBeNull();
    expect(ok.printed).toEqual([expect.objectContaining({ kind: 'juminhyo', title: '住民票の写し', copy: 1, of: 1 })]);
    const f = await failure([...JUMINHYO, 'expect: { document: { title: 印鑑登録証明書, contains: [川崎 次郎], absent: [川崎 花子] } }']);
    expect(f.line).toBe(19);
    expect(f.message).toBe('the certificate (住民票の写し 1/1) is titled "住民票の写し", expected "印鑑登録証明書"; the certificate (住民票の写し 1/1) does not carry "川崎 次郎"; '
      + 'the certificate (住民票の写し 1/1) carries "川崎 花子", expected it absent');
    expect((await failure([...TO_CERTIFICATES, 'expect: { document: { contains: [x] } }'])).message).toBe('no certificate was printed');
  });

  it('chooses a tax certificate the city issues, and cannot choose one it does not (川崎市 issues no 納税証明書)', async () => {
    const ok = await run([...TO_CERTIFICATES, 'certificate: kazei', 'type: { tax: shotoku, year: 2026 }', 'expect: { screen: copies }']);
    expect(ok.failure).toBeNull();
    const f = await failure([...TO_CERTIFICATES, 'certificate: kazei', 'type: { tax: nozei, year: 2026 }']);
    expect(f.message).toBe('choosing the sub-type is not possible on the type-select screen');
  });

  it('checks the journal, records in order', async () => {
    expect((await run([...JUMINHYO, 'expect: { journal: [cash.in, issued, { type: print.copy, copy: 1 }, { type: cash.out, change: 800, charged: 200 }] }'])).failure).toBeNull();
    const f = await failure([...JUMINHYO, 'expect: { journal: [issued, cash.in] }']);
    expect(f.message).toMatch(/^the journal has no \{"type":"cash.in"\} after the records matched before it \(it holds: cash\.in, payment\.collected, issued, print\.copy\.start, print\.copy, print\.receipt, cash\.payout\.start, cash\.out\)$/);
  });

  it('counts the reader\'s APDUs: a card is read, a PIN checked, a challenge signed', async () => {
    const r = await run([...TO_CARD_READING, 'insert-card', 'expect: { apdus: 14 }', 'tap: residence', 'pin: "8642"', 'expect: { apdusAtMost: 30 }']);
    expect(r.failure).toBeNull();
    expect(r.apdus).toBeGreaterThan(14);
    expect((await failure([...TO_CARD_READING, 'insert-card', 'expect: { apdusAtMost: 5 }'])).message).toBe('the reader exchanged 14 APDUs, expected at most 5');
  });

  it('pulls the card mid-read, at the PIN, at the signature, or at the Nth APDU', async () => {
    for (const [arm, at] of [['remove-card: { during: read }', 'insert-card'], ['remove-card: { at-apdu: 3 }', 'insert-card']]) {
      const r = await run([...TO_CARD_READING, arm, at, 'expect: { screen: refused, reason: card-removed, cardPresent: false }']);
      expect(r.failure, arm).toBeNull();
    }
    for (const during of ['pin', 'sign']) {
      const r = await run([...TO_CARD_READING, 'insert-card', 'tap: residence', `remove-card: { during: ${during} }`, 'pin: "8642"', 'expect: { screen: refused, reason: card-removed }']);
      expect(r.failure, during).toBeNull();
    }
    // The right PIN reached the card when it was pulled at the signature, not when it was pulled at the VERIFY.
    const atPin = await run([...TO_CARD_READING, 'insert-card', 'tap: residence', 'remove-card: { during: pin }', 'pin: "8642"']);
    const atSign = await run([...TO_CARD_READING, 'insert-card', 'tap: residence', 'remove-card: { during: sign }', 'pin: "8642"']);
    expect(atPin.transitions).not.toContain('kiosk.pin-entry.verifying card.pin.ok #0');
    expect(atSign.transitions).toContain('kiosk.pin-entry.verifying card.pin.ok #0');
  });

  it('changes the persona\'s card: tries left, issued today, expired', async () => {
    expect((await run([...TO_CARD_READING, 'insert-card', 'expect: { screen: city-select, triesLeft: 2 }'], 'card: { triesLeft: 2 }\n')).failure).toBeNull();
    expect((await run([...TO_CARD_READING, 'insert-card: { persona: one-try-left, triesLeft: 3 }', 'expect: { screen: city-select, triesLeft: 3 }'])).failure).toBeNull();
    expect((await run([...TO_CARD_READING, 'insert-card: { issuedDaysAgo: 0 }', 'expect: { screen: refused, reason: certificate-not-yet-valid }'])).failure).toBeNull();
    expect((await run([...TO_CARD_READING, 'insert-card: { persona: expired, issuedDaysAgo: 10 }', 'expect: { screen: city-select }'])).failure).toBeNull();
    // A step's own variant is a new card made so: even the locked persona's new card has its tries.
    expect((await run([...TO_CARD_READING, 'insert-card: { persona: pin-locked, triesLeft: 3 }', 'expect: { screen: city-select, triesLeft: 3 }'])).failure).toBeNull();
  });

  it('jumps the clock without firing timers, and keeps a screen\'s idle time', async () => {
    const r = await run(['tap: government-service', 'wait: 50', 'clock: 2026-11-25T03:00:00+09:00', 'expect: { screen: government-menu, warning: false }',
      'wait: 10', 'expect: { warning: true }', 'tap: cancel', 'tap: done', 'tap: government-service', 'expect: { screen: out-of-service, reason: outside-hours }']);
    expect(r.failure).toBeNull();
  });

  it('holds device work back: a tap during the refund is ignored, a timeout while printing changes nothing', async () => {
    const r = await run([...TO_PAYMENT, 'insert-cash: [100]', 'hold: refund', 'tap: cancel', 'expect: { screen: payment, inserted: 100 }',
      'tap: { button: cancel, ignored: true }', 'wait: 120', 'expect: { screen: payment }', 'release: refund', 'expect: { screen: cancelled, refunded: 100 }']);
    expect(r.failure).toBeNull();
    expect(r.transitions).toEqual(expect.arrayContaining(['kiosk.payment.refunding ui.cancel #0', 'kiosk.payment.refunding timeout #0']));
    const p = await run([...TO_PAYMENT, 'hold: print', 'insert-cash: [1000]', 'fault: change-empty', 'wait: 60', 'expect: { screen: printing, printed: 0 }', 'release',
      'expect: { screen: printing, printed: 1, owed: 800 }']);
    expect(p.failure).toBeNull();
    expect(p.transitions).toEqual(expect.arrayContaining(['kiosk.printing timeout #0', 'kiosk.printing.payingOut cash.payoutFailed #1']));
  });

  it('fails a tap that was to be ignored but acts, and a tap that cannot act', async () => {
    // On the main menu, cancel clears a passing notice: it acts.
    expect((await failure(['tap: government-service', 'tap: cancel', 'tap: done', 'tap: { button: cancel, ignored: true }'])).message)
      .toBe('tap cancel was expected to be ignored on the top screen, but it acts there');
    expect((await failure(['tap: confirm'])).message).toBe('tap confirm is not possible on the top screen');
  });

  it('records the machine\'s path and the screen after every step, never a PIN', async () => {
    const r = await run([...TO_CERTIFICATES]);
    expect(r.path).toEqual(['top', 'government-menu', 'advanced-menu', 'card-reading', 'city-select', 'pin-entry.entering', 'pin-entry.verifying',
      'pin-entry.authenticating', 'card-removal', 'certificate-select']);
    const pin = r.steps.find((s) => s.step.startsWith('pin'))!;
    expect(pin.step).toBe('pin: ****');
    expect(pin.states).toEqual(['pin-entry.verifying', 'pin-entry.authenticating', 'card-removal']);
    expect(pin.view).toMatchObject({ screen: 'card-removal', holder: '川崎 太郎', cardPresent: true });
    expect(JSON.stringify(r)).not.toContain('8642');
  });
});
