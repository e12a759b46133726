import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CenterRecordsError, type CenterRecords, type CertificateRow } from './center-records.ts';
import { MemoryCenterRecords } from './memory-records.ts';
import { MIGRATIONS, SqliteCenterRecords } from './sqlite-records.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'center-records-'));
const cert = (over: Partial<CertificateRow> = {}): CertificateRow => ({
  serial: '1a2b3c', card: 'kawasaki-taro-1', persona: 'kawasaki-taro', kind: 'auth', notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2030-12-31T23:59:59.000Z', status: 'good', reason: null, changedAt: '2026-12-01T01:00:00.000Z', ...over,
});

describe('the center records in SQLite', () => {
  it('makes its schema by migrations and keeps what it was told across a restart', () => {
    const file = join(dir(), 'center', 'center.sqlite');
    const a = new SqliteCenterRecords(file);
    a.putCertificate(cert());
    a.putCard({ card: 'kawasaki-taro-1', persona: 'kawasaki-taro', status: 'suspended', reason: 'lost', changedAt: '2026-12-01T01:00:00.000Z', usableFrom: null });
    a.putResident({ resident: 'R1', name: null, city: '141500', address: '川崎市麻生区', movingOut: false, deceased: true, changedAt: '2026-12-01T01:00:00.000Z' });
    const id = a.act({ at: '2026-12-01T01:00:00.000Z', card: 'kawasaki-taro-1', action: 'report-lost', by: 'call-center', detail: { police: '123' } });
    a.close();
    const b = new SqliteCenterRecords(file);
    expect(b.certificate('1a2b3c')).toEqual(cert());
    expect(b.card('kawasaki-taro-1')?.status).toBe('suspended');
    expect(b.resident('R1')).toMatchObject({ deceased: true, movingOut: false, city: '141500' });
    expect(b.actions('kawasaki-taro-1')).toEqual([{ id, at: '2026-12-01T01:00:00.000Z', card: 'kawasaki-taro-1', action: 'report-lost', by: 'call-center', detail: { police: '123' } }]);
    // A status change of the same serial replaces its status, never its dates or its card.
    b.putCertificate(cert({ status: 'revoked', reason: 'lost', card: 'someone-else-1', notAfter: '2099-01-01T00:00:00.000Z' }));
    expect(b.certificate('1a2b3c')).toMatchObject({ status: 'revoked', reason: 'lost', card: 'kawasaki-taro-1', notAfter: '2030-12-31T23:59:59.000Z' });
    b.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    raw.close();
  });

  it.each([['SQLite', () => new SqliteCenterRecords(null)], ['memory', () => new MemoryCenterRecords()]])('%s takes a transaction whole or not at all, and a serial keeps its card and dates', (_, make) => {
    const r: CenterRecords = make();
    r.act({ at: '2026-12-01T01:00:00.000Z', card: 'c-1', action: 'kept', by: 'test', detail: {} });
    expect(() => r.atomically(() => {
      r.putCertificate(cert());
      r.putCard({ card: 'c-1', persona: 'c', status: 'abolished', reason: null, changedAt: '2026-12-01T01:00:00.000Z', usableFrom: null });
      r.act({ at: '2026-12-01T01:00:00.000Z', card: 'c-1', action: 'lost', by: 'test', detail: {} });
      throw new Error('the disk failed half-way');
    })).toThrow('half-way');
    expect(r.certificate('1a2b3c')).toBeNull();
    expect(r.card('c-1')).toBeNull();
    expect(r.actions('c-1').map((a) => a.action)).toEqual(['kept']);
    r.putCertificate(cert());
    r.putCertificate(cert({ status: 'hold', reason: 'lost', card: 'other-1', notAfter: '2099-01-01T00:00:00.000Z' }));
    expect(r.certificate('1a2b3c')).toMatchObject({ status: 'hold', card: 'kawasaki-taro-1', notAfter: '2030-12-31T23:59:59.000Z' });
    expect(r.certificatesOf('kawasaki-taro-1')).toHaveLength(1);
  });

  it('refuses, with what to do, a file that is not its records, a newer schema, a folder or a link in its place', () => {
    const d = dir();
    const garbage = join(d, 'garbage.sqlite');
    writeFileSync(garbage, 'this is not a database, it is a text file that happens to be here\n'.repeat(100));
    expect(() => new SqliteCenterRecords(garbage)).toThrow(CenterRecordsError);
    expect(() => new SqliteCenterRecords(garbage)).toThrow(/restore it from a backup/);
    const newer = join(d, 'newer.sqlite');
    const db = new Database(newer);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new SqliteCenterRecords(newer)).toThrow(/newer than this program's/);
    const folder = join(d, 'folder.sqlite');
    mkdirSync(folder);
    expect(() => new SqliteCenterRecords(folder)).toThrow(/is a folder/);
    const link = join(d, 'link.sqlite');
    symlinkSync('/etc/passwd', link);
    expect(() => new SqliteCenterRecords(link)).toThrow(/symbolic link/);
    expect(() => new SqliteCenterRecords(join(d, 'none.sqlite'), { readOnly: true })).toThrow(/does not exist/);
  });

  it('brings a file of an older schema up to date at start, keeping what it held', () => {
    const file = join(dir(), 'center.sqlite');
    // A file as the first release left it: migration 1 only, with a resident's change in it.
    const old = new Database(file);
    old.exec(MIGRATIONS[0]);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO residents (resident, city, address, moving_out, deceased, changed_at) VALUES ('R1', NULL, NULL, 1, 0, '2026-12-01T01:00:00.000Z')").run();
    old.close();
    const r = new SqliteCenterRecords(file);
    expect(r.resident('R1')).toMatchObject({ movingOut: true, name: null });
    r.putDomicile({ resident: 'R1', city: '131059', appliedAt: '2026-12-07T01:00:00.000Z', usableFrom: '2026-12-08T15:00:00.000Z', certificate: '1a2b3c' });
    expect(r.domiciles('R1')).toHaveLength(1);
    r.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    raw.close();
  });

  it('brings a file of schema 2 up to date: a move’s dates and a card’s last day for its continuation', () => {
    const file = join(dir(), 'center.sqlite');
    // A file as the release with names and 本籍地 registrations left it: migrations 1 and 2, a resident moving out.
    const old = new Database(file);
    old.exec(MIGRATIONS[0]);
    old.exec(MIGRATIONS[1]);
    old.pragma('user_version = 2');
    old.prepare("INSERT INTO residents (resident, name, city, address, moving_out, deceased, changed_at) VALUES ('R1', NULL, NULL, NULL, 1, 0, '2026-12-01T01:00:00.000Z')").run();
    old.prepare("INSERT INTO cards (card, persona, status, reason, changed_at, usable_from) VALUES ('c-1', 'c', 'active', NULL, '2026-12-01T01:00:00.000Z', NULL)").run();
    old.close();
    const r = new SqliteCenterRecords(file);
    expect(r.resident('R1')).toMatchObject({ movingOut: true, movedOutAt: null, movedInAt: null });
    expect(r.card('c-1')).toMatchObject({ status: 'active', continueBy: null });
    r.putResident({ resident: 'R1', name: null, city: '141003', address: '横浜市中区', movingOut: false, deceased: false, movedOutAt: '2026-12-01T01:00:00.000Z', movedInAt: '2026-12-07T01:00:00.000Z', changedAt: '2026-12-07T01:00:00.000Z' });
    r.putCard({ card: 'c-1', persona: 'c', status: 'active', reason: null, changedAt: '2026-12-07T01:00:00.000Z', usableFrom: null, continueBy: '2027-03-07' });
    r.close();
    const again = new SqliteCenterRecords(file, { readOnly: true });
    expect(again.resident('R1')).toMatchObject({ city: '141003', movedOutAt: '2026-12-01T01:00:00.000Z', movedInAt: '2026-12-07T01:00:00.000Z' });
    expect(again.card('c-1')?.continueBy).toBe('2027-03-07');
    again.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    raw.close();
  });

  it('read-only, it reads what a writer keeps writing and cannot write', () => {
    const file = join(dir(), 'center.sqlite');
    const writer = new SqliteCenterRecords(file);
    const reader = new SqliteCenterRecords(file, { readOnly: true });
    writer.putCertificate(cert());
    expect(reader.certificate('1a2b3c')?.status).toBe('good');
    expect(() => reader.putCertificate(cert({ status: 'hold' }))).toThrow(/readonly/i);
    reader.close();
    writer.close();
  });
});
