// The issuance log as the center reads it back: a last line a crash cut short is cut off before anything is
// appended (so no record is ever glued onto a fragment and an issuance number is never given twice), and every other
// line is checked field by field: damage is an IssuanceLogError naming the line and what is wrong, never a NaN
// sequence, a bare TypeError or a hand-forged line believed.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IssuanceRecord } from './issuance-center.ts';
import { IssuanceLog, IssuanceLogError } from './issuance-log.ts';

const fresh = () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'center-issuance-log-')), 'center');
  mkdirSync(dir);
  return join(dir, 'issuance-log.jsonl');
};
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const record = (sequence: number, code: string, over: Partial<IssuanceRecord> = {}): IssuanceRecord => ({
  issuanceNumber: `K01-20261124-${String(sequence).padStart(6, '0')}`, verificationCode: code, terminal: 'K01', holder: 'kawasaki-taro', city: '141305',
  title: '住民票の写し', copy: 1, copies: 1, issuedAt: '2026-11-24T10:00:00.000+09:00', contentSha256: sha(code), ...over,
});
const issuedLine = (sequence: number, code: string, over: Record<string, unknown> = {}) => JSON.stringify({ type: 'issued', sequence, ...record(sequence, code), ...over });

/** Issues the next number in a log opened on `file` and returns it. */
function issueOne(file: string, code: string): number {
  const log = new IssuanceLog(file);
  const sequence = log.nextSequence();
  log.record(sequence, [record(sequence, code)]);
  return sequence;
}

describe('a log whose last line was cut short', () => {
  it('the fragment is cut off at start, so the next record has a line of its own and a restart goes on from it', () => {
    const file = fresh();
    expect(issueOne(file, '1111-1111-1111-1111')).toBe(1);
    // A crash (or a full disk) in the middle of the second issuance's write.
    writeFileSync(file, readFileSync(file, 'utf8') + issuedLine(2, '2222-2222-2222-2222').slice(0, 40));
    expect(issueOne(file, '3333-3333-3333-3333')).toBe(2);
    // Restarted: the sequence goes on, it never goes back.
    expect(issueOne(file, '4444-4444-4444-4444')).toBe(3);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l).sequence)).toEqual([1, 2, 3]);
    expect(new IssuanceLog(file).find('3333-3333-3333-3333')?.issuanceNumber).toBe('K01-20261124-000002');
  });

  it('a log that holds nothing but a fragment (the very first write cut short) starts again from 1, once', () => {
    const file = fresh();
    issueOne(file, '1111-1111-1111-1111');
    writeFileSync(file, '{"type":"issued","sequence":1,"issuanceNumber":"K01-2026');
    expect(issueOne(file, '2222-2222-2222-2222')).toBe(1);
    expect(issueOne(file, '3333-3333-3333-3333')).toBe(2);
    expect(readFileSync(file, 'utf8')).not.toContain('"K01-2026{');
  });

  it('a whole last record without its newline is kept, and the next record goes on a line of its own', () => {
    const file = fresh();
    writeFileSync(file, issuedLine(5, '1111-1111-1111-1111'));
    expect(issueOne(file, '2222-2222-2222-2222')).toBe(6);
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).sequence)).toEqual([5, 6]);
  });

  it('read-only (kiosk verify) it cuts nothing: the fragment is skipped, the file left as it is', () => {
    const file = fresh();
    issueOne(file, '1111-1111-1111-1111');
    const text = readFileSync(file, 'utf8') + '{"type":"iss';
    writeFileSync(file, text);
    const log = new IssuanceLog(file, { readOnly: true });
    expect(log.find('1111-1111-1111-1111')?.verificationCode).toBe('1111-1111-1111-1111');
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(() => log.record(2, [record(2, '2222-2222-2222-2222')])).toThrow(/read-only/);
  });

  it('a last line that is JSON but no record, or a record glued onto a fragment (as an older center wrote it), is damage, not cut', () => {
    const file = fresh();
    issueOne(file, '1111-1111-1111-1111');
    const good = readFileSync(file, 'utf8');
    for (const [last, message] of [
      ['{"type":"issued"}', /:2: an issued record's field "sequence" is missing/],
      ['{"type":"issued","sequence":2,"issuanceNumber":"K01-2026' + issuedLine(2, '2222-2222-2222-2222') + '\n', /:2: not JSON/],
    ] as const) {
      writeFileSync(file, good + last);
      expect(() => new IssuanceLog(file)).toThrow(IssuanceLogError);
      expect(() => new IssuanceLog(file)).toThrow(message);
      expect(readFileSync(file, 'utf8')).toBe(good + last);
    }
  });
});

describe('every line is checked field by field', () => {
  const first = issuedLine(1, '1111-1111-1111-1111');
  const cases: Array<[string, string, RegExp]> = [
    ['an issued line without its sequence', issuedLine(2, '2222-2222-2222-2222', { sequence: undefined }), /:2: an issued record's field "sequence" is missing/],
    ['a sequence as a string', issuedLine(2, '2222-2222-2222-2222', { sequence: '2' }), /:2: an issued record's field "sequence" must be a whole number/],
    ['a null line', 'null', /:2: not a record of the issuance log/],
    ['a number', '42', /:2: not a record of the issuance log/],
    ['an unknown type', '{"type":"refunded"}', /:2: not a record .*neither issued nor printed/],
    ['a code that is not 16 digits', issuedLine(2, '2222'), /:2: an issued record's field "verificationCode" must be a code of 16 digits/],
    ['a code issued twice', issuedLine(2, '1111-1111-1111-1111'), /:2: verification code 1111-1111-1111-1111 is issued twice/],
    ['an issued line carrying a file digest', issuedLine(2, '2222-2222-2222-2222', { pdfSha256: 'ab'.repeat(32) }), /:2: an issued record has a field "pdfSha256" the center never writes/],
    ['a number of another terminal', issuedLine(2, '2222-2222-2222-2222', { issuanceNumber: 'K02-20261124-000002' }), /:2: an issued record's field "issuanceNumber" must be/],
    ['copy 3 of 2', issuedLine(2, '2222-2222-2222-2222', { copy: 3, copies: 2 }), /:2: an issued record's field "copy" must be a whole number from 1 to its copies/],
    ['no content digest', issuedLine(2, '2222-2222-2222-2222', { contentSha256: 'x' }), /:2: an issued record's field "contentSha256" must be a SHA-256/],
    ['a printed line without a terminal (hand-forged)', JSON.stringify({ type: 'printed', verificationCode: '1111-1111-1111-1111', pdfSha256: 'ab'.repeat(32) }), /:2: the printed record for 1111-1111-1111-1111 names no terminal, but terminal K01 issued that copy/],
    ['a printed line from another terminal', JSON.stringify({ type: 'printed', verificationCode: '1111-1111-1111-1111', pdfSha256: 'ab'.repeat(32), terminal: 'K02' }), /names terminal K02, but terminal K01 issued/],
    ['a printed line without a digest', JSON.stringify({ type: 'printed', verificationCode: '1111-1111-1111-1111', pdfSha256: 'nope', terminal: 'K01' }), /has no SHA-256 in hex/],
    ['a printed line for a code never issued', JSON.stringify({ type: 'printed', verificationCode: '9999-9999-9999-9999', pdfSha256: 'ab'.repeat(32), terminal: 'K01' }), /which no earlier line issued/],
  ];

  for (const [what, line, message] of cases) {
    it(`${what}: IssuanceLogError naming the line, with what to do`, () => {
      const file = fresh();
      issueOne(file, '0000-0000-0000-0000');
      // The damaged line in the middle and at the end: either way it is damage.
      for (const text of [`${first}\n${line}\n${issuedLine(3, '3333-3333-3333-3333')}\n`, `${first}\n${line}\n`]) {
        writeFileSync(file, text);
        let error: unknown;
        try {
          new IssuanceLog(file);
        } catch (e) {
          error = e;
        }
        expect(error, what).toBeInstanceOf(IssuanceLogError);
        expect((error as Error).message, what).toMatch(message);
        expect((error as Error).message).toContain('restore it from a backup before issuing again');
      }
    });
  }

  it('a whole, well-formed log loads, and its sequence goes on from the highest number', () => {
    const file = fresh();
    writeFileSync(file, [first, issuedLine(7, '2222-2222-2222-2222'), JSON.stringify({ type: 'printed', verificationCode: '2222-2222-2222-2222', pdfSha256: 'ab'.repeat(32), terminal: 'K01' })].join('\n') + '\n');
    const log = new IssuanceLog(file);
    expect(log.find('2222-2222-2222-2222')?.pdfSha256).toBe('ab'.repeat(32));
    expect(log.nextSequence()).toBe(8);
  });
});
