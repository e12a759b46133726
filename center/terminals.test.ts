// The register of the terminals the center serves: a token is shown once and kept only as its SHA-256, the file is
// replaced whole, a running center follows changes made by another process, and a damaged register trusts nobody.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TerminalRegistry, TerminalRegistryError, terminalIdProblem } from './terminals.ts';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'center-terminals-')), 'center', 'terminals.json');

describe('TerminalRegistry', () => {
  it('add returns a 32-byte base64url token once; the file keeps its SHA-256 only, written whole with mode 0600', () => {
    const file = fresh();
    const registry = new TerminalRegistry(file);
    const token = registry.add('K01', { at: '2026-11-24T10:00:00+09:00' });
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
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
