// The terminals the center serves, and how each proves who it is: a registered terminal holds a random token
// (`ID.` and 32 random bytes in base64url) from which both sides derive the terminal's key, SHA-256(token) (see
// signing.ts); the token itself never travels. The register holds each terminal's key as `tokenSha256`: it is as
// secret as the tokens. It is kept by a TerminalStore: the center's database (records/sqlite-terminals.ts, mode
// 0600), or, as an older version kept it and as the importer reads it, `<center dir>/terminals.json` (JsonTerminalFile:
// mode 0600, written whole and renamed into place, read only as a regular file of bounded size, never through a
// link, a FIFO or a device). `kiosk center terminal add|list|remove` edits it, and a running center notices the change
// on its next request (a terminal added, removed or given a new token). A register naming one id or one key twice is
// damage. Terminals of
// the kiosk's own process (`SimCenter.connectLocal`) are registered in memory only: they need no token, being the same
// program.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StateFileError, readStateFile } from '../storage/state-file.ts';

/**
 * A terminal id: it goes into issuance numbers and spool file names, so plain letters and digits, 1-16 of them.
 * The same rule as the kiosk's `--terminal` (kiosk/cli/flags.ts).
 */
export const TERMINAL_ID = /^[A-Za-z0-9]{1,16}$/;
export const TERMINAL_ID_RULE = 'expected 1-16 letters and digits, e.g. K02';

/** Why `id` is not a terminal id (the kiosk's flag message), or null when it is one. */
export function terminalIdProblem(id: string): string | null {
  return TERMINAL_ID.test(id) ? null : TERMINAL_ID_RULE;
}

/**
 * A token as `add` makes it: the terminal's id, a dot and 32 random bytes in base64url (43 characters), e.g.
 * `K01.3q…`; the id tells a kiosk which terminal it is. Tokens made before the id went into them are the 43
 * characters alone (they still work, with the terminal named another way: `kiosk start --terminal ID`).
 */
export const TOKEN_FORMAT = /^(?:([A-Za-z0-9]{1,16})\.)?[A-Za-z0-9_-]{43}$/;

/** The terminal a token names (null for an older token without its id), or undefined when it is no token. */
export function tokenTerminal(token: string): string | null | undefined {
  const m = TOKEN_FORMAT.exec(token);
  return m ? (m[1] ?? null) : undefined;
}

/** The largest register the center reads: about 8,000 terminals. Anything larger is not one (and is not read). */
export const MAX_REGISTER_BYTES = 1 << 20;

export interface TerminalEntry {
  id: string;
  /** SHA-256 (hex) of the terminal's token: its key (signing.ts). The token itself is kept nowhere by the center. */
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

/**
 * Where the register is kept: `terminals.json` (JsonTerminalFile, below) or the center's database
 * (records/sqlite-terminals.ts). Small, so that a PostgreSQL backend can follow.
 */
export interface TerminalStore {
  /** Where it is kept (a file), for messages. */
  readonly location: string;
  /** What the register is now (null: none yet); it changes whenever anything changes it, another process included. */
  signature(): string | null;
  /** Its entries, checked: a damaged register is a TerminalRegistryError saying what to do. */
  load(): TerminalEntry[];
  /** Writes it whole (one transaction, or a file renamed into place). */
  save(entries: TerminalEntry[]): void;
}

export class TerminalRegistry {
  /** id → entry, from the store. */
  #entries = new Map<string, TerminalEntry>();
  /** token digest → id, from the store. */
  #byDigest = new Map<string, string>();
  /** Terminals of this process (connectLocal): never written, never reached by a token. */
  readonly #local = new Set<string>();
  /** What the store was when last read (null: no register), to notice it changed. */
  #seen: string | null = null;
  readonly #store: TerminalStore | null;
  /** Where the register is kept (a file), or null in memory. */
  readonly file: string | null;

  /** `file` null: in memory only (tests, an in-process center without a var folder); a path: terminals.json. */
  constructor(file: string | null | TerminalStore) {
    this.#store = file === null ? null : typeof file === 'string' ? new JsonTerminalFile(file) : file;
    this.file = this.#store?.location ?? null;
    if (!this.#store) return;
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
    const token = `${id}.${randomBytes(32).toString('base64url')}`;
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

  /** The terminal a token belongs to, or null. The file is read again when it changed since it was read. */
  terminalOf(token: string): string | null {
    if (!TOKEN_FORMAT.test(token)) return null;
    this.#refresh();
    return this.#byDigest.get(tokenDigest(token)) ?? null;
  }

  /**
   * The key of a registered terminal (the 32 bytes of its token's SHA-256), or null for an id the register does not
   * hold (a terminal of this process has none: nothing reaches it over HTTP). The file is read again when it changed.
   */
  keyOf(id: string): Buffer | null {
    if (!TERMINAL_ID.test(id)) return null;
    this.#refresh();
    const entry = this.#entries.get(id);
    return entry ? Buffer.from(entry.tokenSha256, 'hex') : null;
  }

  /** Reads the register again if it changed (added, removed, replaced): a running center follows the CLI's edits. */
  #refresh(): void {
    if (this.#store && this.#store.signature() !== this.#seen) this.#load(false);
  }

  /** Loads the register; a damaged one is an error at start, and trusted for nothing once running (fail closed). */
  #load(atStart: boolean): void {
    const store = this.#store!;
    const signature = store.signature();
    this.#seen = signature;
    this.#entries = new Map();
    this.#byDigest = new Map();
    if (signature === null) return;
    let entries: TerminalEntry[];
    try {
      entries = store.load();
    } catch (e) {
      if (atStart) throw e;
      return;
    }
    for (const e of entries) {
      this.#entries.set(e.id, e);
      this.#byDigest.set(e.tokenSha256, e.id);
    }
  }

  #save(entries: Map<string, TerminalEntry>): void {
    if (this.#store) {
      this.#store.save([...entries.values()].sort((a, b) => a.id.localeCompare(b.id)));
      this.#seen = this.#store.signature();
    }
    this.#entries = entries;
    this.#byDigest = new Map([...entries.values()].map((e) => [e.tokenSha256, e.id]));
  }
}

/**
 * The register as `terminals.json`: read only as a regular file of bounded size, checked whole; written whole to a
 * temporary file (mode 0600), fsynced, renamed over the register (and the folder fsynced).
 */
export class JsonTerminalFile implements TerminalStore {
  constructor(readonly location: string) {}

  signature(): string | null {
    try {
      // The link itself, never what it points to: a register replaced by a link is noticed (and refused).
      const st = lstatSync(this.location);
      return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.mode}`;
    } catch {
      return null;
    }
  }

  load(): TerminalEntry[] {
    const file = this.location;
    const again = 'Restore it from a backup, or remove it and register the terminals again (kiosk center terminal add ID)';
    let text: string | null;
    // A regular file of a register's size only: a FIFO, a device or a huge file would hold the center up.
    try {
      text = readStateFile(file, MAX_REGISTER_BYTES);
    } catch (e) {
      if (e instanceof StateFileError) throw new TerminalRegistryError(`${file} is not a terminal register: ${e.detail}. ${again}`);
      throw new TerminalRegistryError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).name}). ${again}`);
    }
    if (text === null) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new TerminalRegistryError(`${file} is not readable JSON (${(e as Error).name}). ${again}`);
    }
    const entries = checkFile(parsed);
    if (typeof entries === 'string') throw new TerminalRegistryError(`${file} is not a terminal register${entries ? ` (${entries})` : ''}. ${again}`);
    return entries;
  }

  save(entries: TerminalEntry[]): void {
    const file = this.location;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
    const content: RegisterFile = { version: 1, terminals: entries };
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
  }
}

/** The register's entries, or why it is none ('' when it is not even shaped like one). */
function checkFile(v: unknown): TerminalEntry[] | string {
  if (typeof v !== 'object' || v === null || (v as RegisterFile).version !== 1 || !Array.isArray((v as RegisterFile).terminals)) return '';
  const out: TerminalEntry[] = [];
  const ids = new Set<string>();
  const digests = new Set<string>();
  for (const e of (v as RegisterFile).terminals as unknown[]) {
    if (typeof e !== 'object' || e === null) return '';
    const { id, tokenSha256, addedAt } = e as Record<string, unknown>;
    if (typeof id !== 'string' || !TERMINAL_ID.test(id) || typeof tokenSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(tokenSha256) || typeof addedAt !== 'string') return '';
    // One key per terminal and one terminal per key: a second entry could never be told from the first.
    if (ids.has(id)) return `terminal ${id} is listed twice`;
    if (digests.has(tokenSha256)) return `two terminals share one key (${id} and another)`;
    ids.add(id);
    digests.add(tokenSha256);
    out.push({ id, tokenSha256, addedAt });
  }
  return out;
}

/** A token file that cannot be used: `problem` says why, for a message that also says what to do. */
export class TokenFileError extends Error {
  constructor(readonly file: string, readonly problem: 'unreadable' | 'not-a-file' | 'too-large' | 'not-a-token', readonly detail = '') {
    super(`${file}: ${problem}${detail ? ` (${detail})` : ''}`);
    this.name = 'TokenFileError';
  }
}

/**
 * A terminal's token from its file (`kiosk center terminal add ID --out FILE`): a regular file (a link to one is
 * fine) of at most 1 KB, trimmed. `terminal` is the id the token carries (null for an older token without one).
 */
export function readTokenFile(file: string): { token: string; terminal: string | null } {
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new TokenFileError(file, 'not-a-file');
    if (st.size > 1024) throw new TokenFileError(file, 'too-large');
    const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const buf = Buffer.alloc(1025);
      let n = 0;
      for (let r = 1; r > 0 && n < buf.length; n += r) r = readSync(fd, buf, n, buf.length - n, n);
      if (n > 1024) throw new TokenFileError(file, 'too-large');
      text = buf.subarray(0, n).toString('utf8').trim();
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if (e instanceof TokenFileError) throw e;
    throw new TokenFileError(file, 'unreadable', (e as NodeJS.ErrnoException).code ?? (e as Error).name);
  }
  const terminal = tokenTerminal(text);
  if (terminal === undefined) throw new TokenFileError(file, 'not-a-token');
  return { token: text, terminal };
}
