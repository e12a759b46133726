// The terminals the center serves, and how each proves who it is: a registered terminal holds a random bearer token
// (32 bytes, base64url) that the center knows only by its SHA-256. The register is `<center dir>/terminals.json`
// (beside the issuance log), written whole and renamed into place; `kiosk center terminal add|list|remove` edits it,
// and a running center notices the change on its next request (a terminal added, removed or given a new token).
// Terminals of the kiosk's own process (`SimCenter.connectLocal`) are registered in memory only: they need no token,
// being the same program.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A terminal id: it goes into issuance numbers and spool file names, so plain letters and digits, 1-16 of them.
 * The same rule as the kiosk's `--terminal` (kiosk/cli.ts).
 */
export const TERMINAL_ID = /^[A-Za-z0-9]{1,16}$/;
export const TERMINAL_ID_RULE = 'expected 1-16 letters and digits, e.g. K02';

/** Why `id` is not a terminal id (the kiosk's flag message), or null when it is one. */
export function terminalIdProblem(id: string): string | null {
  return TERMINAL_ID.test(id) ? null : TERMINAL_ID_RULE;
}

/** A token as `add` makes it: 32 random bytes in base64url (43 characters). */
export const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export interface TerminalEntry {
  id: string;
  /** SHA-256 (hex) of the terminal's token; the token itself is kept nowhere by the center. */
  tokenSha256: string;
  /** When it was registered (or its token last replaced), ISO. */
  addedAt: string;
}

interface RegisterFile {
  version: 1;
  terminals: TerminalEntry[];
}

/** A terminal that cannot be added or removed; the message says what to do. */
export class TerminalRegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerminalRegistryError';
  }
}

export const tokenDigest = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export class TerminalRegistry {
  /** id → entry, from the file. */
  #entries = new Map<string, TerminalEntry>();
  /** token digest → id, from the file. */
  #byDigest = new Map<string, string>();
  /** Terminals of this process (connectLocal): never written, never reached by a token. */
  readonly #local = new Set<string>();
  /** What the file was when last read (null: no file), to notice it changed. */
  #seen: string | null = null;

  /** `file` null: in memory only (tests, an in-process center without a var folder). */
  constructor(readonly file: string | null) {
    if (!file) return;
    this.#load(true);
  }

  /**
   * Registers `id` and returns its new token: the only time anybody sees it. An id already registered is refused
   * unless `replace` is given, which gives it a new token (the old one stops working).
   */
  add(id: string, options: { replace?: boolean; at?: string } = {}): string {
    const problem = terminalIdProblem(id);
    if (problem) throw new TerminalRegistryError(`"${id.slice(0, 32)}" is not a terminal id: ${problem}`);
    this.#refresh();
    if (this.#entries.has(id) && !options.replace) {
      throw new TerminalRegistryError(`terminal ${id} is already registered${this.file ? ` in ${this.file}` : ''}. Give it a new token with --replace (its old token stops working), or choose another id`);
    }
    const token = randomBytes(32).toString('base64url');
    const entries = new Map(this.#entries);
    entries.set(id, { id, tokenSha256: tokenDigest(token), addedAt: options.at ?? new Date().toISOString() });
    this.#save(entries);
    return token;
  }

  /** Unregisters `id` (its token stops working); false when it was not registered. */
  remove(id: string): boolean {
    this.#refresh();
    if (!this.#entries.has(id)) return false;
    const entries = new Map(this.#entries);
    entries.delete(id);
    this.#save(entries);
    return true;
  }

  /** The registered terminals (file and this process), ids and dates only. */
  list(): Array<{ id: string; addedAt: string; local?: true }> {
    this.#refresh();
    const listed: Array<{ id: string; addedAt: string; local?: true }> = [...this.#entries.values()].map((e) => ({ id: e.id, addedAt: e.addedAt }));
    for (const id of this.#local) if (!this.#entries.has(id)) listed.push({ id, addedAt: '', local: true });
    return listed.sort((a, b) => a.id.localeCompare(b.id));
  }

  has(id: string): boolean {
    this.#refresh();
    return this.#entries.has(id) || this.#local.has(id);
  }

  /** A terminal of this process (no token: it is the same program); registered in memory only, if absent. */
  addLocal(id: string): void {
    const problem = terminalIdProblem(id);
    if (problem) throw new TerminalRegistryError(`"${id.slice(0, 32)}" is not a terminal id: ${problem}`);
    this.#local.add(id);
  }

  /** The terminal a bearer token belongs to, or null. The file is read again when it changed since it was read. */
  terminalOf(token: string): string | null {
    if (!TOKEN_FORMAT.test(token)) return null;
    this.#refresh();
    return this.#byDigest.get(tokenDigest(token)) ?? null;
  }

  /** Reads the file again if it changed (added, removed, replaced): a running center follows the CLI's edits. */
  #refresh(): void {
    if (this.file && this.#signature() !== this.#seen) this.#load(false);
  }

  #signature(): string | null {
    try {
      const st = statSync(this.file!);
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return null;
    }
  }

  /** Loads the file; a damaged one is an error at start, and trusted for nothing once running (fail closed). */
  #load(atStart: boolean): void {
    const file = this.file!;
    const signature = this.#signature();
    this.#seen = signature;
    this.#entries = new Map();
    this.#byDigest = new Map();
    if (signature === null) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      if (atStart) throw new TerminalRegistryError(`${file} is not readable JSON (${(e as Error).name}). Restore it from a backup, or remove it and register the terminals again (kiosk center terminal add ID)`);
      return;
    }
    const entries = checkFile(parsed);
    if (!entries) {
      if (atStart) throw new TerminalRegistryError(`${file} is not a terminal register. Restore it from a backup, or remove it and register the terminals again (kiosk center terminal add ID)`);
      return;
    }
    for (const e of entries) {
      this.#entries.set(e.id, e);
      this.#byDigest.set(e.tokenSha256, e.id);
    }
  }

  /** Written whole to a temporary file, fsynced, renamed over the register (and the folder fsynced). */
  #save(entries: Map<string, TerminalEntry>): void {
    if (this.file) {
      const file = this.file;
      mkdirSync(dirname(file), { recursive: true });
      const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
      const content: RegisterFile = { version: 1, terminals: [...entries.values()].sort((a, b) => a.id.localeCompare(b.id)) };
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify(content, null, 2) + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      try {
        renameSync(tmp, file);
      } catch (e) {
        if (existsSync(tmp)) unlinkSync(tmp);
        throw e;
      }
      try {
        const dir = openSync(dirname(file), 'r');
        try {
          fsyncSync(dir);
        } finally {
          closeSync(dir);
        }
      } catch {
        // Some file systems cannot fsync a folder; the rename itself is atomic.
      }
      this.#seen = this.#signature();
    }
    this.#entries = entries;
    this.#byDigest = new Map([...entries.values()].map((e) => [e.tokenSha256, e.id]));
  }
}

function checkFile(v: unknown): TerminalEntry[] | null {
  if (typeof v !== 'object' || v === null || (v as RegisterFile).version !== 1 || !Array.isArray((v as RegisterFile).terminals)) return null;
  const out: TerminalEntry[] = [];
  for (const e of (v as RegisterFile).terminals as unknown[]) {
    if (typeof e !== 'object' || e === null) return null;
    const { id, tokenSha256, addedAt } = e as Record<string, unknown>;
    if (typeof id !== 'string' || !TERMINAL_ID.test(id) || typeof tokenSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(tokenSha256) || typeof addedAt !== 'string') return null;
    out.push({ id, tokenSha256, addedAt });
  }
  return out;
}
