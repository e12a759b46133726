// Real disks for the ownership suites (as root): a small disk of its own (tmpfs), a folder made read-only (a bind
// mount), a disk filled to its last bytes; each file's mounts are undone after its tests. And the journal as records.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class Disks {
  readonly #mounts: string[] = [];

  /** A small disk of its own (tmpfs), `kb` KiB, at `dir`. */
  small(dir: string, kb: number): void {
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir]);
    this.#mounts.push(dir);
  }

  /** `dir` made read-only where it is (a read-only bind mount over itself). */
  readOnly(dir: string): void {
    execFileSync('mount', ['--bind', dir, dir]);
    this.#mounts.push(dir);
    execFileSync('mount', ['-o', 'remount,bind,ro', dir]);
  }

  /** Undoes every mount, newest first. */
  unmountAll(): void {
    for (const m of this.#mounts.splice(0).reverse()) {
      try {
        execFileSync('umount', [m]);
      } catch {
        // already gone
      }
    }
  }
}

/** Fills the disk holding `dir` until `leave` bytes are free (0: to the last byte); the returned function frees it. */
export function fill(dir: string, leave = 0): () => void {
  const file = join(dir, 'filler');
  const free = Number(execFileSync('df', ['--output=avail', '-B1', dir], { encoding: 'utf8' }).trim().split('\n')[1]);
  try {
    writeFileSync(file, Buffer.alloc(Math.max(0, free - leave)));
  } catch (e) {
    // The disk filled before the last byte (its own blocks): full, as intended.
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  return () => rmSync(file, { force: true });
}

/** The kiosk's journal in `varDir`, record by record. */
export const journalOf = (varDir: string): Array<Record<string, unknown> & { type: string }> =>
  readFileSync(join(varDir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
