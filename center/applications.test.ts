// J-LIS's application forms and the applications on them, as a booth or a smartphone meets them: every refusal with
// its reason, one application per form even from two processes at once, and the card's arrival after the weeks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../kiosk/clock.ts';
import { loadSampleData } from '../samples/sample-data.ts';
import { ApplicationRefused, CardApplications, type ApplicationRequest } from './applications.ts';
import { MemoryCenterRecords } from './records/memory-records.ts';
import { SqliteCenterRecords } from './records/sqlite-records.ts';
import type { CenterRecords } from './records/center-records.ts';

const data = loadSampleData();
const PHOTO = 'ab'.repeat(32);

function office(records: CenterRecords = new MemoryCenterRecords(), at = '2026-12-07T10:00:00+09:00') {
  const clock = new SimClock(at);
  return { clock, records, jlis: new CardApplications({ records, registry: data.registry, clock }) };
}
const request = (form: string, o: Partial<ApplicationRequest> = {}): ApplicationRequest => ({
  form, route: 'booth', by: 'B01', birthDate: '1982-09-30', certificates: true, braille: false, photoSha256: PHOTO, ...o,
});
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApplicationRefused) return e.reason;
    throw e;
  }
  return 'accepted';
};

describe('application forms and applications (J-LIS)', () => {
  it('prints a form with a 23-digit ID bound to the name and address, and takes one application on it', () => {
    const { jlis, records } = office();
    const form = jlis.printForm('kawasaki-hanako');
    expect(form.id).toMatch(/^[1-9]\d{22}$/);
    expect(form).toMatchObject({ resident: 'kawasaki-hanako', name: '川崎 花子' });
    expect(form.address).toBe('神奈川県川崎市中原区小杉町三丁目600番地');
    expect(jlis.printForm('kawasaki-hanako').id).not.toBe(form.id);
    expect(refusal(() => jlis.apply(request('12345')))).toBe('form-malformed');
    expect(refusal(() => jlis.apply(request('1'.repeat(23))))).toBe('form-unknown');
    expect(refusal(() => jlis.apply(request(form.id, { birthDate: '1982-09-29' })))).toBe('birth-date-mismatch');
    expect(refusal(() => jlis.apply(request(form.id, { photoSha256: '' })))).toBe('photo-missing');
    const applied = jlis.apply(request(form.id));
    expect(applied).toMatchObject({ form: form.id, resident: 'kawasaki-hanako', route: 'booth', certificates: true, card: null });
    expect(refusal(() => jlis.apply(request(form.id)))).toBe('form-used');
    expect(records.applications('kawasaki-hanako')).toHaveLength(1);
  });

  it('refuses a form whose printed address or name is out of date, and a resident who died or moved out', () => {
    const { jlis, records, clock } = office();
    const form = jlis.printForm('kawasaki-taro');
    records.putResident({ resident: 'kawasaki-taro', name: null, city: null, address: '川崎市中原区新丸子町1-1', movingOut: false, deceased: false, changedAt: clock.now() });
    expect(refusal(() => jlis.check(form.id))).toBe('form-outdated');
    // A new form carries the new address.
    expect(jlis.printForm('kawasaki-taro').address).toBe('川崎市中原区新丸子町1-1');
    records.putResident({ resident: 'kawasaki-taro', name: null, city: null, address: null, movingOut: false, deceased: true, changedAt: clock.now() });
    expect(refusal(() => jlis.printForm('kawasaki-taro'))).toBe('not-resident');
  });

  it('the card arrives at the office 28 days after the application, at 0:00 Japan time', () => {
    const { jlis, clock } = office();
    const form = jlis.printForm('kawasaki-hanako');
    jlis.apply(request(form.id));
    expect(jlis.arrived('kawasaki-hanako')).toHaveLength(0);
    clock.jump('2027-01-04T23:59:00+09:00');
    expect(jlis.arrived('kawasaki-hanako')).toHaveLength(0);
    clock.jump('2027-01-05T00:00:00+09:00');
    expect(jlis.arrived('kawasaki-hanako')).toHaveLength(1);
  });

  it('two processes sending the same form at once: one application, the other refused (SQLite)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jlis-')), 'center.sqlite');
    const a = office(new SqliteCenterRecords(file));
    const b = office(new SqliteCenterRecords(file));
    try {
      const form = a.jlis.printForm('kawasaki-hanako');
      // Both looked at the form before either sent.
      expect(a.jlis.check(form.id).form.id).toBe(form.id);
      expect(b.jlis.check(form.id).form.id).toBe(form.id);
      expect(a.jlis.apply(request(form.id, { by: 'B01' })).by).toBe('B01');
      expect(refusal(() => b.jlis.apply(request(form.id, { by: 'B02' })))).toBe('form-used');
      // Had the second checked before the first wrote, the key refuses its row all the same.
      expect(b.records.apply({
        form: form.id, resident: 'kawasaki-hanako', route: 'pc', by: 'B02', appliedAt: b.clock.now(), certificates: true, braille: false, photoSha256: PHOTO,
      })).toBeNull();
      expect(b.records.applications().map((x) => x.by)).toEqual(['B01']);
    } finally {
      a.records.close();
      b.records.close();
    }
  });

  it('an application is void when its resident moves to another city before the card arrives: no card, and a new application is taken', () => {
    const { jlis, records, clock } = office();
    const applied = jlis.apply(request(jlis.printForm('kawasaki-hanako').id));
    expect(applied.city).toBe('141305');
    const yokohama = data.municipalities.find((m) => m.name === '横浜市')!.code;
    clock.jump('2026-12-20T10:00:00+09:00');
    records.putResident({ resident: 'kawasaki-hanako', name: null, city: yokohama, address: '横浜市中区日本大通1', movingOut: false, deceased: false, movedInAt: clock.now(), changedAt: clock.now() });
    expect(jlis.voided(records.applications('kawasaki-hanako')[0])).toBe(true);
    clock.jump('2027-01-05T10:00:00+09:00');
    expect(jlis.arrived('kawasaki-hanako')).toEqual([]);
    // Not pending any more: the resident applies again from the new city (a new form, the new address).
    const again = jlis.apply(request(jlis.printForm('kawasaki-hanako').id));
    expect(again.city).toBe(yokohama);
  });
});
