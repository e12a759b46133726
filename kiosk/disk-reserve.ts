// Room kept for the money records when the disk fills. A terminal keeps a 256 KiB file of its own in --var; when a
// write of the journal, the cash box's state or a card's memory finds the disk full, the reserve is given up and the
// write tried once more, so that the session under way is recorded whole (a payout the files did not record would be
// paid again by the next start's recovery). Giving it up takes the terminal out of order: the disk must be freed
// before the reserve can be made again, which putting the terminal back in service (or starting it) requires.
import { closeSync, constants, fsyncSync, lstatSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const RESERVE_BYTES = 256 * 1024;
/** Room a terminal needs beyond its reserve to start or to go back in service: a day of records, a few PDFs' worth. */
export const HEADROOM_BYTES = 1024 * 1024;

/** The disk has no room for the reserve: the terminal cannot promise to record the money it takes. */
export class DiskFullError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`the disk under ${file.replace(/\/[^/]+$/, '')} has no room for the kiosk's ${RESERVE_BYTES / 1024} KiB reserve and ${HEADROOM_BYTES / 1024} KiB to work in (${detail}): free some space`);
    this.name = 'DiskFullError';
  }
}

export class DiskReserve {
  #used: ((why: string) => void) | null = null;

  constructor(readonly file: string) {}

  /** Whether the reserve is in place now. */
  get held(): boolean {
    try {
      return lstatSync(this.file).size >= RESERVE_BYTES;
    } catch {
      return false;
    }
  }

  /**
   * Makes the reserve if it is not there (written out, so that its blocks are really taken), and checks that the disk
   * has room to work in beyond it; DiskFullError if not. Giving the reserve up freed only the reserve's room, so a
   * terminal that used it is not back in service until the disk has been freed.
   */
  ensure(): void {
    const free = freeBytes(this.file);
    const needed = HEADROOM_BYTES + (this.held ? 0 : RESERVE_BYTES);
    if (free !== null && free < needed) throw new DiskFullError(this.file, `${Math.floor(free / 1024)} KiB free`);
    if (this.held) return;
    let fd: number | null = null;
    try {
      fd = openSync(this.file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
      writeSync(fd, Buffer.alloc(RESERVE_BYTES));
      fsyncSync(fd);
    } catch (e) {
      if (fd !== null) closeSync(fd);
      fd = null;
      rmSync(this.file, { force: true });
      throw new DiskFullError(this.file, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }

  /** Told when the reserve is given up (the terminal goes out of order). */
  onUsed(listener: (why: string) => void): void {
    this.#used = listener;
  }

  /**
   * `write`, and if it fails for lack of room while the reserve is held, the reserve given up and `write` tried once
   * more. Any other failure, or a second one, is thrown.
   */
  write<T>(write: () => T): T {
    try {
      return write();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as { cause?: NodeJS.ErrnoException }).cause?.code;
      if ((code !== 'ENOSPC' && code !== 'EDQUOT') || !this.held) throw e;
      rmSync(this.file, { force: true });
      this.#used?.(`the disk is full: its ${RESERVE_BYTES / 1024} KiB reserve was given up to record the money`);
      return write();
    }
  }
}

/** Bytes free for this process on the disk that holds `file`'s folder, or null where the system cannot say. */
function freeBytes(file: string): number | null {
  try {
    const s = statfsSync(dirname(file));
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}
