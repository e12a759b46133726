// The terminal register in the center's database: a token kept only as its SHA-256, another process's edits seen at
// the next lookup, the schema refusing what terminals.json's reader calls damage, and a terminals.json of before
// imported once and deleted (its damage stopping the center as before).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TerminalRegistry, TerminalRegistryError } from '../terminals.ts';
import { SqliteTerminals } from './sqlite-terminals.ts';
import { openCenterDatabase } from './sqlite-records.ts';

const folder = () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'center-sqlite-terminals-')), 'center');
  mkdirSync(dir);
  return { db: join(dir, 'center.sqlite'), json: join(dir, 'terminals.json') };
};
const registryOn = (db: string, importFrom?: string) => new TerminalRegistry(new SqliteTerminals(openCenterDatabase(db), { importFrom }));

describe('the terminal register in the center’s database', () => {
  it('keeps a token’s SHA-256 only, in a file of the center’s user alone, across a restart', () => {
    const { db } = folder();
    const registry = registryOn(db);
    const token = registry.add('K01', { at: '2026-11-24T10:00:00+09:00' });
    expect(registry.keyOf('K01')).toEqual(createHash('sha256').update(token).digest());
    expect(readFileSync(db).includes(Buffer.from(token))).toBe(false);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    const again = registryOn(db);
    expect(again.terminalOf(token)).toBe('K01');
    expect(again.list()).toEqual([{ id: 'K01', addedAt: '2026-11-24T10:00:00+09:00' }]);
  });

  it('another process’s add, replace and remove are seen at the next lookup', () => {
    const { db } = folder();
    const center = registryOn(db);
    const cli = registryOn(db);
    const token = cli.add('K02');
    expect(center.terminalOf(token)).toBe('K02');
    const replaced = cli.add('K02', { replace: true });
    expect(center.terminalOf(token)).toBeNull();
    expect(center.terminalOf(replaced)).toBe('K02');
    cli.remove('K02');
    expect(center.terminalOf(replaced)).toBeNull();
    expect(center.has('K02')).toBe(false);
  });

  it('the schema refuses an id that is no terminal id, a key that is no SHA-256, one key for two terminals', () => {
    const { db } = folder();
    const open = openCenterDatabase(db);
    const store = new SqliteTerminals(open);
    const key = 'ab'.repeat(32);
    expect(() => store.save([{ id: 'K-01', tokenSha256: key, addedAt: 'x' }])).toThrow(/CHECK/);
    expect(() => store.save([{ id: 'K01', tokenSha256: 'AB'.repeat(32), addedAt: 'x' }])).toThrow(/CHECK/);
    expect(() => store.save([{ id: 'K01', tokenSha256: key, addedAt: 'x' }, { id: 'K99', tokenSha256: key, addedAt: 'x' }])).toThrow(/UNIQUE/);
    expect(store.load()).toEqual([]);
    open.db.close();
  });
});

describe('a terminals.json of before', () => {
  it('is imported once and deleted: its tokens go on working', () => {
    const { db, json } = folder();
    const old = new TerminalRegistry(json);
    const k01 = old.add('K01');
    const k02 = old.add('K02');
    const registry = registryOn(db, json);
    expect(existsSync(json)).toBe(false);
    expect(registry.terminalOf(k01)).toBe('K01');
    expect(registry.terminalOf(k02)).toBe('K02');
    expect(registryOn(db, json).list().map((t) => t.id)).toEqual(['K01', 'K02']);
  });

  it('a crash between the import and the deletion: the next start deletes it; one that holds something else is refused', () => {
    const { db, json } = folder();
    new TerminalRegistry(json).add('K01');
    const saved = readFileSync(json, 'utf8');
    registryOn(db, json);
    writeFileSync(json, saved, { mode: 0o600 });
    expect(registryOn(db, json).list().map((t) => t.id)).toEqual(['K01']);
    expect(existsSync(json)).toBe(false);
    new TerminalRegistry(json).add('K07');
    expect(() => registryOn(db, json)).toThrow(TerminalRegistryError);
    expect(() => registryOn(db, json)).toThrow(/holds terminals of its own.*Move .*terminals\.json away/);
    expect(existsSync(json)).toBe(true);
  });

  it('a damaged one (one id twice, a link) stops the center with the reader’s error, and nothing is imported', () => {
    const { db, json } = folder();
    new TerminalRegistry(json).add('K01');
    const [entry] = JSON.parse(readFileSync(json, 'utf8')).terminals;
    writeFileSync(json, JSON.stringify({ version: 1, terminals: [entry, { ...entry, tokenSha256: 'a'.repeat(64) }] }));
    expect(() => registryOn(db, json)).toThrow(/terminal K01 is listed twice.*Restore it from a backup/);
    const other = folder();
    symlinkSync('/dev/zero', other.json);
    expect(() => registryOn(other.db, other.json)).toThrow(/not a regular file \(a symbolic link\)/);
    expect(registryOn(db).list()).toEqual([]);
  });
});
