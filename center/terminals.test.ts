// The register of the terminals the center serves: a token is shown once and kept only as its SHA-256, the file is
// replaced whole, a running center follows changes made by another process, and a damaged register trusts nobody.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TerminalRegistry, TerminalRegistryError, terminalIdProblem, tokenTerminal } from './terminals.ts';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'center-terminals-')), 'center', 'terminals.json');

describe('TerminalRegistry', () => {
  it('add returns a token (its id, a dot, 32 random bytes in base64url) once; the file keeps its SHA-256 only, written whole with mode 0600', () => {
    const file = fresh();
    const registry = new TerminalRegistry(file);
    const token = registry.add('K01', { at: '2026-11-24T10:00:00+09:00' });
    expect(token).toMatch(/^K01\.[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(tokenTerminal(token)).toBe('K01');
    expect(registry.keyOf('K01')).toEqual(createHash('sha256').update(token).digest());
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(JSON.parse(text)).toEqual({ version: 1, terminals: [{ id: 'K01', tokenSha256: createHash('sha256').update(token).digest('hex'), addedAt: '2026-11-24T10:00:00+09:00' }] });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(file, '..'))).toEqual(['terminals.json']);
    expect(registry.terminalOf(token)).toBe('K01');
    expect(new TerminalRegistry(file).terminalOf(token)).toBe('K01');
  });

  it('an id already registered is refused unless replaced, which makes the old token worthless', () => {
    const registry = new TerminalRegistry(fresh());
    const first = registry.add('K01');
    expect(() => registry.add('K01')).toThrow(TerminalRegistryError);
    expect(() => registry.add('K01')).toThrow(/already registered.*--replace/);
    const second = registry.add('K01', { replace: true });
    expect(registry.terminalOf(first)).toBeNull();
    expect(registry.terminalOf(second)).toBe('K01');
  });

  it('ids follow the kiosk’s --terminal rule: 1-16 letters and digits', () => {
    for (const id of ['K01', 'k', 'A'.repeat(16), 'TERMINAL0042']) expect(terminalIdProblem(id), id).toBeNull();
    for (const id of ['', 'K_01', 'K-01', 'K 01', 'A'.repeat(17), '../x', 'Ｋ01']) {
      expect(terminalIdProblem(id), id).toBe('expected 1-16 letters and digits, e.g. K02');
      expect(() => new TerminalRegistry(null).add(id), id).toThrow(TerminalRegistryError);
    }
  });

  it('another process’s add, replace and remove are seen at the next lookup', () => {
    const file = fresh();
    const center = new TerminalRegistry(file);
    const cli = new TerminalRegistry(file);
    const token = cli.add('K02');
    expect(center.terminalOf(token)).toBe('K02');
    cli.remove('K02');
    expect(center.terminalOf(token)).toBeNull();
    expect(center.has('K02')).toBe(false);
  });

  it('a damaged register: an error at start that says what to do; trusted for nobody once running', () => {
    const file = fresh();
    const registry = new TerminalRegistry(file);
    const token = registry.add('K01');
    writeFileSync(file, '{"version": 1, "terminals": [');
    expect(registry.terminalOf(token)).toBeNull();
    expect(() => new TerminalRegistry(file)).toThrow(/not readable JSON.*Restore it from a backup/);
    writeFileSync(file, JSON.stringify({ version: 1, terminals: [{ id: 'K01', tokenSha256: 'not a digest', addedAt: '' }] }));
    expect(() => new TerminalRegistry(file)).toThrow(/is not a terminal register/);
  });

  it('a register that is no regular file of a register’s size (a link to a FIFO or to /dev/zero, 200 MB) is refused at once, at start and while running', () => {
    const file = fresh();
    const registry = new TerminalRegistry(file);
    const token = registry.add('K01');
    const good = readFileSync(file, 'utf8');
    const dir = dirname(file);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const cases: Array<[string, () => void, RegExp]> = [
      ['a link to a FIFO', () => symlinkSync(join(dir, 'fifo'), file), /not a regular file \(a symbolic link\)/],
      ['a link to /dev/zero', () => symlinkSync('/dev/zero', file), /not a regular file \(a symbolic link\)/],
      ['a FIFO itself', () => execFileSync('mkfifo', [file]), /not a regular file \(a FIFO\)/],
      ['200 MB (sparse: whitespace to a parser)', () => {
        writeFileSync(file, good);
        truncateSync(file, 200 * 2 ** 20);
      }, /209715200 bytes, more than/],
    ];
    for (const [what, make, message] of cases) {
      rmSync(file, { force: true });
      make();
      const started = Date.now();
      expect(registry.keyOf('K01'), what).toBeNull();
      expect(registry.terminalOf(token), what).toBeNull();
      expect(() => new TerminalRegistry(file), what).toThrow(message);
      expect(() => new TerminalRegistry(file), what).toThrow(/Restore it from a backup/);
      expect(Date.now() - started, what).toBeLessThan(2_000);
    }
    rmSync(file, { force: true });
    writeFileSync(file, good, { mode: 0o600 });
    expect(registry.keyOf('K01')).not.toBeNull();
  });

  it('a register naming one id twice, or giving two terminals one key, is damage: refused at start, trusted for nobody once running', () => {
    const file = fresh();
    const registry = new TerminalRegistry(file);
    const token = registry.add('K01');
    const [entry] = JSON.parse(readFileSync(file, 'utf8')).terminals;
    const cases: Array<[string, unknown[], RegExp]> = [
      ['K01 listed twice (the second with a key of its own)', [entry, { ...entry, tokenSha256: 'a'.repeat(64) }], /terminal K01 is listed twice/],
      ['K01 listed twice (the second first)', [{ ...entry, tokenSha256: 'a'.repeat(64) }, entry], /terminal K01 is listed twice/],
      ['K01’s key under K99 too', [entry, { ...entry, id: 'K99' }], /two terminals share one key/],
      ['K01’s key under K99 first', [{ ...entry, id: 'K99' }, entry], /two terminals share one key/],
    ];
    for (const [what, terminals, message] of cases) {
      writeFileSync(file, JSON.stringify({ version: 1, terminals }));
      expect(registry.terminalOf(token), what).toBeNull();
      expect(registry.keyOf('K01'), what).toBeNull();
      expect(registry.keyOf('K99'), what).toBeNull();
      expect(() => new TerminalRegistry(file), what).toThrow(message);
    }
  });

  it('terminals of the center’s own process are registered in memory only, and no token reaches them', () => {
    const file = fresh();
    const registry = new TerminalRegistry(file);
    registry.addLocal('K01');
    expect(registry.has('K01')).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(registry.list()).toEqual([{ id: 'K01', addedAt: '', local: true }]);
    expect(registry.terminalOf('')).toBeNull();
  });
});
