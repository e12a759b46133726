// The terminal register in the center's database (center.sqlite, migration 5): one row per terminal, its key (the
// SHA-256 of its token, never the token) unique. The file is the center's user's alone (mode 0600, as terminals.json
// was): it holds the keys. A running center follows another process's edits (`kiosk center terminal add` commits
// from its own connection) by `PRAGMA data_version`, which changes when another connection commits; its own writes
// update the register's maps directly. The schema refuses what terminals.json's reader calls damage (an id that is no
// terminal id, a key that is no SHA-256, one id or one key twice).
//
// A register kept before (terminals.json beside the database) is imported once, when the table is empty: read through
// JsonTerminalFile (its checks are the importer's: a damaged register stops the center with its TerminalRegistryError),
// written in one transaction, then deleted rather than renamed: it holds the terminals' keys, and a copy of them left
// behind would outlive a terminal removed later. A crash between the commit and the deletion is finished at the next
// start (the file holds what the table holds); a terminals.json that holds something else beside a table that is not
// empty is refused (which one is the register?).
import type Database from 'better-sqlite3';
import { unlinkSync } from 'node:fs';
import { JsonTerminalFile, TerminalRegistryError, type TerminalEntry, type TerminalStore } from '../terminals.ts';
import type { CenterDatabase } from './sqlite-records.ts';

export class SqliteTerminals implements TerminalStore {
  readonly location: string;
  readonly #db: Database.Database;
  readonly #q;

  constructor(open: CenterDatabase, options: { importFrom?: string } = {}) {
    this.location = open.location;
    this.#db = open.db;
    this.#q = {
      all: this.#db.prepare('SELECT id, token_sha256, added_at FROM terminals ORDER BY id'),
      clear: this.#db.prepare('DELETE FROM terminals'),
      insert: this.#db.prepare('INSERT INTO terminals (id, token_sha256, added_at) VALUES (@id, @tokenSha256, @addedAt)'),
    };
    if (options.importFrom) this.#import(options.importFrom);
  }

  signature(): string {
    return String(this.#db.pragma('data_version', { simple: true }));
  }

  load(): TerminalEntry[] {
    try {
      return (this.#q.all.all() as Array<{ id: string; token_sha256: string; added_at: string }>).map((r) => ({ id: r.id, tokenSha256: r.token_sha256, addedAt: r.added_at }));
    } catch (e) {
      throw new TerminalRegistryError(`cannot read the terminal register in ${this.location} (${(e as Error).message}). Try again; if it stays, restore the database from a backup`);
    }
  }

  save(entries: TerminalEntry[]): void {
    this.#db.transaction(() => {
      this.#q.clear.run();
      for (const e of entries) this.#q.insert.run(e);
    })();
  }

  #import(file: string): void {
    // lstat, not existsSync: a link in its place is refused by the reader, never followed.
    const json = new JsonTerminalFile(file);
    if (json.signature() === null) return;
    const old = json.load();
    const now = this.load();
    if (now.length) {
      const same = (a: TerminalEntry[]) => JSON.stringify([...a].sort((x, y) => x.id.localeCompare(y.id)));
      if (same(old) !== same(now)) {
        throw new TerminalRegistryError(`${file} is a terminal register beside ${this.location}, which holds terminals of its own: the center keeps its register in the database now and cannot tell which is right. Move ${file} away to go on with the database's (kiosk center terminal list shows it)`);
      }
    } else {
      this.save(old);
    }
    unlinkSync(file);
  }
}

