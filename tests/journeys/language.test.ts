// The journey language, parsed: every kind of step and expectation a journey can write, and the messages a QA
// engineer gets for realistic mistakes (file:line, and what was expected instead).
import { describe, expect, it } from 'vitest';
import { JourneyFormatError, parseJourneyText, type Journey } from '../../kiosk/journeys/format.ts';
import { describeStep } from '../../kiosk/journeys/run.ts';
import { loadSampleData } from '../../samples/sample-data.ts';

const data = loadSampleData();
const personas = data.personas.map((p) => p.id);
const head = 'name: test\npersona: kawasaki-taro\nclock: 2026-11-24T10:00:00+09:00\nsteps:\n';
const parse = (text: string) => parseJourneyText('j.yaml', text, personas, data.municipalities);
const steps = (...lines: string[]) => parse(head + lines.map((l) => `  - ${l}\n`).join('')).steps.map(({ line: _l, ...s }) => s);
const refusal = (text: string): string => {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(JourneyFormatError);
    return (e as Error).message;
  }
  throw new Error('parsed without an error');
};

describe('the journey language', () => {
  it('parses the person\'s steps', () => {
    expect(steps('tap: government-service', 'tap: { button: cancel, ignored: true }', 'language: zh-Hant', 'domicile: 府中市', 'pin: "8642"',
      'certificate: koseki', 'type: { form: kojin, person: kawasaki-taro }', 'info: { householdHead: true }', 'copies: 2', 'correct: copies',
      'insert-cash: [1000, 100]', 'insert-cash: 500')).toEqual([
      { kind: 'tap', tap: 'government-service' },
      { kind: 'tap', tap: 'cancel', ignored: true },
      { kind: 'language', language: 'zh-Hant' },
      { kind: 'domicile', city: '府中市' },
      { kind: 'pin', digits: '8642' },
      { kind: 'certificate', certificate: 'koseki' },
      { kind: 'type', value: { form: 'kojin', person: 'kawasaki-taro' } },
      { kind: 'info', options: { householdHead: true, domicile: false, myNumber: false, nationality: false, residenceStatus: false, residenceCardNumber: false } },
      { kind: 'copies', copies: 2 },
      { kind: 'correct', step: 'copies' },
      { kind: 'insert-cash', yen: [1000, 100] },
      { kind: 'insert-cash', yen: [500] },
    ]);
  });

  it('parses a tax certificate chosen by its kind, and refuses a kind that is none', () => {
    expect(steps('certificate: kazei', 'type: { tax: nozei, year: 2026 }', 'type: { year: 2025 }', 'expect: { document: { kind: shotoku } }')).toEqual([
      { kind: 'certificate', certificate: 'kazei' },
      { kind: 'type', value: { tax: 'nozei', year: 2026 } },
      { kind: 'type', value: { year: 2025 } },
      { kind: 'expect', expect: { document: { kind: 'shotoku' } } },
    ]);
    expect(refusal(head + '  - type: { tax: passport, year: 2026 }\n')).toMatch(/^j\.yaml:5: "type" has a wrong tax: "passport" \(expected .*tax: kazei\|shotoku\|shotoku-kazei\|nozei/);
  });

  it('parses cards, devices, time and held work', () => {
    expect(steps('insert-card', 'insert-card: expired', 'insert-card: { persona: one-try-left, triesLeft: 0 }', 'insert-card: { expired: true }',
      'remove-card', 'remove-card: { during: read }', 'remove-card: { during: sign }', 'remove-card: { at-apdu: 4 }', 'fault: card-mute',
      'fault: change-empty', 'paper: 1', 'jam-after: 2', 'wait: 30', 'clock: 2026-11-24T23:30:00+09:00', 'hold: refund', 'release: refund', 'release')).toEqual([
      { kind: 'insert-card', persona: 'kawasaki-taro' },
      { kind: 'insert-card', persona: 'expired' },
      { kind: 'insert-card', persona: 'one-try-left', triesLeft: 0 },
      { kind: 'insert-card', persona: 'kawasaki-taro', expired: true },
      { kind: 'remove-card' },
      { kind: 'remove-card', during: 'read' },
      { kind: 'remove-card', during: 'sign' },
      { kind: 'remove-card', atApdu: 4 },
      { kind: 'fault', fault: 'card-mute' },
      { kind: 'fault', fault: 'change-empty' },
      { kind: 'paper', sheets: 1 },
      { kind: 'jam-after', sheets: 2 },
      { kind: 'wait', seconds: 30 },
      { kind: 'clock', at: '2026-11-24T23:30:00+09:00' },
      { kind: 'hold', work: 'refund' },
      { kind: 'release', work: 'refund' },
      { kind: 'release', work: 'all' },
    ]);
  });

  it('parses every expectation', () => {
    const [e] = steps('expect: { screen: printing, reason: null, triesLeft: 2, warning: false, notice: null, holder: 川崎 太郎, language: ko, due: 400, '
      + 'inserted: 1000, printed: 2, charged: 400, change: 600, refunded: 0, owed: 0, unavailable: { kisai: not-offered, inkan: null }, cardPresent: false, '
      + 'apdus: 11, apdusAtMost: 40, journal: [cash.in, { type: cash.out, change: 600 }], '
      + 'document: { copy: 1, title: 住民票の写し, kind: juminhyo, contains: [川崎 花子], absent: 個人番号 }, receipt: { contains: [charged 400] } }');
    expect(e).toEqual({
      kind: 'expect',
      expect: {
        screen: 'printing', reason: null, triesLeft: 2, warning: false, notice: null, holder: '川崎 太郎', language: 'ko', due: 400, inserted: 1000,
        printed: 2, charged: 400, change: 600, refunded: 0, owed: 0, unavailable: { kisai: 'not-offered', inkan: null }, cardPresent: false,
        apdus: 11, apdusAtMost: 40, journal: [{ type: 'cash.in' }, { type: 'cash.out', change: 600 }],
        document: { copy: 1, title: '住民票の写し', kind: 'juminhyo', contains: ['川崎 花子'], absent: ['個人番号'] }, receipt: { contains: ['charged 400'] },
      },
    });
  });

  it('parses the counter’s move-in and continue-card, and a report never shows the PIN entered', () => {
    const [moveIn, cont] = steps('counter: { do: move-in, to: 横浜市, address: "横浜市中区日本大通1" }', 'counter: { do: continue-card, pin: "8642", refused: wrong-pin }');
    expect(moveIn).toEqual({ kind: 'counter', verb: 'move-in', persona: 'kawasaki-taro', fields: { to: '横浜市', address: '横浜市中区日本大通1' } });
    expect(cont).toEqual({ kind: 'counter', verb: 'continue-card', persona: 'kawasaki-taro', fields: { pin: '8642' }, refused: 'wrong-pin' });
    expect(describeStep(cont)).toBe('counter: continue-card kawasaki-taro (pin ****) refused wrong-pin');
  });

  it('takes the journey-wide card and language', () => {
    const j: Journey = parse('name: x\npersona: kawasaki-taro\nclock: 2026-11-24T10:00:00+09:00\nlanguage: pt\ncard: { triesLeft: 1, issuedDaysAgo: 0 }\nsteps: []\n');
    expect(j.card).toEqual({ triesLeft: 1, issuedDaysAgo: 0 });
    expect(j.language).toBe('pt');
  });
});

describe('malformed journeys: the message names the file, the line and what was expected', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['an unknown step', head + '  - tap: government-service\n  - tapp: certificate-service\n', /^j\.yaml:6: unknown step "tapp" \(known: tap, domicile, .*expect, counter, form, booth\)$/],
    ['a wrong type of value', head + '  - copies: two\n', /^j\.yaml:5: "copies" needs a whole number$/],
    ['a counter verb it does not know', head + '  - counter: frobnicate\n', /^j\.yaml:5: "counter" needs a verb \(status, .*reset-pin, .*death, .*\) or a map \{ do: VERB/],
    ['a counter field it does not take', head + '  - counter: { do: renew, colour: red }\n', /^j\.yaml:5: "counter" takes do, persona, card, pin, new, .* and refused; "colour" is not one$/],
    ['a counter field of the wrong kind', head + '  - counter: { do: reissue, express: yes }\n', /^j\.yaml:5: "counter" needs "express" to be true or false$/],
    ['a tap that is no button', head + '  - tap: ok\n', /^j\.yaml:5: "tap" needs one of: government-service, copy, .*continue$/],
    ['no persona for insert-card', 'name: x\nclock: 2026-11-24T10:00:00+09:00\nsteps:\n  - insert-card\n', /^j\.yaml:4: "insert-card" needs a persona \(here or as the journey's persona\)$/],
    ['an unquoted PIN', head + '  - pin: 8642\n', /^j\.yaml:5: "pin" needs the digits as a quoted string, e\.g\. pin: "1234" \(a signature password: "ABC123"\)$/],
    ['a PIN with a leading zero, unquoted', head + '  - pin: 0123\n', /^j\.yaml:5: "pin" needs the digits as a quoted string/],
    ['a 本籍地 that does not exist', head + '  - domicile: 府中\n', /^j\.yaml:5: unknown municipality "府中" for "domicile" \(expected a code or name: 川崎市, .*府中市/],
    ['a misspelled top-level key', 'name: x\npersona: kawasaki-taro\nclok: 2026-11-24T10:00:00+09:00\nsteps: []\n', /^j\.yaml:3: unknown key "clok" \(expected name, persona, clock, language, card, steps\)$/],
    ['a clock without offset', head.replace('+09:00', '') + '  - wait: 1\n', /^j\.yaml:3: clock: "2026-11-24T10:00:00" is not a clock time: it is not of the form YYYY-MM-DDTHH:MM\[:SS\] with an offset/],
    ['a day that does not exist', head.replace('2026-11-24', '2026-02-30') + '  - wait: 1\n', /^j\.yaml:3: clock: "2026-02-30T10:00:00\+09:00" is not a clock time: 2026-02 has 28 days/],
    ['a clock at the end of time', head + '  - clock: "+275760-09-13T00:00:00Z"\n', /^j\.yaml:5: "clock" needs an ISO time with its offset to jump to, e\.g\. clock: 2026-11-24T23:30:00\+09:00 \(.*not of the form/],
    ['a clock beyond the range', head + '  - clock: 2150-01-01T10:00:00+09:00\n', /^j\.yaml:5: "clock" needs .*the year is outside 2000–2099/],
    ['a clock step that is no time', head + '  - clock: tomorrow\n', /^j\.yaml:5: "clock" needs an ISO time with its offset to jump to/],
    ['an expectation of the wrong type', head + '  - expect: { change: "600" }\n', /^j\.yaml:5: expectation "change" must be yen as a whole number, not "600"$/],
    ['an unknown journal record', head + '  - expect: { journal: [cash.inn] }\n', /^j\.yaml:5: journal record "cash\.inn" is not known: expected a list of journal records, each a type \(cash\.in, /],
    ['an unknown document key', head + '  - expect: { document: { text: 川崎 } }\n', /^j\.yaml:5: unknown document key "text" \(expected copy, title, kind, contains, absent\)$/],
    ['a removal at an unknown moment', head + '  - remove-card: { during: payment }\n', /^j\.yaml:5: "remove-card" needs "during" to be one of read, pin, sign$/],
    ['a card variant out of range', head + '  - insert-card: { triesLeft: 5 }\n', /^j\.yaml:5: card "triesLeft" must be 0 to 3, not "5"$/],
    ['an unknown card key', head.replace('steps:', 'card: { tries: 1 }\nsteps:') + '  - wait: 1\n', /^j\.yaml:4: unknown card key "tries" \(expected triesLeft, issuedDaysAgo, expired, declined, uncollected\)$/],
    ['held work that does not exist', head + '  - hold: printer\n', /^j\.yaml:5: "hold" needs the device work to hold back, one of card-read, pin-check, authentication, registration, refund, print, payout$/],
    ['a fault that does not exist', head + '  - fault: paper-empty\n', /^j\.yaml:5: "fault" needs one of paper-out, .*card-mute$/],
  ];
  it.each(cases)('%s', (_what, text, message) => {
    expect(refusal(text)).toMatch(message);
  });
});
